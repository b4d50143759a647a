import type { IncomingMessage, ServerResponse } from 'node:http'
import onHeaders from 'on-headers'
import { debug } from './debug.js'
import { type CookieSessionOptions, type KeygripLike, resolveOptions } from './options.js'
import { SessionCookie, type SessionCookieConfig, type SessionRequest } from './session-cookie.js'
import { HmacSigner } from './signer.js'
import { Warnings } from './warnings.js'

export type { CookieSessionOptions, KeygripLike, PriorityOption, SameSiteOption, SessionKey } from './options.js'
export type { SessionCallback } from './session.js'
export type { WarningCode } from './warnings.js'
export type {
  CookieSessionAssignment,
  CookieSessionBase,
  CookieSessionObject,
  CookieSessionProperties,
  CookieSessionRequest,
  SessionData,
} from './types.js'

/** The middleware `cookieSession()` returns; fits Express, Connect and `node:http`. */
export type CookieSessionMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void

/**
 * Creates the middleware: it gives every request `req.session`, read lazily
 * from a signed cookie, and `req.sessionOptions`, and writes the cookie back
 * when the session changed.
 *
 * @param options Cookie name, signing keys and cookie attributes; see {@link CookieSessionOptions}.
 * @throws {Error} `.keys required.` when signing without `keys` or `secret`.
 * @throws {TypeError} naming the option, when an option holds a value no cookie can carry.
 */
export function cookieSession(options?: CookieSessionOptions): CookieSessionMiddleware {
  const { options: opts, name, keys } = resolveOptions(options)
  const { keys: _keys, secret: _secret, ...shown } = opts
  debug('session options %j', shown)

  const signer: KeygripLike | undefined = Array.isArray(keys) ? new HmacSigner(keys) : (keys as KeygripLike | undefined)
  const config: SessionCookieConfig = {
    name,
    nameBytes: Buffer.byteLength(name),
    cookiesOptions: { keys: signer },
    warnings: new Warnings(),
  }

  // Per-request closures rather than state hung on req/res: Express swaps the
  // prototypes of req and res, after which every property added to them costs
  // one to two microseconds (a closure costs tens of nanoseconds). So the
  // middleware adds only what 2.1.1 added: req.sessionOptions, req.session and
  // on-headers' res.writeHead. Each request's closures also keep two cookie
  // sessions on one request apart.
  return function cookieSessionMiddleware(req, res, next) {
    const sessionCookie = new SessionCookie(config, req as SessionRequest, res)
    ;(req as SessionRequest).sessionOptions = Object.create(opts) as CookieSessionOptions
    Object.defineProperty(req, 'session', {
      configurable: true,
      enumerable: true,
      get: () => sessionCookie.get(),
      set: (value: unknown) => sessionCookie.set(value),
    })
    onHeaders(res, () => sessionCookie.commit())
    next()
  }
}

export default cookieSession
