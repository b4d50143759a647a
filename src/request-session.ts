// The session of one request: read from the cookie the first time
// `req.session` is used, written back through `cookies` as the headers go out.
import type { IncomingMessage, ServerResponse } from 'node:http'
import Cookies from 'cookies'
import { decode, encode, parseObject } from './codec.js'
import { debug } from './debug.js'
import { cookieAttributes, isSigned, optionsOf, type ResolvedOptions } from './options.js'
import { expiryOf, type Sealer } from './sealer.js'
import { Session, type SessionOwner } from './session.js'
import type { KeygripLike } from './types.js'
import { COOKIE_SIZE_LIMIT, type Warnings } from './warnings.js'

/** What one middleware instance shares with all its requests. */
export interface MiddlewareConfig {
  /** The options it was built with, defaults filled in: each `req.sessionOptions` inherits from them. */
  readonly options: ResolvedOptions
  /** The cookie name it reads. */
  readonly name: string
  /** Passed to `cookies`: signs and checks `<name>.sig`; `undefined` without keys, and with `encrypt` (no `.sig`). */
  readonly cookiesOptions: { readonly keys: KeygripLike | undefined }
  readonly warnings: Warnings
  /** With `encrypt`: seals and opens the cookie. */
  readonly sealer?: Sealer | undefined
  /** With `encrypt` and `acceptSigned`: checks the signature of a signed pair to move over. */
  readonly acceptSigned?: KeygripLike | undefined
}

/** The request as the middleware leaves it; a handler may replace `sessionOptions` with anything. */
export interface SessionRequest extends IncomingMessage {
  sessionOptions?: unknown
}

/** The state behind one request's `req.session`. */
export class RequestSession implements SessionOwner {
  /** `undefined`: never accessed; `false`: set to null (destroyed). */
  #session: Session | false | undefined = undefined
  /** `regenerate()` was called: an empty result clears the cookie instead of leaving it. */
  #regenerated = false
  /** Made on first use: a request that never touches its session needs none. */
  #cookies: Cookies | undefined
  /**
   * What was loaded, to send again (the whole pair re-signed with the first
   * key and algorithm, or re-sealed with the first key)
   * unless something else is written: set when the cookie was signed with
   * another key or algorithm than the first, opened with another key than the
   * first, or was a signed pair taken in by `acceptSigned`. The cookie value,
   * or for an encrypted cookie the JSON text to seal.
   */
  #reissue: string | undefined
  /** The session came from a signed pair (`acceptSigned`): whatever is written, `<name>.sig` is cleared. */
  #clearSignature = false

  constructor(
    readonly config: MiddlewareConfig,
    readonly req: SessionRequest,
    readonly res: ServerResponse,
  ) {}

  /** The value of `req.session`. */
  get(): Session | null {
    const session = this.#session
    if (session) return session
    if (session === false) return null
    let created = this.#read()
    if (created === undefined) {
      debug('new session')
      created = Session.create(this)
    }
    this.#session = created
    return created
  }

  /** Assignment to `req.session`. */
  set(value: unknown): void {
    if (value == null) {
      this.#session = false
    } else if (typeof value === 'object') {
      this.#session = Session.create(this, value)
    } else {
      throw new Error('req.session can only be set as null or an object.')
    }
  }

  regenerate(): void {
    debug('regenerate')
    this.#session = Session.create(this)
    this.#regenerated = true
  }

  /** Sets or clears the cookie as the session requires; runs as the headers go out. */
  commit(): void {
    const { warnings } = this.config
    let name = this.config.name
    // Everything inside: a throwing getter a handler put on req.sessionOptions
    // must give a warning, not an exception out of writeHead.
    try {
      const options = optionsOf(this.req.sessionOptions, this.config.options)
      const rolling = Boolean(options.rolling)
      // Untouched: nothing to write, unless rolling re-sends a valid session.
      if (this.#session === undefined && !rolling) return
      // As in 2.1.1, a `name` set on this request's options names the cookie written.
      name = String(options.name ?? this.config.name)
      const session = this.#session ?? this.#read()
      if (session === undefined) return
      const { sealer } = this.config
      const attributes = cookieAttributes(options, this.config.cookiesOptions.keys !== undefined)
      // Encrypted: one cookie, written as is.
      if (sealer) attributes.signed = false
      if (session === false || (this.#regenerated && session.isNew && !session.isPopulated)) {
        debug('remove %s', name)
        this.#jar().set(name, '', attributes)
        this.#dropSignature(name, attributes)
        return
      }
      const text = valueToWrite(session, rolling, sealer ? JSON.stringify : encode) ?? this.#reissue
      if (text === undefined) return
      const value = sealer ? sealer.seal(name, text, expiryOf(options, Date.now())) : text
      const size = Buffer.byteLength(name) + value.length
      if (size > COOKIE_SIZE_LIMIT) warnings.tooLarge(name, size, Boolean(attributes.signed))
      debug('save %s', name)
      this.#jar().set(name, value, attributes)
      this.#dropSignature(name, attributes)
    } catch (err) {
      warnings.notSet(name, err)
    }
  }

  /** With `acceptSigned`, after a signed pair was taken in: clears its `.sig`, with the same path and domain. */
  #dropSignature(name: string, attributes: Cookies.SetOption): void {
    if (this.#clearSignature) this.#jar().set(`${name}.sig`, '', attributes)
  }

  /** The session in the request's cookie, if it is there, correctly signed (when it must be) and an object. */
  #read(): Session | undefined {
    if (this.config.sealer) return this.#readSealed(this.config.sealer)
    const { options, cookiesOptions } = this.config
    const found = this.#cookieValue(isSigned(optionsOf(this.req.sessionOptions, options), cookiesOptions.keys !== undefined))
    if (!found?.value) return undefined
    debug('parse %s', found.value)
    const data = decode(found.value)
    if (data === undefined) return undefined
    if (found.stale) this.#reissue = found.value
    return Session.load(this, found.value, data)
  }

  /**
   * Encrypted: the session sealed in the request's cookie, if it opens, has
   * not expired and holds an object; else, with `acceptSigned`, the session
   * of a correctly signed pair.
   */
  #readSealed(sealer: Sealer): Session | undefined {
    const cookies = this.#jar()
    const { name, acceptSigned } = this.config
    const value = cookies.get(name)
    if (!value) return undefined
    const opened = sealer.open(name, value, Date.now())
    if (opened !== undefined) {
      const data = parseObject(opened.json)
      if (data === undefined) return undefined
      // Opened with an older key: re-seal with the first on this response.
      if (opened.keyIndex > 0) this.#reissue = opened.json
      return Session.load(this, opened.json, data, JSON.stringify)
    }
    if (acceptSigned === undefined) return undefined
    const digest = cookies.get(`${name}.sig`)
    if (!digest || acceptSigned.index(`${name}=${value}`, digest) < 0) return undefined
    const data = decode(value)
    if (data === undefined) return undefined
    debug('move signed %s to encrypted', name)
    const json = JSON.stringify(data)
    this.#reissue = json
    this.#clearSignature = true
    return Session.load(this, json, data, JSON.stringify)
  }

  /**
   * The session cookie's value, when it is there and, if `signed`, its `.sig`
   * checks with one of the keys; what `cookies.get(name, { signed })` returns.
   * A bad signature clears `.sig`, as there. `stale`: made with another key or
   * algorithm than the first, so to be re-issued; `cookies` would re-send
   * `.sig` alone, without the configured attributes (pillarjs/cookies issue
   * 22), and a browser would then drop it before the value.
   */
  #cookieValue(signed: boolean): { value: string; stale: boolean } | undefined {
    const cookies = this.#jar()
    const { name } = this.config
    const value = cookies.get(name)
    if (value === undefined) return undefined
    if (!signed) return { value, stale: false }
    const digest = cookies.get(`${name}.sig`)
    if (!digest) return undefined
    const signer = this.config.cookiesOptions.keys
    if (signer === undefined) throw new Error('.keys required for signed cookies')
    const data = `${name}=${value}`
    const index = signer.index(data, digest)
    if (index < 0) {
      cookies.set(`${name}.sig`, null, { path: '/', signed: false })
      return undefined
    }
    return { value, stale: index > 0 }
  }

  /** This request's `cookies`, made on first use. */
  #jar(): Cookies {
    this.#cookies ??= new Cookies(this.req, this.res, this.config.cookiesOptions as Cookies.Option)
    return this.#cookies
  }
}

/**
 * What to send for `session`, written down with `serialize` (the cookie value
 * when signed, JSON to seal when encrypted), or `undefined` to send none: a
 * new session once it holds data; a loaded one when it changed or, when
 * rolling, whenever it holds data.
 */
function valueToWrite(session: Session, rolling: boolean, serialize: (data: object) => string): string | undefined {
  if (Object.getPrototypeOf(session) !== Session.prototype) {
    // The handler replaced the session's prototype; decide through whatever
    // its properties now say, as 2.1.1 did.
    return (!session.isNew || session.isPopulated) && session.isChanged ? serialize(session) : undefined
  }
  const { isNew, loaded } = Session.contextOf(session)
  if (isNew) return session.isPopulated ? serialize(session) : undefined
  const value = serialize(session)
  return value !== loaded || (rolling && session.isPopulated) ? value : undefined
}
