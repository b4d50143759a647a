import type { IncomingMessage } from 'node:http'
import type { CookieSessionOptions } from './options.js'
import type { SessionCallback } from './session.js'

/**
 * The shape of your session data. Empty here; declare your keys by merging:
 *
 * ```ts
 * declare module 'cookie-session' {
 *   interface SessionData { views: number }
 * }
 * ```
 *
 * Declared keys are typed (and optional: a new session is empty); any other
 * key stays usable as `any`.
 */
export interface SessionData extends CookieSessionInterfaces.SessionData {}

/**
 * What every session has, whatever its data: the flags and the methods.
 * `CookieSessionInterfaces.CookieSessionObject` extends it, and
 * {@link CookieSessionObject} extends that.
 */
export interface CookieSessionBase {
  /** True unless the session was read from a valid cookie on this request. */
  readonly isNew: boolean
  /** True when the session is new or differs from the cookie it came from. */
  readonly isChanged: boolean
  /** True when the session holds any data. */
  readonly isPopulated: boolean
  /** Replaces `req.session` with a new, empty session (Passport calls it on login and logout). */
  regenerate(callback?: SessionCallback): this
  /** Calls back; the cookie is written with the response headers. */
  save(callback?: SessionCallback): this
  /** Keys not declared in {@link SessionData}. */
  // biome-ignore lint/suspicious/noExplicitAny: undeclared keys stay usable, as with @types/cookie-session
  [key: string]: any
}

/**
 * What `req.session` reads as: your {@link SessionData} (every key optional),
 * the session's flags and methods, and any other key as `any`. Keys added to
 * the global `CookieSessionInterfaces.CookieSessionObject` (the way
 * `@types/cookie-session` users typed their data) are included too.
 */
export interface CookieSessionObject extends Partial<SessionData>, CookieSessionInterfaces.CookieSessionObject {}

/**
 * What `req.session` accepts: an object (its enumerable keys become the new
 * session's data; declared keys must have their declared types), or `null`
 * (or `undefined`) to destroy the session.
 */
export type CookieSessionAssignment = (Partial<SessionData> & Record<string, unknown>) | null | undefined

/**
 * The two properties the middleware adds to a request. Express's `Request`
 * has them already; for `node:http` and Connect use {@link CookieSessionRequest}.
 */
export interface CookieSessionProperties {
  /**
   * The session, read lazily from the cookie. Assign an object to replace it,
   * `null` to destroy it.
   */
  get session(): CookieSessionObject
  set session(value: CookieSessionAssignment)
  /** This request's options: inherit the middleware's; changes apply to this response only. */
  sessionOptions: CookieSessionOptions
}

/**
 * A `node:http` or Connect request after the middleware ran:
 *
 * ```ts
 * const req = incoming as CookieSessionRequest
 * req.session.views = (req.session.views || 0) + 1
 * ```
 */
export interface CookieSessionRequest extends IncomingMessage, CookieSessionInterfaces.CookieSessionRequest {}

/** The exported `CookieSessionOptions`, under a name the global namespace below can reach. */
type SessionOptions = CookieSessionOptions

declare global {
  namespace Express {
    /** `req.session` and `req.sessionOptions`, added by cookie-session. */
    interface Request extends CookieSessionInterfaces.CookieSessionRequest {}
  }

  /**
   * The names `@types/cookie-session` declared, kept so that code written
   * against it compiles unchanged. New code can import the same types from
   * `'cookie-session'`.
   */
  namespace CookieSessionInterfaces {
    /**
     * Where `declare module 'cookie-session' { interface SessionData {} }`
     * lands when written in a CommonJS file (the package's CommonJS types
     * alias this one); the exported `SessionData` extends it, so the keys
     * declared either way reach `req.session`.
     */
    interface SessionData {}
    /** Options of `cookieSession()`; the same as the exported `CookieSessionOptions`. */
    interface CookieSessionOptions extends SessionOptions {}
    /**
     * The session's flags and methods. Properties merged in here (the
     * `@types/cookie-session` way to type session data) appear on `req.session`.
     */
    interface CookieSessionObject extends CookieSessionBase {}
    /** `req.session` and `req.sessionOptions`, without the rest of the request. */
    interface CookieSessionRequest extends CookieSessionProperties {}
  }
}
