// The package's entry: `cookieSession(options)`, the middleware that hangs
// `req.session` and `req.sessionOptions` on every request.
import onHeaders from 'on-headers'
import { debug } from './debug.js'
import { resolveOptions } from './options.js'
import { type MiddlewareConfig, RequestSession, type SessionRequest } from './request-session.js'
import { HmacSigner } from './signer.js'
import type { CookieSessionMiddleware, CookieSessionOptions, KeygripLike } from './types.js'
import { Warnings } from './warnings.js'

export type {
  CookieSessionAssignment,
  CookieSessionBase,
  CookieSessionMiddleware,
  CookieSessionObject,
  CookieSessionOptions,
  CookieSessionProperties,
  CookieSessionRequest,
  KeygripLike,
  PriorityOption,
  SameSiteOption,
  SessionCallback,
  SessionData,
  SessionKey,
  SigningAlgorithm,
  WarningCode,
} from './types.js'

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
  const { options: opts, name, keys, algorithms } = resolveOptions(options)
  const { keys: _keys, secret: _secret, ...shown } = opts
  debug('session options %j', shown)

  const config: MiddlewareConfig = {
    options: opts,
    name,
    cookiesOptions: { keys: Array.isArray(keys) ? new HmacSigner(keys, algorithms) : (keys as KeygripLike | undefined) },
    warnings: new Warnings(),
  }

  return function cookieSessionMiddleware(req: SessionRequest, res, next) {
    const state = new RequestSession(config, req, res)
    req.sessionOptions = Object.create(opts)
    // Per request, as in 2.1.1: the accessor reaches this request's state
    // whatever object it is called on (a copy of req, a Proxy of it).
    Object.defineProperty(req, 'session', {
      configurable: true,
      enumerable: true,
      get: () => state.get(),
      set: (value: unknown) => state.set(value),
    })
    onHeaders(res, () => state.commit())
    next()
  }
}

export default cookieSession
