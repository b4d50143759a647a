// The package's entry: `cookieSession(options)`, the middleware that hangs
// `req.session` and `req.sessionOptions` on every request.
import onHeaders from 'on-headers'
import { debug } from './debug.js'
import { resolveOptions } from './options.js'
import { type MiddlewareConfig, RequestSession, type SessionRequest } from './request-session.js'
import { Sealer } from './sealer.js'
import { HmacSigner } from './signer.js'
import type { CookieSessionMiddleware, CookieSessionOptions, KeygripLike, SessionKey } from './types.js'
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
 * from a signed (or, with `encrypt`, encrypted) cookie, and
 * `req.sessionOptions`, and writes the cookie back when the session changed.
 *
 * @param options Cookie name, signing keys and cookie attributes; see {@link CookieSessionOptions}.
 * @throws {Error} `.keys required.` when signing without `keys` or `secret`.
 * @throws {TypeError} naming the option, when an option holds a value no cookie can carry,
 *   or when `encrypt` lacks keys it can use.
 */
export function cookieSession(options?: CookieSessionOptions): CookieSessionMiddleware {
  const { options: opts, name, keys, algorithms } = resolveOptions(options)
  const { keys: _keys, secret: _secret, ...shown } = opts
  debug('session options %j', shown)

  const toSigner = (list: readonly SessionKey[] | KeygripLike | undefined): KeygripLike | undefined =>
    Array.isArray(list) ? new HmacSigner(list, algorithms) : (list as KeygripLike | undefined)
  const signer = toSigner(keys)
  const { acceptSigned } = opts
  const config: MiddlewareConfig = opts.encrypt
    ? {
        options: opts,
        name,
        // Encrypted cookies go through `cookies` unsigned: there is no `.sig` to write.
        cookiesOptions: { keys: undefined },
        warnings: new Warnings(),
        sealer: new Sealer(keys as readonly SessionKey[]),
        // `true`: check signatures with `keys`; a list or a Keygrip instance: with those.
        acceptSigned: acceptSigned === true ? signer : toSigner(acceptSigned || undefined),
      }
    : { options: opts, name, cookiesOptions: { keys: signer }, warnings: new Warnings() }

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

/** What checks signatures for a list of keys or a Keygrip instance (used as given). */
export default cookieSession
