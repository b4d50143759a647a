// The Fetch door dressed as the middleware, for the differential and hostile
// corpora: `req.session` and `req.sessionOptions` as cookieSession() gives
// them, done with nothing but the public API of `cookie-session/fetch`.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { type CookieSessionObject, type CookieSessionOptions, createCookieSession, type FetchSessionOptions } from 'cookie-session/fetch'
import onHeaders from 'on-headers'
import { expect } from 'vitest'
import { toRequest } from './fetch-bridge.js'
import type { Middleware } from './hosts.js'

/**
 * Keys assigning an object to `req.session` does not copy (src/core/session.ts):
 * the session's own accessors, and what every object has.
 */
const NOT_DATA = new Set(['_ctx', 'isNew', 'isChanged', 'isPopulated'])

/**
 * A middleware over `createCookieSession(options)`:
 * - `req.session` is `sessions.read(request)`, read on first use;
 * - assigning an object gives a new session holding its keys (a session read
 *   from the same request without its Cookie header, so that the door still
 *   knows the scheme), assigning `null` destroys it: `write(null, headers)`;
 *   with `assign: 'in place'`, assigning an object instead replaces the data of
 *   the session read from the request (its keys deleted, the object's copied),
 *   as a Fetch handler replaces a session's data: the door still knows the
 *   cookies the request carried (chunks to clear) and when the session began;
 * - `req.sessionOptions` inherits `options`; what a handler sets on it
 *   (its own properties) is `write`'s third argument;
 * - as the headers go out, `sessions.write(...)` into a `Headers` holding the
 *   Set-Cookie lines already on `res`, which then replace them. Untouched and
 *   not rolling: no write, as the middleware.
 */
export function fetchDoorMiddleware(options: FetchSessionOptions, assign: 'fresh' | 'in place' = 'fresh'): Middleware {
  const sessions = createCookieSession(options)
  return (req: IncomingMessage & { sessionOptions?: unknown }, res: ServerResponse, next) => {
    const request = toRequest(req)
    /** `undefined`: untouched; `null`: destroyed. */
    let current: CookieSessionObject | null | undefined
    req.sessionOptions = Object.create(options)
    Object.defineProperty(req, 'session', {
      configurable: true,
      enumerable: true,
      get: () => {
        if (current === undefined) current = sessions.read(request)
        return current
      },
      set: (value: unknown) => {
        if (value == null) {
          current = null
          return
        }
        // A string or number: write() refuses it (a TypeError that names write()); this
        // adapter plays req.session, so it says what the middleware's setter says.
        if (typeof value !== 'object') {
          expect(() => sessions.write(value as never, new Headers())).toThrow(/^cookie-session: write\(\) takes the session read\(\) gave/)
          throw new Error('req.session can only be set as null or an object.')
        }
        const data: Record<string, unknown> = Object.create(null)
        for (const key in value as object) {
          if (!(key in Object.prototype) && !NOT_DATA.has(key)) data[key] = (value as Record<string, unknown>)[key]
        }
        const fresh = assign === 'in place' ? (current ?? sessions.read(request)) : sessions.read(withoutCookie(request))
        if (assign === 'in place') for (const key of Object.keys(fresh)) delete fresh[key]
        for (const key in data) fresh[key] = data[key]
        current = fresh
      },
    })
    onHeaders(res, () => {
      const perResponse = ownOptions(req.sessionOptions)
      let session = current
      if (session === undefined) {
        const inForce = typeof req.sessionOptions === 'object' && req.sessionOptions !== null ? req.sessionOptions : options
        if (!(inForce as CookieSessionOptions).rolling) return
        session = sessions.read(request)
      }
      const before = res.getHeader('Set-Cookie')
      const headers = new Headers()
      for (const line of before === undefined ? [] : Array.isArray(before) ? before : [String(before)]) {
        headers.append('Set-Cookie', line)
      }
      sessions.write(session, headers, perResponse)
      const after = headers.getSetCookie()
      if (after.length > 0) res.setHeader('Set-Cookie', after)
    })
    next()
  }
}

/** What a handler set on `req.sessionOptions`: its own properties; `undefined` for none. */
function ownOptions(sessionOptions: unknown): CookieSessionOptions | undefined {
  if (typeof sessionOptions !== 'object' || sessionOptions === null) return undefined
  const own = Object.entries(sessionOptions)
  return own.length > 0 ? (Object.fromEntries(own) as CookieSessionOptions) : undefined
}

/** `request` without its Cookie header: a new session, with the request's scheme. */
function withoutCookie(request: Request): Request {
  const headers = new Headers(request.headers)
  headers.delete('cookie')
  return new Request(request.url, { method: request.method, headers })
}
