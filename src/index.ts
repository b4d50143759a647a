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
  // No key material in the log: not keys, not secret, not acceptSigned's old signing keys.
  const { keys: _keys, secret: _secret, acceptSigned: _acceptSigned, ...shown } = opts
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

  // Each request's state sits on req under this middleware's own symbol, not
  // enumerable (util.inspect and copies of req leave it out), behind one
  // `req.session` accessor shared by all requests: defining a fresh getter
  // and setter on every request was most of what a request paid for its
  // session on Node.js 24 and 26 (commit 201d8b1). The symbol is per
  // middleware, so a saved `req.session` descriptor of an earlier middleware
  // still reaches that middleware's session.
  const state = Symbol('session state')
  const stateOf = (req: SessionRequest): RequestSession | undefined => (req as SessionRequest & StateCarrier)[state]
  const accessor: PropertyDescriptor & ThisType<SessionRequest> = {
    configurable: true,
    enumerable: true,
    get() {
      return stateOf(this)?.get()
    },
    set(value: unknown) {
      const owner = stateOf(this)
      if (owner === undefined) throw new TypeError('req.session can only be set on a request the cookie-session middleware saw.')
      owner.set(value)
    },
  }

  return function cookieSessionMiddleware(req: SessionRequest, res, next) {
    const session = new RequestSession(config, req, res)
    Object.defineProperty(req, state, { configurable: true, writable: true, value: session })
    req.sessionOptions = Object.create(opts)
    Object.defineProperty(req, 'session', accessor)
    onHeaders(res, () => session.commit())
    next()
  }
}

/** A request as this middleware leaves it, seen through one middleware's state symbol. */
type StateCarrier = { [key: symbol]: RequestSession | undefined }

export default cookieSession
