// Options: checked once when the middleware is built, and resolved per
// response from `req.sessionOptions` (an option that is undefined or null means its default).
import { types } from 'node:util'
import { MAX_CHUNKS } from './chunks.js'
import type { SetCookieAttributes } from './jar.js'
import { isTimeout, MAX_DATE_MS, MIN_KEY_BYTES } from './sealer.js'
import type { CookieSessionOptions, KeygripLike, SessionKey, SigningAlgorithm } from '../types.js'

/** The options after `cookieSession()` filled in its defaults. */
export type ResolvedOptions = CookieSessionOptions & { signed: boolean; httpOnly: boolean; overwrite: boolean }

// The checks below reject, at construction, exactly the values on which every
// request would otherwise fail to set its cookie (`cookies` throws inside the
// header hook and cookie-session 2.1.1 swallows it): a broken app should fail
// once and loudly. Values `cookies` accepts stay accepted.

/**
 * RFC 6265 sec 4.1.1 / RFC 9110 sec 5.5:
 *   cookie-name   = token
 *   field-content = field-vchar [ 1*( SP / HTAB ) field-vchar ]
 * `cookies` allows any field-content but `;` and `=`; we also refuse the
 * whitespace and controls no browser accepts in a name.
 */
const COOKIE_NAME = /^[!-:<>-~\u0080-\u00ff]+$/

/**
 * RFC 6265 sec 4.1.1:
 *   path-value = <any CHAR except CTLs or ";">
 * As `cookies` 0.9.2 checks it, which also refuses "<" (and so must we, or the
 * cookie would silently fail on every request).
 */
export const PATH_VALUE = /^[ -:=-~]*$/

/**
 * RFC 6265 sec 4.1.1 (domain-value = subdomain, RFC 1034 sec 3.5 as relaxed
 * by RFC 1123 sec 2.1; a leading dot is allowed by RFC 6265 sec 5.2.3).
 */
export const DOMAIN_VALUE = /^([.]?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)([.][a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i

/** RFC 6265bis sec 4.1.1: samesite-value = "Strict" / "Lax" / "None" (case-insensitive). */
export const SAME_SITE_VALUE = /^(?:strict|lax|none)$/i

/** The HMAC hashes `algorithm` takes. */
const ALGORITHMS: readonly string[] = ['sha1', 'sha256', 'sha512'] satisfies SigningAlgorithm[]

/** Chromium's Priority attribute: "Low" / "Medium" / "High" (case-insensitive). */
export const PRIORITY_VALUE = /^(?:low|medium|high)$/i

function fail(option: string, expected: string, value: unknown): never {
  // Never print a would-be key (`keys: 'secret'`, a numeric secret): messages end up in logs.
  const got = option === 'keys' || option === 'secret' || option === 'acceptSigned' ? describeKind(value) : describe(value)
  throw new TypeError(`cookie-session: option ${option} ${expected}; got ${got}`)
}

function describeKind(value: unknown): string {
  if (typeof value === 'string') return value ? 'a string' : 'an empty string'
  if (Buffer.isBuffer(value)) return value.length ? 'a Buffer' : 'an empty Buffer'
  if (value == null || typeof value === 'object') return describe(value)
  return `a ${typeof value}`
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (value instanceof Date) return `Date(${value.getTime()})`
  if (Array.isArray(value)) return 'an array'
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value)
}

function isKey(key: unknown): key is SessionKey {
  return (typeof key === 'string' || Buffer.isBuffer(key)) && key.length > 0
}

function isKeygripLike(keys: unknown): keys is KeygripLike {
  const k = keys as KeygripLike | null
  return typeof k === 'object' && k !== null && typeof k.sign === 'function' && typeof k.index === 'function'
}

/**
 * Fills in the defaults on `options` itself, as 2.1.1 did (apps read them back
 * from `req.sessionOptions`), checks every option, and returns the cookie
 * name and the keys.
 */
export function resolveOptions(options: CookieSessionOptions | undefined): {
  options: ResolvedOptions
  name: string
  keys: readonly SessionKey[] | KeygripLike | undefined
  /** The algorithms a list of keys signs (the first) and verifies with. */
  algorithms: readonly SigningAlgorithm[]
} {
  const opts = (options ?? {}) as ResolvedOptions

  if (opts.name != null && (typeof opts.name !== 'string' || !COOKIE_NAME.test(opts.name))) {
    fail('name', 'must be a non-empty cookie name without ";", "=", whitespace or control characters', opts.name)
  }
  const name = opts.name ?? 'session'

  // As in 2.1.1, a falsy `keys` counts as absent, and `secret` only matters without `keys`.
  if (opts.keys) {
    if (!isKeygripLike(opts.keys)) {
      if (!Array.isArray(opts.keys)) fail('keys', 'must be an array of keys or a Keygrip instance', opts.keys)
      if (opts.keys.length === 0) fail('keys', 'must hold at least one key', opts.keys)
      for (const key of opts.keys) {
        if (!isKey(key)) fail('keys', 'must hold only non-empty strings or Buffers', key)
      }
    }
  } else if (opts.secret === '' || (opts.secret && !isKey(opts.secret))) {
    fail('secret', 'must be a non-empty string or a Buffer', opts.secret)
  }

  const { maxAge, expires, sameSite, priority, path, domain } = opts
  if (typeof maxAge === 'number' ? !(Math.abs(maxAge) <= MAX_DATE_MS) : maxAge) {
    fail('maxAge', `must be a finite number of milliseconds, at most ${MAX_DATE_MS} (the most a Date can carry)`, maxAge)
  }
  if (expires && !(types.isDate(expires) && !Number.isNaN(expires.getTime()))) {
    fail('expires', 'must be a valid Date', expires)
  }
  if (sameSite && sameSite !== true && !(typeof sameSite === 'string' && SAME_SITE_VALUE.test(sameSite))) {
    fail('sameSite', 'must be true, false, "strict", "lax" or "none"', sameSite)
  }
  if (priority && !(typeof priority === 'string' && PRIORITY_VALUE.test(priority))) {
    fail('priority', 'must be "low", "medium" or "high"', priority)
  }
  if (path && !(typeof path === 'string' && PATH_VALUE.test(path))) {
    fail('path', 'must be printable ASCII without ";" or "<"', path)
  }
  if (domain && !(typeof domain === 'string' && DOMAIN_VALUE.test(domain))) {
    fail('domain', 'must be a host name without ";", spaces or control characters', domain)
  }

  const keys = opts.keys || (opts.secret ? [opts.secret] : undefined)
  const algorithms = resolveAlgorithms(opts.algorithm, isKeygripLike(keys) || (Boolean(opts.encrypt) && isKeygripLike(opts.acceptSigned)))
  checkEncryption(opts, keys)
  checkLargeSessions(opts)

  if (opts.overwrite == null) opts.overwrite = true
  if (opts.httpOnly == null) opts.httpOnly = true
  if (opts.signed == null) opts.signed = true

  if (!keys && opts.signed) throw new Error('.keys required.')

  return { options: opts, name, keys, algorithms }
}

/** `algorithm` as a list, checked; `'sha1'` when not given. */
function resolveAlgorithms(algorithm: unknown, withKeygrip: boolean): readonly SigningAlgorithm[] {
  if (algorithm == null) return ['sha1']
  // Array.from: a hole in a sparse list is checked as undefined, not skipped.
  const list: unknown[] = Array.isArray(algorithm) ? Array.from(algorithm) : [algorithm]
  if (list.length === 0 || !list.every((a) => typeof a === 'string' && ALGORITHMS.includes(a))) {
    fail('algorithm', 'must be "sha1", "sha256" or "sha512", or a non-empty list of them', algorithm)
  }
  if (withKeygrip) fail('algorithm', 'cannot be combined with a Keygrip instance, which signs with its own', algorithm)
  return list as SigningAlgorithm[]
}

const TIMEOUT_EXPECTED = `must be a positive number of milliseconds, at most ${MAX_DATE_MS} (the most a Date can carry)`

/** Checks `encrypt`, `acceptSigned` and `absoluteTimeout`, and that encryption has keys to use. */
function checkEncryption(opts: CookieSessionOptions, keys: readonly SessionKey[] | KeygripLike | undefined): void {
  const { encrypt, acceptSigned, absoluteTimeout } = opts
  if (encrypt != null && typeof encrypt !== 'boolean') fail('encrypt', 'must be true or false', encrypt)
  if (absoluteTimeout != null) {
    if (!encrypt) fail('absoluteTimeout', 'only applies with encrypt: true', absoluteTimeout)
    if (!isTimeout(absoluteTimeout)) fail('absoluteTimeout', TIMEOUT_EXPECTED, absoluteTimeout)
  }
  if (acceptSigned != null && acceptSigned !== false) {
    if (!encrypt) fail('acceptSigned', 'only applies with encrypt: true', acceptSigned)
    if (acceptSigned !== true && !isKeygripLike(acceptSigned)) {
      const ok = Array.isArray(acceptSigned) && acceptSigned.length > 0 && acceptSigned.every(isKey)
      if (!ok) fail('acceptSigned', 'must be true, false, a non-empty array of non-empty strings or Buffers, or a Keygrip instance', acceptSigned)
    }
  }
  if (!encrypt) return
  if (opts.signed === false) {
    throw new TypeError('cookie-session: option signed cannot be false with encrypt: true: an encrypted cookie is always authenticated; leave signed unset')
  }
  const option = opts.keys ? 'keys' : 'secret'
  if (!keys) {
    throw new TypeError('cookie-session: option keys is required with encrypt: true: the encryption keys are derived from it')
  }
  if (isKeygripLike(keys)) {
    throw new TypeError(
      'cookie-session: option keys must be a list of keys with encrypt: true, not a Keygrip instance: ' +
        'the encryption keys are derived from the keys themselves',
    )
  }
  for (const key of keys) {
    if (Buffer.byteLength(key) < MIN_KEY_BYTES) {
      fail(option, `must hold keys of at least ${MIN_KEY_BYTES} bytes with encrypt: true (make one with: openssl rand -base64 32)`, key)
    }
  }
}

/** Checks `compress` and `chunks`. */
function checkLargeSessions(opts: CookieSessionOptions): void {
  const { compress, chunks } = opts
  if (compress != null && typeof compress !== 'boolean') fail('compress', 'must be true or false', compress)
  if (chunks == null) return
  if (!(Number.isInteger(chunks) && chunks >= 1 && chunks <= MAX_CHUNKS)) {
    fail('chunks', `must be a whole number from 1 to ${MAX_CHUNKS}`, chunks)
  }
  if (chunks > 1 && opts.signed === false) {
    throw new TypeError(
      'cookie-session: option chunks cannot be over 1 with signed: false: without a signature a missing, ' +
        'stale or mixed chunk cannot be told from a good one',
    )
  }
}

/**
 * The options in force for one response: `req.sessionOptions` while it is an
 * object (a handler may replace it), the middleware's otherwise.
 */
export function optionsOf(sessionOptions: unknown, middleware: ResolvedOptions): CookieSessionOptions {
  return typeof sessionOptions === 'object' && sessionOptions !== null ? sessionOptions : middleware
}

/** Whether one response's cookie is signed: by default, when there are keys to sign with. */
export function isSigned(options: CookieSessionOptions, hasKeys: boolean): boolean {
  return Boolean(options.signed ?? hasKeys)
}

/** Attributes passed to `cookies.set` only when set: left out, `cookies` applies its own default. */
const OPTIONAL_ATTRIBUTES = [
  'path',
  'domain',
  'maxAge',
  'expires',
  'sameSite',
  'secure',
  'partitioned',
  'priority',
  'secureProxy',
] as const satisfies readonly (keyof CookieSessionOptions)[]

/**
 * What `cookies.set` gets for one response: the cookie attributes of
 * `options`, an undefined or null one meaning its default. 2.1.1 passed the
 * whole options object on, where an own `path: undefined` dropped `Path`,
 * `httpOnly: undefined` dropped `HttpOnly` and `secureProxy: undefined`
 * turned `Secure` off.
 */
export function cookieAttributes(options: CookieSessionOptions, hasKeys: boolean): SetCookieAttributes {
  const attributes: SetCookieAttributes = {
    signed: isSigned(options, hasKeys),
    httpOnly: options.httpOnly ?? true,
    overwrite: options.overwrite ?? true,
  }
  for (const key of OPTIONAL_ATTRIBUTES) {
    const value = options[key]
    if (value != null) (attributes as Record<string, unknown>)[key] = value
  }
  // `cookies` would write `expires=Invalid Date` (as 2.1.1 did): no cookie, and COOKIE_SESSION_NOT_SET, instead.
  // Within 8e15 ms nothing overflows before the year 22000, so the common case reads no clock.
  const { maxAge } = attributes
  if (typeof maxAge === 'number' && maxAge && !(Math.abs(maxAge) <= 8e15) && !(Math.abs(Date.now() + maxAge) <= MAX_DATE_MS)) {
    throw new TypeError(`option maxAge puts Expires past the largest Date (${MAX_DATE_MS} ms from the epoch); got ${maxAge}`)
  }
  return attributes
}
