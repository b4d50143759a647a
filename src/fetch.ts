// The Fetch-API door, `cookie-session/fetch`: the same sessions as the
// middleware for Hono, Bun, Deno, Workers and Next.js; `read(request)` gives
// the session, `write(session, headers)` appends the Set-Cookie lines.
import { createConfig, type SessionConfig } from './core/config.js'
import type { CookieJar, SetCookieAttributes } from './core/jar.js'
import { ownerOf, Session } from './core/session.js'
import { SessionState } from './core/state.js'
import { makeCookie, readCookie, setCookieLine } from './cookie-header.js'
import type { CookieSessions, FetchSessionOptions } from './fetch/types.js'
import type { CookieSessionAssignment, CookieSessionObject, CookieSessionOptions, KeygripLike } from './types.js'

export type { CookieSessions, FetchSessionOptions } from './fetch/types.js'
export type {
  CookieSessionAssignment,
  CookieSessionBase,
  CookieSessionObject,
  CookieSessionOptions,
  KeygripLike,
  PriorityOption,
  SameSiteOption,
  SessionCallback,
  SessionData,
  SessionKey,
  SigningAlgorithm,
  WarningCode,
} from './types.js'

/** Cookie name prefixes that browsers accept only with `Secure` (RFC 6265bis sec 4.1.3). */
const SECURE_PREFIX = /^__(?:Secure|Host)-/

/** A Set-Cookie line waiting to be appended, and whether it replaces earlier ones of its name. */
interface Line {
  readonly prefix: string
  readonly line: string
  readonly overwrite: boolean
}

/**
 * One request's cookies for the core: read from its Cookie header, written
 * as Set-Cookie lines kept until {@link FetchJar.flush} appends them, so that
 * headers that refuse them raise an error in `write()` instead of a warning.
 */
class FetchJar implements CookieJar {
  lines: Line[] = []
  /** The options in force: the instance's when reading, the response's while writing. */
  current: unknown
  /** Made by `write()` for a session `read()` did not give: there is no request to read. */
  blind = false

  /** Whether the request came over HTTPS, worked out on the first write (reading the URL costs). */
  #https: boolean | undefined | null = null

  /**
   * @param cookie The request's Cookie header.
   * @param request The request, to tell whether it came over HTTPS;
   *   `undefined` when there is none (then `secure: true` is written as
   *   asked, and `Secure` is not added by default).
   */
  constructor(
    readonly cookie: string | null,
    readonly request: Request | undefined,
    readonly trustProxy: boolean,
    readonly signer: KeygripLike | undefined,
    options: unknown,
  ) {
    this.current = options
  }

  /** Whether the request came over HTTPS; `undefined` when there is no request to tell. */
  get https(): boolean | undefined {
    if (this.#https === null) this.#https = this.request && isHttps(this.request, this.trustProxy)
    return this.#https
  }

  get(name: string): string | undefined {
    return readCookie(this.cookie, name)
  }

  /** As `cookies.set` on a request of that scheme, with the door's signer as its keys. */
  set(name: string, value: string | null, attributes: SetCookieAttributes): void {
    const cookie = makeCookie(name, value, attributes)
    if (this.https === false && attributes.secure) throw new Error('Cannot send secure cookie over unencrypted connection')
    // No request to tell (write(null), read(headers)): a __Secure- or __Host- name is secure, or browsers refuse it.
    cookie.secure = attributes.secure !== undefined ? attributes.secure : (this.https ?? SECURE_PREFIX.test(name))
    if ('secureProxy' in attributes) cookie.secure = attributes.secureProxy
    const signed = attributes.signed ?? this.signer !== undefined
    // Before any line: a cookie that cannot be signed is not sent unsigned (`cookies` throws
    // before it sets the header; COOKIE_SESSION_NOT_SET says no cookie was sent).
    if (signed && this.signer === undefined) throw new Error('.keys required for signed cookies')
    this.#push(cookie.name, setCookieLine(cookie), Boolean(cookie.overwrite))
    if (signed && this.signer !== undefined) {
      cookie.value = this.signer.sign(`${cookie.name}=${cookie.value}`)
      cookie.name += '.sig'
      this.#push(cookie.name, setCookieLine(cookie), Boolean(cookie.overwrite))
    }
  }

  options(): unknown {
    return this.current
  }

  #push(name: string, line: string, overwrite: boolean): void {
    const prefix = `${name}=`
    if (overwrite && this.lines.length > 0) this.lines = this.lines.filter((l) => !l.line.startsWith(prefix))
    this.lines.push({ prefix, line, overwrite })
  }

  /**
   * Appends the lines to `headers`, first removing the Set-Cookie lines
   * already there that an `overwrite` cookie of the same name replaces.
   * @throws {TypeError} when `headers` cannot be changed.
   */
  flush(headers: Headers): void {
    const { lines } = this
    this.lines = []
    if (lines.length === 0) return
    try {
      // Most responses carry no Set-Cookie yet: then there is nothing to replace.
      if (headers.has('set-cookie')) {
        const replaced = lines.filter((l) => l.overwrite).map((l) => l.prefix)
        const existing = headers.getSetCookie()
        const kept = existing.filter((line) => !replaced.some((prefix) => line.startsWith(prefix)))
        if (kept.length !== existing.length) {
          headers.delete('set-cookie')
          for (const line of kept) headers.append('set-cookie', line)
        }
      }
      for (const l of lines) headers.append('set-cookie', l.line)
    } catch (err) {
      throw new TypeError(
        'cookie-session: could not add the session cookie to these response headers, which cannot be changed ' +
          '(a Response from fetch() or Response.redirect() has immutable headers). Write to the headers of a ' +
          'Response you make, or copy it first: `response = new Response(response.body, response)`.',
        { cause: err },
      )
    }
  }
}

/**
 * Whether `request` came over HTTPS, as `cookies` decides it for the
 * middleware: a TLS connection (here, the URL's scheme) or, with
 * `trustProxy` (Express's `trust proxy`), a first X-Forwarded-Proto that is
 * exactly `https` (Express's `req.protocol` is the header's text, compared
 * with `'https'`).
 */
function isHttps(request: Request, trustProxy: boolean): boolean {
  if (request.url.startsWith('https:')) return true
  if (!trustProxy) return false
  return request.headers.get('x-forwarded-proto')?.split(',', 1)[0]?.trim() === 'https'
}

/**
 * Creates the Fetch door: the sessions of `cookieSession(options)`, read
 * from a `Request` and written to a response's `Headers`, synchronously.
 *
 * ```ts
 * const sessions = createCookieSession({ keys: [process.env.SESSION_KEY!] })
 * const session = sessions.read(request)
 * session.views = (session.views ?? 0) + 1
 * const response = new Response(`${session.views} views`)
 * sessions.write(session, response.headers)
 * ```
 *
 * @param options Every option of `cookieSession()`, and `trustProxy`.
 * @throws exactly as `cookieSession()` does, for the same options.
 */
export function createCookieSession(options?: FetchSessionOptions): CookieSessions {
  const config: SessionConfig = createConfig(options)
  const trustProxy = options?.trustProxy ?? false
  // Express's `trust proxy` takes hop counts and addresses; this door trusts the header or not.
  if (typeof trustProxy !== 'boolean') {
    throw new TypeError(`cookie-session: option trustProxy must be true or false; got ${typeof trustProxy === 'string' ? JSON.stringify(trustProxy) : typeof trustProxy}`)
  }
  const { signer } = config
  /** The request state behind a session this instance's `read()` gave (no WeakMap: one entry per request costs the GC). */
  const stateOf = (session: object): SessionState | undefined => {
    if (!Session.isSession(session)) return undefined
    const owner = ownerOf(session)
    return owner instanceof SessionState && owner.config === config ? owner : undefined
  }

  return {
    read(request: Request | Headers): CookieSessionObject {
      // A Headers has get(); a Request (of any realm or subclass) has headers.
      const isHeaders = typeof (request as Headers | undefined)?.get === 'function'
      const headers = isHeaders ? (request as Headers) : (request as Request | undefined)?.headers
      if (typeof headers?.get !== 'function') throw new TypeError("cookie-session: read() takes a Request or its Headers (with Hono: c.req.raw)")
      const jar = new FetchJar(headers.get('cookie'), isHeaders ? undefined : (request as Request), trustProxy, signer, config.options)
      const state = new SessionState(config, jar, true)
      return state.get() as CookieSessionObject
    },

    write(session: CookieSessionAssignment, headers: Headers, responseOptions?: CookieSessionOptions): void {
      if (typeof (headers as Headers | undefined)?.append !== 'function') {
        throw new TypeError("cookie-session: write() takes the response's Headers (response.headers)")
      }
      if (session !== null && typeof session !== 'object') {
        // undefined too: a session variable that was never set must not log the user out.
        throw new TypeError(`cookie-session: write() takes the session read() gave, null to clear it, or an object to write; got ${typeof session}`)
      }
      let state = session === null ? undefined : stateOf(session)
      if (state === undefined && session !== null && Session.isSession(session)) {
        throw new TypeError('cookie-session: this session was read by another createCookieSession() instance; write it with that one')
      }
      if (state === undefined) {
        // Not a session read() gave (null, or another object): as assigning it to req.session.
        const blind = new FetchJar(null, undefined, false, signer, config.options)
        blind.blind = true
        state = new SessionState(config, blind, true)
        state.set(session)
      }
      const jar = state.jar as FetchJar
      // Like req.sessionOptions: inherits the instance's options; what is given here overrides them.
      jar.current = responseOptions ? Object.assign(Object.create(config.options), responseOptions) : config.options
      // What reading left to send (a bad `.sig` cleared): kept if these headers refuse the lines,
      // for the write that follows the fix the error names.
      const pending = jar.lines.length ? [...jar.lines] : []
      state.commit()
      try {
        jar.flush(headers)
      } catch (err) {
        jar.lines = pending
        throw err
      }
    },
  }
}
