// One request's session, whatever the door: read from the request's cookie
// on first use (verify, open, parse), and what to write back (change
// detection, re-issue, sealing, warnings) when the response goes out. It
// knows nothing of node:http or Fetch: a door hands it a CookieJar.
import type { SessionConfig } from './config.js'
import { sealedFor } from './chunks.js'
import { encode, encodeJson, parseObject } from './codec.js'
import { debug } from './debug.js'
import type { CookieJar, SetCookieAttributes } from './jar.js'
import { cookieAttributes, isSigned, optionsOf } from './options.js'
import { expiryOf, type Sealer } from './sealer.js'
import { Session, type SessionOwner } from './session.js'
import type { CookieSessionOptions } from '../types.js'
import { chunksFor, clearAllChunks, decodeValue, readValue, type Target, writeValue } from './large.js'

/** The state behind one request's session (the middleware's `req.session`, the Fetch door's `read()`). */
export class SessionState implements SessionOwner {
  /** `undefined`: never accessed; `false`: set to null (destroyed). */
  #session: Session | false | undefined = undefined
  /** `regenerate()` was called: an empty result clears the cookie instead of leaving it. */
  #regenerated = false
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
  /**
   * Encrypted: when the session in the cookie read was created, to seal again
   * (`absoluteTimeout` counts from it); `undefined` (now, when written) for a
   * new session, after `regenerate()`, and for a signed pair moved in.
   */
  #createdAt: number | undefined

  /**
   * @param jar The request's cookies and the response's Set-Cookie, from the door.
   * @param inPlace `regenerate()` empties the session object the caller holds
   *   instead of putting a new one in its place: for a door with no
   *   `req.session` to swap (the Fetch door).
   */
  constructor(
    readonly config: SessionConfig,
    readonly jar: CookieJar,
    readonly inPlace = false,
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

  regenerate(session: Session): void {
    debug('regenerate')
    this.#session = this.inPlace ? Session.renew(session, this) : Session.create(this)
    this.#regenerated = true
    this.#createdAt = undefined
  }

  /** Sets or clears the cookie as the session requires; runs as the headers go out. */
  commit(): void {
    const { warnings } = this.config
    let name = this.config.name
    // Everything inside: a throwing getter a handler put on req.sessionOptions
    // must give a warning, not an exception out of writeHead.
    try {
      const options = optionsOf(this.jar.options(), this.config.options)
      const rolling = Boolean(options.rolling)
      // Untouched: nothing to write, unless rolling re-sends a valid session.
      if (this.#session === undefined && !rolling) return
      // As in 2.1.1, a `name` set on this request's options names the cookie written.
      name = String(options.name ?? this.config.name)
      // Under another name than it was read, a session is written only when it changed: no
      // re-issue or rolling re-send of what was verified under the other name.
      const sameName = name === this.config.name
      const session = this.#session ?? this.#read()
      if (session === undefined) return
      const { sealer } = this.config
      const remove = session === false || (this.#regenerated && session.isNew && !session.isPopulated)
      const text = remove ? undefined : (valueToWrite(session, rolling && sameName, Boolean(sealer)) ?? (sameName ? this.#reissue : undefined))
      if (!remove && text === undefined) return
      // Only now that something is written: most reads write nothing.
      const attributes = cookieAttributes(options, this.config.signer !== undefined)
      // Encrypted: no `.sig`.
      if (sealer) attributes.signed = false
      const seal = sealer && ((aad: string, payload: string | Buffer) => this.#seal(sealer, aad, payload, options))
      const target: Target = { jar: this.jar, config: this.config, name, attributes, seal }
      if (text === undefined) {
        debug('remove %s', name)
        this.jar.set(name, '', attributes)
        if (sameName) this.#dropSignature(name, attributes)
        clearAllChunks(target)
        return
      }
      debug('save %s', name)
      // Compressed, sealed, in chunks as the options say; not at all when it does not fit them.
      if (writeValue(target, text) && sameName) this.#dropSignature(name, attributes)
    } catch (err) {
      warnings.notSet(name, err)
    }
  }

  /**
   * `text` (JSON, or a compressed payload) sealed for `name` (with chunks, the
   * name and count): written now, its session's creation carried over (or
   * now), its expiry from `options`.
   */
  #seal(sealer: Sealer, name: string, text: string | Buffer, options: CookieSessionOptions): string {
    const now = Date.now()
    const createdAt = this.#createdAt ?? now
    return sealer.seal(name, text, expiryOf(options, now, createdAt), now, createdAt)
  }

  /** With `acceptSigned`, after a signed pair was taken in: clears its `.sig`, with the same path and domain. */
  #dropSignature(name: string, attributes: SetCookieAttributes): void {
    if (this.#clearSignature) this.jar.set(`${name}.sig`, '', attributes)
  }

  /** The session in the request's cookie, if it is there, correctly signed (when it must be) and an object. */
  #read(): Session | undefined {
    if (this.config.sealer) return this.#readSealed(this.config.sealer)
    const { options, signer } = this.config
    const found = this.#cookieValue(isSigned(optionsOf(this.jar.options(), options), signer !== undefined))
    if (!found?.value) return undefined
    debug('parse %s', found.value)
    // Plain or compressed, whatever `compress` says; `plain` is what change detection compares.
    const decoded = decodeValue(found.body)
    if (decoded === undefined) return undefined
    if (found.stale) this.#reissue = decoded.plain
    return Session.load(this, decoded.plain, decoded.data, decoded.json, decoded.bytes)
  }

  /**
   * Encrypted: the session sealed in the request's cookie, if it opens, has
   * not expired and holds an object; else, with `acceptSigned`, the session
   * of a correctly signed pair.
   */
  #readSealed(sealer: Sealer): Session | undefined {
    const cookies = this.jar
    const { name, acceptSigned } = this.config
    const found = readValue(cookies, name, this.config.chunks)
    if (!found?.value) return undefined
    const opened = sealer.open(sealedFor(name, found.count), found.body, Date.now())
    if (opened !== undefined) {
      const data = parseObject(opened.json)
      if (data === undefined) return undefined
      this.#createdAt = opened.createdAt
      // Opened with an older key, or sealed in format e1: re-seal with the first key, as e2, on this response.
      if (opened.keyIndex > 0 || opened.legacy) this.#reissue = opened.json
      return Session.load(this, opened.json, data, opened.json)
    }
    if (acceptSigned === undefined) return undefined
    const digest = cookies.get(`${name}.sig`)
    if (!digest || acceptSigned.index(`${name}=${found.value}`, digest) < 0) return undefined
    const data = decodeValue(found.body)?.data
    if (data === undefined) return undefined
    debug('move signed %s to encrypted', name)
    const json = JSON.stringify(data)
    this.#reissue = json
    this.#clearSignature = true
    return Session.load(this, json, data, json)
  }

  /**
   * The session cookie's value, when it is there and, if `signed`, its `.sig`
   * checks with one of the keys; what `cookies.get(name, { signed })` returns.
   * A bad signature clears `.sig`, as there. `stale`: made with another key or
   * algorithm than the first, so to be re-issued; `cookies` would re-send
   * `.sig` alone, without the configured attributes (pillarjs/cookies issue
   * 22), and a browser would then drop it before the value.
   */
  #cookieValue(signed: boolean): { value: string; body: string; stale: boolean } | undefined {
    const cookies = this.jar
    const { name } = this.config
    // One cookie, or with `chunks` all of them: `value` is what is signed, `body` the value without the chunk header.
    const found = readValue(cookies, name, chunksFor(this.config, signed))
    if (found === undefined) return undefined
    const { value, body } = found
    if (!signed) return { value, body, stale: false }
    const digest = cookies.get(`${name}.sig`)
    if (!digest) return undefined
    const { signer } = this.config
    if (signer === undefined) throw new Error('.keys required for signed cookies')
    const data = `${name}=${value}`
    const index = signer.index(data, digest)
    if (index < 0) {
      cookies.set(`${name}.sig`, null, { path: '/', signed: false })
      return undefined
    }
    return { value, body, stale: index > 0 }
  }
}

/**
 * What to send for `session` (the cookie value when signed, its JSON to seal
 * when `sealed`), or `undefined` to send none: a new session once it holds
 * data; a loaded one when it changed or, when rolling, whenever it holds
 * data. A loaded session is compared by its JSON text, and encoded only when
 * it is written.
 */
function valueToWrite(session: Session | false, rolling: boolean, sealed: boolean): string | undefined {
  if (session === false) return undefined
  const serialize = sealed ? JSON.stringify : encode
  if (Object.getPrototypeOf(session) !== Session.prototype) {
    // The handler replaced the session's prototype; decide through whatever
    // its properties now say, as 2.1.1 did.
    return (!session.isNew || session.isPopulated) && session.isChanged ? serialize(session) : undefined
  }
  const ctx = Session.contextOf(session)
  if (ctx.isNew) return session.isPopulated ? serialize(session) : undefined
  const { loaded } = ctx
  const text = JSON.stringify(session)
  // Other text always means another value (encoding is one-to-one); the same text
  // means the same value when the cookie was spelled as the encoding writes it.
  const value = sealed ? text : text === ctx.json && ctx.exact() ? (loaded as string) : encodeJson(text)
  return value !== loaded || (rolling && session.isPopulated) ? value : undefined
}
