// req.session and req.sessionOptions on Express's Request, without any SessionData declared.
import type { CookieSessionObject, CookieSessionOptions } from 'cookie-session'
import type { Request } from 'express'
import { expectTypeOf } from 'vitest'

declare const req: Request

// Reading gives the session itself: never null, no check needed.
expectTypeOf(req.session).toEqualTypeOf<CookieSessionObject>()
expectTypeOf(req.session.views).toBeAny()
req.session.views = (req.session.views || 0) + 1
req.session.cart = ['apple']
delete req.session.cart
req.session['a key'] = { nested: true }

// The flags are read-only booleans.
expectTypeOf(req.session.isNew).toEqualTypeOf<boolean>()
expectTypeOf(req.session.isChanged).toEqualTypeOf<boolean>()
expectTypeOf(req.session.isPopulated).toEqualTypeOf<boolean>()
// @ts-expect-error isNew is read-only
req.session.isNew = true
// @ts-expect-error isChanged is read-only
req.session.isChanged = true
// @ts-expect-error isPopulated is read-only
req.session.isPopulated = false

// regenerate() and save() take an optional callback and return the session.
expectTypeOf(req.session.regenerate()).toEqualTypeOf<CookieSessionObject>()
expectTypeOf(req.session.save((err?: unknown) => void err)).toEqualTypeOf<CookieSessionObject>()
// @ts-expect-error the callback is a function
req.session.save('now')

// Writing accepts an object (replace) or null (destroy); nothing else.
req.session = null
req.session = undefined
req.session = {}
req.session = { user: 'alice', views: 3 }
const current = req.session
req.session = current
// Any object, as at runtime: interface-typed values and class instances too.
interface Saved {
  user: string
}
declare const saved: Saved
req.session = saved
req.session = new (class Visit {
  views = 1
})()
// @ts-expect-error a string is not a session
req.session = 'alice'
// @ts-expect-error a number is not a session
req.session = 42
// @ts-expect-error a boolean is not a session
req.session = false

// req.sessionOptions: this request's options, typed.
expectTypeOf(req.sessionOptions).toEqualTypeOf<CookieSessionOptions>()
req.sessionOptions.maxAge = 30 * 24 * 60 * 60 * 1000
req.sessionOptions.sameSite = 'lax'
// @ts-expect-error maxAge is a number of milliseconds
req.sessionOptions.maxAge = '30d'
