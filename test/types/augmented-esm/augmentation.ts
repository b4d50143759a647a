// Typed session data by declaration merging (express-session style).
import type { CookieSessionObject, CookieSessionRequest, SessionData } from 'cookie-session'
import type { Request } from 'express'
import { expectTypeOf } from 'vitest'

declare module 'cookie-session' {
  interface SessionData {
    views: number
    user: { id: number; name: string }
  }
}

type User = { id: number; name: string }
declare const req: Request
declare const plain: CookieSessionRequest

// Declared keys are typed, and optional: a new session is empty.
expectTypeOf(req.session.views).toEqualTypeOf<number | undefined>()
expectTypeOf(req.session.user).toEqualTypeOf<User | undefined>()
expectTypeOf(plain.session.views).toEqualTypeOf<number | undefined>()
expectTypeOf<CookieSessionObject>().toExtend<Partial<SessionData>>()

req.session.views = (req.session.views || 0) + 1
req.session.user = { id: 1, name: 'alice' }
delete req.session.user
// @ts-expect-error views is a number
req.session.views = 'one'
// @ts-expect-error views is a number
plain.session.views = '1'
// @ts-expect-error an unknown field in a user literal
req.session.user = { id: 1, name: 'alice', admin: true }
// @ts-expect-error a user has a name
req.session.user = { id: 1 }

// Replacing the session checks declared keys too.
req.session = { views: 1, user: { id: 2, name: 'bob' } }
req.session = { views: 1, somethingElse: 'fine' }
// @ts-expect-error views is a number
req.session = { views: '1' }
// @ts-expect-error an unknown field in a user literal
req.session = { user: { id: 2, name: 'bob', admin: true } }
req.session = {}
// Any object is accepted, as at runtime: interface-typed values and class instances too.
interface Saved {
  views: number
}
declare const saved: Saved
req.session = saved
plain.session = saved
class Visit {
  views = 1
  user = { id: 3, name: 'carol' }
  extra = 'kept'
}
req.session = new Visit()
declare const anyObject: object
req.session = anyObject
interface WrongViews {
  views: string
}
declare const wrongViews: WrongViews
// @ts-expect-error an interface whose views is a string
req.session = wrongViews
class WrongVisit {
  views = 'one'
}
// @ts-expect-error a class whose views is a string
req.session = new WrongVisit()
// @ts-expect-error a string is not a session
req.session = 'alice'
// @ts-expect-error a number is not a session
req.session = 1

// Keys not declared stay usable, as any.
expectTypeOf(req.session.cart).toBeAny()
req.session.cart = ['apple']

// The flags keep their types.
expectTypeOf(req.session.isNew).toEqualTypeOf<boolean>()
// @ts-expect-error isNew is read-only
req.session.isNew = false
