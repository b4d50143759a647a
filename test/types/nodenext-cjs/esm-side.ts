// An ESM file in the same program as the .cts files: the package loaded both ways is one set of
// types, and the SessionData declared from CommonJS (augmentation.cts) applies here too, as the one
// declared from ESM (esm-augmentation.ts) applies to the .cts files.
import cookieSession, { type CookieSessionObject, type SessionData } from 'cookie-session'
import type { Request } from 'express'
import { expectTypeOf } from 'vitest'
import type cjs = require('cookie-session')

declare const req: Request
expectTypeOf(req.session.cart).toEqualTypeOf<string[] | undefined>()
expectTypeOf<CookieSessionObject>().toEqualTypeOf<cjs.CookieSessionObject>()
expectTypeOf<SessionData>().toHaveProperty('cart')
// One SessionData, whichever way the file loads the package and wherever the keys were declared.
expectTypeOf<SessionData>().toEqualTypeOf<cjs.SessionData>()
expectTypeOf<SessionData>().toHaveProperty('theme')
expectTypeOf<typeof cjs.default>().toExtend<typeof cookieSession>()
expectTypeOf(cookieSession).returns.toEqualTypeOf<cjs.CookieSessionMiddleware>()
