import { type IncomingMessage, OutgoingMessage, type ServerResponse } from 'node:http'
import Cookies from 'cookies'
import { decode, encode, encodeJson } from './codec.js'
import { debug } from './debug.js'
import type { CookieSessionOptions, KeygripLike } from './options.js'
import { Session, type SessionOwner } from './session.js'
import { HmacSigner } from './signer.js'
import { COOKIE_SIZE_LIMIT, type Warnings } from './warnings.js'

/** What one middleware instance shares with all its requests. */
export interface SessionCookieConfig {
  /** The cookie name. */
  readonly name: string
  /** Its size in bytes, for the size warning. */
  readonly nameBytes: number
  /** Passed to every `new Cookies()`; one object for all requests. */
  readonly cookiesOptions: { readonly keys: KeygripLike | undefined }
  readonly warnings: Warnings
}

/** The request as the middleware sees it. */
export interface SessionRequest extends IncomingMessage {
  sessionOptions: CookieSessionOptions
}

/**
 * What `cookies` writes to once the headers went out and the state let go of
 * the response. Writing a header fails there as it would on the response
 * itself: Node's own `setHeader` throws ERR_HTTP_HEADERS_SENT when `_header`
 * is set. (Only a first read of `req.session` after the headers, of a cookie
 * that `cookies` re-signs or clears `.sig` for, gets here.)
 */
const HEADERS_SENT = Object.freeze({
  _header: 'sent',
  getHeader: () => undefined,
  setHeader: OutgoingMessage.prototype.setHeader,
}) as unknown as ServerResponse

/**
 * The session cookie of one request: reads it the first time `req.session` is
 * used and writes it, through `cookies`, when the response headers go out.
 *
 * It is found through WeakMaps keyed by the request, and V8's scavenger keeps
 * a WeakMap's values alive as if strongly held: a value leading back to its
 * request would keep every request and response until a full GC (README,
 * "Performance"). So it lets go of both once the headers are out (see
 * {@link SessionCookie.letGo}); while the request is in flight they are alive anyway.
 */
export class SessionCookie implements SessionOwner {
  /** `undefined`: never accessed; `false`: set to null (destroyed). */
  session: Session | false | undefined = undefined
  /** `regenerate()` was called: an empty result clears the cookie instead of leaving it. */
  regenerated = false
  /** The request until the headers went out; then whatever the accessor was called on. */
  #req: SessionRequest | undefined
  /** The response until the headers went out, for `cookies` to set `.sig` while reading. */
  #res: ServerResponse

  constructor(
    readonly config: SessionCookieConfig,
    req: SessionRequest,
    res: ServerResponse,
  ) {
    this.#req = req
    this.#res = res
  }

  /**
   * Drops the request and the response once the headers really went out.
   * Not in {@link commit}: other header hooks run after it, before the headers
   * are written, and may read the session then; and writing them may fail.
   */
  static letGo(this: void, state: SessionCookie): void {
    if (!state.#res.headersSent) return
    state.#req = undefined
    state.#res = HEADERS_SENT
  }

  /** The value of `req.session`, read through `req` (the object the accessor was called on). */
  get(req: SessionRequest): Session | null {
    const session = this.session
    if (session) return session
    if (session === false) return null
    let created = this.read(this.#req ?? req, this.#res)
    if (!created) {
      debug('new session')
      created = Session.create(this)
    }
    this.session = created
    return created
  }

  /** Assignment to `req.session`. */
  set(value: unknown): void {
    if (value == null) {
      this.session = false
    } else if (typeof value === 'object') {
      this.session = Session.create(this, value)
    } else {
      throw new Error('req.session can only be set as null or an object.')
    }
  }

  regenerate(): void {
    debug('regenerate')
    this.session = Session.create(this)
    this.regenerated = true
  }

  /** The session in the request's cookie, if it is there, correctly signed and an object. */
  read(req: SessionRequest, res: ServerResponse): Session | undefined {
    const value = this.#cookieValue(req, res)
    if (!value) return undefined
    debug('parse %s', value)
    const decoded = decode(value)
    return decoded && Session.load(this, value, decoded)
  }

  /** The session cookie's value, exactly as `cookies.get` gives it, with its side effects. */
  #cookieValue(req: SessionRequest, res: ServerResponse): string | undefined {
    const options = req.sessionOptions
    const keys = this.config.cookiesOptions.keys
    // The common case, a cookie signed with the first key, needs no `Cookies`:
    // `cookies.get` would only find both values and check the signature.
    // Signed as `cookies` decides it: null, like false, means unsigned.
    if (options && keys instanceof HmacSigner && (options.signed === undefined || options.signed)) {
      const found = signedWithFirstKey(req.headers.cookie, this.config.name, keys)
      if (found !== FALL_BACK) return found
    }
    // Anything else (unsigned, a Keygrip, a secondary key, a bad signature)
    // through `cookies`, which also re-signs or clears `.sig` as needed.
    return cookiesFor(req, res, this.config).get(this.config.name, options as Cookies.GetOption)
  }

  /** Sets or clears the cookie as the session requires; runs as the headers go out. */
  commit(): void {
    const req = this.#req
    const res = this.#res
    // Runs once, from the header hook, before letGo: both are still held.
    if (req === undefined) return
    process.nextTick(SessionCookie.letGo, this)
    const options = req.sessionOptions
    const rolling = Boolean(options?.rolling)
    // Untouched: nothing to write, unless rolling re-sends a valid session.
    if (this.session === undefined && !rolling) return
    const { name } = this.config
    try {
      const session = this.session ?? this.read(req, res)
      if (session === undefined) return
      if (session === false || (this.regenerated && session.isNew && !session.isPopulated)) {
        debug('remove %s', name)
        cookiesFor(req, res, this.config).set(name, '', options as Cookies.SetOption)
        return
      }
      const value = valueToWrite(session, rolling)
      if (value === undefined) return
      const size = this.config.nameBytes + value.length
      if (size > COOKIE_SIZE_LIMIT) {
        // Signed unless this response says otherwise, as `cookies` decides it.
        const signed = options?.signed ?? this.config.cookiesOptions.keys !== undefined
        this.config.warnings.tooLarge(name, size, Boolean(signed))
      }
      debug('save %s', name)
      cookiesFor(req, res, this.config).set(name, value, options as Cookies.SetOption)
    } catch (err) {
      this.config.warnings.notSet(name, err)
    }
  }
}

/**
 * The cookie value to send for `session`, or `undefined` to send none. A new
 * session is sent once it holds data; a loaded one when its data changed (or,
 * when rolling, whenever it holds data). Serialises once.
 */
function valueToWrite(session: Session, rolling: boolean): string | undefined {
  if (Object.getPrototypeOf(session) !== Session.prototype) {
    // The handler replaced the session's prototype; decide through whatever
    // its properties now say, as 2.1.1 did.
    return (!session.isNew || session.isPopulated) && session.isChanged ? encode(session) : undefined
  }
  const ctx = Session.contextOf(session)
  const populated = hasData(session)
  if (ctx.isNew) return populated ? encode(session) : undefined
  const json = JSON.stringify(session)
  return !ctx.isLoadedJson(json) || (rolling && populated) ? encodeJson(json) : undefined
}

/** `cookies` for one read or write; never kept, as it holds the request and response. */
function cookiesFor(req: SessionRequest, res: ServerResponse, config: SessionCookieConfig): Cookies {
  return new Cookies(req, res, config.cookiesOptions as Cookies.Option)
}

/** Returned by {@link signedWithFirstKey} when only `cookies.get` can tell. */
const FALL_BACK = null

/**
 * What `cookies.get(name, { signed: true })` returns for `header`, found the
 * same way (first match of the same pattern, one pair of quotes removed),
 * when that involves no side effect: no cookie or no `.sig` (undefined), or
 * a value signed with the first key. Otherwise {@link FALL_BACK}.
 */
function signedWithFirstKey(header: unknown, name: string, signer: HmacSigner): string | undefined | typeof FALL_BACK {
  if (typeof header !== 'string') return header ? FALL_BACK : undefined
  const [valuePattern, sigPattern] = patternsFor(name)
  const value = cookieIn(header, valuePattern)
  if (value === undefined) return undefined
  const sig = cookieIn(header, sigPattern)
  if (!sig) return undefined
  return signer.verifyFirst(`${name}=${value}`, sig) ? value : FALL_BACK
}

/** The first value `pattern` finds in `header`, unquoted as `cookies` does. */
function cookieIn(header: string, pattern: RegExp): string | undefined {
  const match = pattern.exec(header)
  if (match === null) return undefined
  const value = match[1] as string
  return value[0] === '"' ? value.slice(1, -1) : value
}

/** `cookies`' patterns for a cookie and its `.sig`, made once per name. */
const patterns = new Map<string, readonly [RegExp, RegExp]>()

function patternsFor(name: string): readonly [RegExp, RegExp] {
  let pair = patterns.get(name)
  if (pair === undefined) {
    pair = [cookiePattern(name), cookiePattern(`${name}.sig`)]
    patterns.set(name, pair)
  }
  return pair
}

/** The pattern `cookies` 0.9 builds for `name` (getPattern). */
function cookiePattern(name: string): RegExp {
  return new RegExp(`(?:^|;) *${name.replace(/[\^$\\.*+?()[\]{}|]/g, '\\$&')}=([^;]*)`)
}

function hasData(session: Session): boolean {
  for (const key in session) {
    if (Object.hasOwn(session, key)) return true
  }
  return false
}
