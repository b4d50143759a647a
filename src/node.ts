// The Express / Connect / node:http door: `cookieSession(options)`, the
// middleware that hangs `req.session` and `req.sessionOptions` on every
// request and writes the cookie through `cookies` from an on-headers hook.
import type { IncomingMessage, ServerResponse } from 'node:http'
import Cookies from 'cookies'
import onHeaders from 'on-headers'
import { readCookie } from './cookie-header.js'
import { createConfig } from './core/config.js'
import type { CookieJar, SetCookieAttributes } from './core/jar.js'
import { SessionState } from './core/state.js'
import type { CookieSessionMiddleware, CookieSessionOptions, KeygripLike } from './types.js'

/** The request as the middleware leaves it; a handler may replace `sessionOptions` with anything. */
interface SessionRequest extends IncomingMessage {
  sessionOptions?: unknown
}

/**
 * The request's cookies: read from the Cookie header as `cookies` 0.9.2 reads
 * them, and written through `cookies`, which signs `.sig` and writes
 * Set-Cookie exactly as cookie-session 2.1.1 did. Its `Cookies` object is
 * made on the first write, so a request that only reads makes none.
 */
class NodeJar implements CookieJar {
  #cookies: Cookies | undefined

  constructor(
    readonly req: SessionRequest,
    readonly res: ServerResponse,
    readonly signer: KeygripLike | undefined,
  ) {}

  get(name: string): string | undefined {
    return readCookie(this.req.headers.cookie, name)
  }

  set(name: string, value: string | null, attributes: SetCookieAttributes): void {
    this.#jar().set(name, value, attributes as Cookies.SetOption)
  }

  options(): unknown {
    return this.req.sessionOptions
  }

  #jar(): Cookies {
    this.#cookies ??= new Cookies(this.req, this.res, { keys: this.signer } as Cookies.Option)
    return this.#cookies
  }
}

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
  const config = createConfig(options)
  const { signer } = config

  // Each request's state sits on req under this middleware's own symbol, not
  // enumerable (util.inspect and copies of req leave it out), behind one
  // `req.session` accessor shared by all requests: defining a fresh getter
  // and setter on every request was most of what a request paid for its
  // session on Node.js 24 and 26 (commit 201d8b1). The symbol is per
  // middleware, so a saved `req.session` descriptor of an earlier middleware
  // still reaches that middleware's session.
  const state = Symbol('session state')
  const stateOf = (req: SessionRequest): SessionState | undefined => (req as SessionRequest & StateCarrier)[state]
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
    const session = new SessionState(config, new NodeJar(req, res, signer))
    Object.defineProperty(req, state, { configurable: true, writable: true, value: session })
    req.sessionOptions = Object.create(config.options)
    Object.defineProperty(req, 'session', accessor)
    onHeaders(res, () => session.commit())
    next()
  }
}

/** A request as this middleware leaves it, seen through one middleware's state symbol. */
type StateCarrier = { [key: symbol]: SessionState | undefined }
