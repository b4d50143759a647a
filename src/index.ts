import type { IncomingMessage, ServerResponse } from 'node:http'
import onHeaders from 'on-headers'
import { debug } from './debug.js'
import { toDictionaryModeIfUnshared } from './hidden-class.js'
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
 * Each request's {@link SessionCookie}. Not a property of the request: after
 * Express has set a request's prototype, every property added to it builds
 * the request a hidden class of its own, and that is the costliest thing
 * attaching does (README, "Performance").
 */
const byRequest = new WeakMap<object, SessionCookie>()

/**
 * The same states by the `sessionOptions` object the middleware made, for
 * objects that reach the request only through its properties: a Proxy of it,
 * an object made from it with `Object.create`, a copy of its properties.
 */
const byOptions = new WeakMap<object, SessionCookie>()

/** The state of the request `object` is, or stands for; `undefined` when there is none. */
function stateOf(object: object): SessionCookie | undefined {
  const state = byRequest.get(object)
  if (state !== undefined) return state
  const options: unknown = (object as Partial<SessionRequest>).sessionOptions
  return typeof options === 'object' && options !== null ? byOptions.get(options) : undefined
}

/**
 * `req.session`: one getter and setter for all requests, finding the
 * request's state through `this`. V8 keeps an accessor's functions in the
 * object's hidden class, and Express gives every request a hidden class of
 * its own, held in the old generation until a full GC: per-request closures
 * there kept each request's objects alive through every scavenge (README,
 * "Performance"). A later middleware on the same request replaces the state
 * as it replaces the accessor; each one's header hook still commits its own
 * session.
 */
const sessionProperty: PropertyDescriptor & ThisType<SessionRequest> = {
  configurable: true,
  enumerable: true,
  get() {
    return stateOf(this)?.get(this)
  },
  set(value: unknown) {
    const state = stateOf(this)
    if (state) state.set(value)
    // Copied onto an object that is not (made from) a request: a plain property there.
    else Object.defineProperty(this, 'session', { configurable: true, enumerable: true, writable: true, value })
  },
}

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

  return function cookieSessionMiddleware(req, res, next) {
    // Before adding anything: on Express, each addition would otherwise copy
    // the object's hidden class (src/hidden-class.ts).
    toDictionaryModeIfUnshared(req)
    toDictionaryModeIfUnshared(res)
    const sessionCookie = new SessionCookie(config, req as SessionRequest, res)
    const sessionOptions = Object.create(opts) as CookieSessionOptions
    byRequest.set(req, sessionCookie)
    byOptions.set(sessionOptions, sessionCookie)
    ;(req as SessionRequest).sessionOptions = sessionOptions
    Object.defineProperty(req, 'session', sessionProperty)
    onHeaders(res, () => sessionCookie.commit())
    next()
  }
}

export default cookieSession
