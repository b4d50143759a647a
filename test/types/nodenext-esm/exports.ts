// What `import ... from 'cookie-session'` gives: the factory as default and named export, and the types.
import cookieSession, {
  type CookieSessionMiddleware,
  type CookieSessionOptions,
  cookieSession as named,
} from 'cookie-session'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { expectTypeOf } from 'vitest'

expectTypeOf(named).toEqualTypeOf(cookieSession)
expectTypeOf(cookieSession).parameters.toEqualTypeOf<[options?: CookieSessionOptions]>()
expectTypeOf(cookieSession).returns.toEqualTypeOf<CookieSessionMiddleware>()
expectTypeOf<CookieSessionMiddleware>().parameters.toEqualTypeOf<
  [req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void]
>()
cookieSession()
cookieSession({})

// @ts-expect-error the options are an object
cookieSession('session')
