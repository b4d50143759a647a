// SessionData declared through 'cookie-session' (augmentation.ts) types the Fetch door's sessions too.
import { createCookieSession } from 'cookie-session/fetch'
import { expectTypeOf } from 'vitest'

type User = { id: number; name: string }
const sessions = createCookieSession({ keys: ['a key'] })
declare const request: Request
const session = sessions.read(request)
expectTypeOf(session.views).toEqualTypeOf<number | undefined>()
expectTypeOf(session.user).toEqualTypeOf<User | undefined>()
session.views = (session.views ?? 0) + 1
// @ts-expect-error views is a number
session.views = 'one'
// @ts-expect-error a user has a name
sessions.write({ user: { id: 1 } }, new Headers())
