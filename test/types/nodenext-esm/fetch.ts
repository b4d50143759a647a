// What `import ... from 'cookie-session/fetch'` gives: the Fetch door's factory and its types.
import type { CookieSessionObject as MiddlewareSession } from 'cookie-session'
import {
  type CookieSessionObject,
  type CookieSessionOptions,
  type CookieSessions,
  createCookieSession,
  type FetchSessionOptions,
} from 'cookie-session/fetch'
import { expectTypeOf } from 'vitest'

expectTypeOf(createCookieSession).parameters.toEqualTypeOf<[options?: FetchSessionOptions]>()
expectTypeOf(createCookieSession).returns.toEqualTypeOf<CookieSessions>()
expectTypeOf<FetchSessionOptions>().toExtend<CookieSessionOptions>()
// One declaration for both entries: the session of read() is req.session's type.
expectTypeOf<CookieSessionObject>().toEqualTypeOf<MiddlewareSession>()

const sessions = createCookieSession({ keys: ['a key'], encrypt: false, trustProxy: true })
declare const request: Request
const session = sessions.read(request)
expectTypeOf(session).toEqualTypeOf<CookieSessionObject>()
expectTypeOf(sessions.read(request.headers)).toEqualTypeOf<CookieSessionObject>()
expectTypeOf(session.isNew).toEqualTypeOf<boolean>()
session.regenerate()
session.anything = 1

const response = new Response('ok')
sessions.write(session, response.headers)
sessions.write(null, response.headers)
sessions.write({ user: 'ada' }, response.headers, { maxAge: 60_000, sameSite: 'lax' })

// @ts-expect-error a Request, not a string
sessions.read('session=abc')
// @ts-expect-error write takes the response's Headers
sessions.write(session, response)
// @ts-expect-error per-response options are cookie options
sessions.write(session, response.headers, { maxAge: '1h' })
// @ts-expect-error trustProxy is a boolean
createCookieSession({ trustProxy: 'yes' })
