// The options' public types: `CookieSessionOptions`, for the middleware and
// the Fetch door, and the types of its values (keys, algorithms, attributes).

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
  /**
   * Lifetime in ms from each write (`Expires` = now + maxAge), at most
   * 8.64e15 (what a `Date` holds). With `encrypt`, the middleware's `maxAge`
   * is also the longest the server accepts a cookie after its last write,
   * whatever the cookie or the request's options say; per request it can
   * only shorten that (README "Server-side expiry"). No default: a
   * browser-session cookie (and, encrypted, no server-side bound).
   */
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
  /**
   * Write the session deflate-raw compressed (`node:zlib`) when that is
   * shorter than plain; both forms are always read, whatever this says, so
   * turning it on or off logs no one out. With `encrypt`, the length then
   * tells how compressible the data is: see README "Large sessions" before
   * you mix attacker-chosen data with secrets. Read when the middleware is
   * built (not per request). Default `false`.
   */
  compress?: boolean | undefined
  /**
   * How many cookies (1 to 3: `<name>`, `<name>.1`, `<name>.2`) a signed or
   * encrypted session may span, each at most 4096 bytes of name plus value;
   * with more than 1, a session that does not fit is not written and
   * `COOKIE_SESSION_TOO_LARGE` says so. 3 keeps a full session within
   * Node.js's 16 KiB of request headers. Not with `signed: false`. Read when
   * the middleware is built (not per request). Default `1`: one cookie, as before.
   */
  chunks?: number | undefined
  /**
   * With `encrypt: true`: the longest a session lives from its creation, in
   * ms (at most 8.64e15), however often it is written again (`rolling`, every
   * change). The creation moment is sealed and carried over every re-seal,
   * and starts over on `regenerate()`, a new session, and a signed pair moved
   * in by `acceptSigned`. Per request it can only shorten the session; in
   * signed mode it is a `TypeError`. No default: no absolute limit.
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
