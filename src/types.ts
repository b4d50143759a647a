// The package's public types: the session as handlers see it, the middleware, and
// the global declarations Express and @types/cookie-session users rely on (the options: option-types.ts).
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { CookieSessionOptions } from './option-types.js'

export type {
  CookieSessionOptions,
  KeygripLike,
  PriorityOption,
  SameSiteOption,
  SessionKey,
  SigningAlgorithm,
} from './option-types.js'

/** The middleware `cookieSession()` returns; fits Express, Connect and `node:http`. */
export type CookieSessionMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void

/** Callback of `regenerate()` and `save()`; never given an error. */
export type SessionCallback = (err?: unknown) => void

/** Codes of the warnings this package emits with `process.emitWarning`. */
export type WarningCode = 'COOKIE_SESSION_TOO_LARGE' | 'COOKIE_SESSION_NOT_SET'

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
 * {@link CookieSessionObject} extends it.
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
export interface CookieSessionObject
  extends Partial<SessionData>,
    CookieSessionInterfaces.CookieSessionObject,
    CookieSessionBase {
  // Declared again: the global interface has them optional, as @types/cookie-session did.
  /** True unless the session was read from a valid cookie on this request. */
  readonly isNew: boolean
  /** True when the session is new or differs from the cookie it came from. */
  readonly isChanged: boolean
  /** True when the session holds any data. */
  readonly isPopulated: boolean
}

/**
 * What `req.session` accepts: any object (its enumerable keys become the new
 * session's data; declared keys must have their declared types), or `null`
 * (or `undefined`) to destroy the session.
 *
 * Two object members: `Record<string, unknown>` lets an object literal carry
 * keys not declared in {@link SessionData}, and `object` lets in values with no
 * index signature (interface-typed values, class instances).
 */
export type CookieSessionAssignment =
  | (Partial<SessionData> & Record<string, unknown>)
  | (Partial<SessionData> & object)
  | null
  | undefined

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
export interface CookieSessionRequest extends IncomingMessage, CookieSessionProperties {}

/** The exported `CookieSessionOptions`, under a name the global namespace below can reach. */
type SessionOptions = CookieSessionOptions

declare global {
  namespace Express {
    /**
     * `req.session` and `req.sessionOptions`, added by cookie-session. It
     * extends the global `CookieSessionInterfaces.CookieSessionRequest` (so
     * properties merged there appear here, as with `@types/cookie-session`),
     * with `session` narrowed: reading never gives `null`.
     */
    interface Request extends CookieSessionInterfaces.CookieSessionRequest {
      /**
       * The session, read lazily from the cookie. Assign an object to replace it,
       * `null` to destroy it.
       */
      get session(): CookieSessionObject
      set session(value: CookieSessionAssignment)
    }
  }

  /**
   * The names `@types/cookie-session` declared, with its shapes, kept so that
   * code written against it compiles unchanged. New code can import the
   * stricter types of the same names from `'cookie-session'`.
   */
  namespace CookieSessionInterfaces {
    /**
     * Where `declare module 'cookie-session' { interface SessionData {} }`
     * lands, from an ESM file or a CommonJS one (the package's type entries
     * both export this interface as `SessionData`); the `SessionData` above
     * extends it, so the declared keys reach `req.session`.
     */
    interface SessionData {}
    /** Options of `cookieSession()`; the same as the exported `CookieSessionOptions`. */
    interface CookieSessionOptions extends SessionOptions {}
    /**
     * A session as `@types/cookie-session` declared it: the flags (optional
     * and writable, so plain objects and test doubles fit) and any key.
     * Properties merged in here (the `@types/cookie-session` way to type
     * session data) appear on `req.session`, whose type (the exported
     * `CookieSessionObject`) extends this one with the flags read-only and
     * always there, and the methods.
     */
    interface CookieSessionObject {
      /** True when the session is new or differs from the cookie it came from. */
      isChanged?: boolean | undefined
      /** True unless the session was read from a valid cookie on this request. */
      isNew?: boolean | undefined
      /** True when the session holds any data. */
      isPopulated?: boolean | undefined
      /** Your session data. */
      // biome-ignore lint/suspicious/noExplicitAny: any key, as in @types/cookie-session
      [propertyName: string]: any
    }
    /**
     * `req.session` and `req.sessionOptions` as `@types/cookie-session`
     * declared them: the session optional and nullable, so plain objects fit.
     * Express's `Request` extends it with a session that reads as never null;
     * for `node:http` and Connect use the exported `CookieSessionRequest`.
     */
    interface CookieSessionRequest {
      /** The session; on Express's `Request`, never null when read. */
      session?: CookieSessionObject | null | undefined
      /** This request's options: inherit the middleware's; changes apply to this response only. */
      sessionOptions: CookieSessionOptions
    }
  }
}
