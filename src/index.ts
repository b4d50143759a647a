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

  // Where each request's state lives, and the accessor that reaches it. The
  // getter and setter are made once per middleware, not per request: V8 keeps
  // an accessor's functions in the object's hidden class, and Express gives
  // every request a hidden class of its own, held in the old generation until
  // a full GC. Per-request closures there kept each request's whole object
  // graph alive through every scavenge (about 3.5 KB more surviving per
  // request, measured with --trace-gc-nvp). One symbol per middleware keeps two
  // cookie sessions on one request apart, as 2.1.1's closures did.
  const stateKey = Symbol('cookie-session')
  const sessionProperty: PropertyDescriptor & ThisType<StatefulRequest> = {
    configurable: true,
    enumerable: true,
    get() {
      return this[stateKey]?.get()
    },
    set(value: unknown) {
      const state = this[stateKey]
      if (state) state.set(value)
      // Reached through an object that is not this request: be a plain property there.
      else Object.defineProperty(this, 'session', { configurable: true, enumerable: true, writable: true, value })
    },
  }

  return function cookieSessionMiddleware(req, res, next) {
    const sessionCookie = new SessionCookie(config, req as SessionRequest, res)
    ;(req as StatefulRequest)[stateKey] = sessionCookie
    ;(req as SessionRequest).sessionOptions = Object.create(opts) as CookieSessionOptions
    Object.defineProperty(req, 'session', sessionProperty)
    onHeaders(res, () => sessionCookie.commit())
    next()
  }
}

/** A request carrying its {@link SessionCookie} under a middleware's symbol. */
type StatefulRequest = SessionRequest & Record<symbol, SessionCookie | undefined>

export default cookieSession
