import type { IncomingMessage, ServerResponse } from 'node:http'
import onHeaders from 'on-headers'
import { debug } from './debug.js'
import { type CookieSessionOptions, type KeygripLike, resolveOptions } from './options.js'
import { SessionCookie, type SessionCookieConfig, type SessionRequest } from './session-cookie.js'
import { HmacSigner } from './signer.js'
import { Warnings } from './warnings.js'

export type { CookieSessionOptions, KeygripLike, PriorityOption, SameSiteOption, SessionKey } from './options.js'
export type { Session, SessionCallback } from './session.js'
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

  // One symbol per instance: two cookie sessions on one request keep apart.
  const state = Symbol('cookie-session')
  type Carrier = { [state]: SessionCookie }
  const sessionProperty: PropertyDescriptor = {
    configurable: true,
    enumerable: true,
    get(this: Carrier) {
      return this[state].get()
    },
    set(this: Carrier, value: unknown) {
      this[state].set(value)
    },
  }
  function writeSessionCookie(this: Carrier): void {
    this[state].commit()
  }

  return function cookieSessionMiddleware(req, res, next) {
    const sessionCookie = new SessionCookie(config, req as SessionRequest, res)
    ;(req as unknown as Carrier)[state] = sessionCookie
    ;(res as unknown as Carrier)[state] = sessionCookie
    ;(req as SessionRequest).sessionOptions = Object.create(opts) as CookieSessionOptions
    Object.defineProperty(req, 'session', sessionProperty)
    onHeaders(res, writeSessionCookie)
    next()
  }
}

export default cookieSession
