// The package's public types, all in one place: the options, the session as
// handlers see it, and the global declarations Express and @types/cookie-session users rely on.
import type { IncomingMessage, ServerResponse } from 'node:http'

/**
 * Anything that can sign and check a cookie the way `keygrip` does. `cookies`
 * calls `sign(data)` to make a signature and `index(data, digest)` to find the
 * key that made one (`-1` when none did).
 */
export interface KeygripLike {
  sign(data: string): string
  verify?(data: string, digest: string): boolean
  index(data: string, digest: string): number
}

/** One signing key: a non-empty string or Buffer. */
export type SessionKey = string | Buffer

/** HMAC hash functions for `<name>.sig`: `'sha1'` is what cookie-session 2.1.1 (keygrip) signs with. */
export type SigningAlgorithm = 'sha1' | 'sha256' | 'sha512'

/** `SameSite` values, in any letter case. `true` means `strict`. */
export type SameSiteOption = boolean | 'strict' | 'lax' | 'none' | 'Strict' | 'Lax' | 'None' | 'STRICT' | 'LAX' | 'NONE'

/** `Priority` values (a Chromium extension), in any letter case. */
export type PriorityOption = 'low' | 'medium' | 'high' | 'Low' | 'Medium' | 'High' | 'LOW' | 'MEDIUM' | 'HIGH'

/**
 * Options of `cookieSession()`. The middleware keeps this object: it fills in
 * the defaults (`signed`, `httpOnly`, `overwrite`) and every request's
 * `req.sessionOptions` inherits from it.
 */
export interface CookieSessionOptions {
  // `| undefined` everywhere: an option set to undefined is absent (also under exactOptionalPropertyTypes).
  /** Name of the cookie that holds the session. Its signature goes in `<name>.sig`. Default `'session'`. */
  name?: string | undefined
  /**
   * Keys to sign the cookie with: a list (the first signs, every one verifies,
   * so a new key goes first to rotate) or a `Keygrip` instance, used as given.
   * Required when `signed` is true, unless `secret` is set. With `encrypt`,
   * the keys to encrypt with: a list only, each key at least 32 bytes.
   * No default.
   */
  keys?: readonly SessionKey[] | KeygripLike | undefined
  /**
   * The HMAC hash for `<name>.sig`, or a list of them: the first signs, every
   * one verifies, with every key. `['sha256', 'sha1']` signs with HMAC-SHA256
   * and still accepts the SHA-1 signatures of 2.1.1; a valid cookie signed
   * any other way than with the first key and algorithm is re-issued whole
   * (value and `.sig`) when the session is read. Not with a Keygrip instance,
   * which has its own. Read when the middleware is built: changing it on
   * `req.sessionOptions` does nothing. Default `'sha1'` (what 2.1.1 writes).
   */
  algorithm?: SigningAlgorithm | readonly SigningAlgorithm[] | undefined
  /** A single key, used only when `keys` is not given. No default. */
  secret?: SessionKey | undefined
  /** Sign the cookie and check the signature on the way in. Default `true`. */
  signed?: boolean | undefined
  /** Hide the cookie from client-side JavaScript (`HttpOnly`). Default `true`. */
  httpOnly?: boolean | undefined
  /** Replace a cookie of the same name already set on this response. Default `true`. */
  overwrite?: boolean | undefined
  /** Lifetime in ms from each write (`Expires` = now + maxAge), at most 8.64e15. Encrypted, the middleware's also bounds every cookie server-side from its last write (see README). No default: a browser-session cookie. */
  maxAge?: number | undefined
  /** A fixed expiry date. Ignored when `maxAge` is set. No default. */
  expires?: Date | undefined
  /** Cookie `Path`. Default `'/'`. */
  path?: string | undefined
  /** Cookie `Domain`. No default: the cookie goes back only to the host that set it. */
  domain?: string | undefined
  /** Cookie `SameSite`: `'strict'`, `'lax'`, `'none'`, or `true` for strict. Default: no attribute. */
  sameSite?: SameSiteOption | undefined
  /**
   * Send the cookie only over HTTPS. Default: off for plain HTTP, on when the
   * request is HTTPS. Setting it on a plain-HTTP request sends no cookie.
   */
  secure?: boolean | undefined
  /** Cookie `Partitioned` (CHIPS). Default `false`. */
  partitioned?: boolean | undefined
  /** Cookie `Priority`: `'low'`, `'medium'` or `'high'`. Default: no attribute. */
  priority?: PriorityOption | undefined
  /**
   * Re-send a valid, populated session cookie on every response, so that
   * `maxAge` counts from the last request rather than the last change.
   * Default `false`.
   */
  rolling?: boolean | undefined
  /**
   * Encrypt the session instead of signing it: one cookie, `<name>` (no
   * `<name>.sig`), sealed with AES-256-GCM, so that whoever holds the cookie
   * can neither read nor change it. With `maxAge` or `expires`, the moment the
   * session expires is sealed in too, and the server treats the cookie as
   * absent after it, whatever the browser sends. Needs `keys`: a list (not a
   * Keygrip instance) of strings or Buffers of at least 32 bytes each, such as
   * `openssl rand -base64 32` makes; the first seals, every one opens, and a
   * cookie opened with another than the first is re-sealed on that response.
   * `signed: false` is refused with it. Read when the middleware is built
   * (setting it on `req.sessionOptions` changes nothing). Default `false`:
   * signed cookies, exactly as without this option.
   */
  encrypt?: boolean | undefined
  /**
   * With `encrypt: true`, to move a running app from signed cookies without
   * logging anyone out: a correctly signed pair (`<name>` and `<name>.sig`,
   * as signed mode and cookie-session 2.1.1 write it) also loads, and the
   * response replaces it with the encrypted cookie and clears `<name>.sig`.
   * `true` checks signatures with `keys`; a list of keys (any length, such as
   * the old signing keys) or a Keygrip instance checks them with those
   * instead: they only ever verify. Drop it once no signed cookie can still be
   * alive. Read when the middleware is built. Default `false`: signed cookies
   * are ignored (a new, empty session).
   */
  acceptSigned?: boolean | readonly SessionKey[] | KeygripLike | undefined
  /** Write the session deflated when shorter; both forms are read (README "Large sessions"). Default `false`. */
  compress?: boolean | undefined
  /** Cookies (1 to 3) a signed or encrypted session may span; see README "Large sessions". Default `1`. */
  chunks?: number | undefined
  /**
   * With `encrypt: true`: the longest a session lives from its creation, in ms (at most 8.64e15), however
   * often it is re-written; the creation moment is sealed and carried over every re-seal, and starts over on
   * `regenerate()`, a new session, and `acceptSigned`. Read when built. No default: none.
   */
  absoluteTimeout?: number | undefined
  /**
   * Passed on to `cookies`, which treats it as `secure` and prints a
   * deprecation warning. Kept for code written against `@types/cookie-session`.
   * No default.
   * @deprecated Use `secure`.
   */
  secureProxy?: boolean | undefined
}

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
