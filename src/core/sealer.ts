// Encrypted session cookies (`encrypt: true`): sealing and opening a value with
// AES-256-GCM, the key derivation, and the moments carried inside the seal.
//
// A cookie value is
//
//   "e2." base64url( iv (12 bytes) | ciphertext | tag (16 bytes) )
//
// base64url without padding, the only spelling accepted. The plaintext is
//
//   expiry | issuedAt | createdAt (8 bytes each) | payload
//
// the payload being the session's JSON (UTF-8), or with `compress` a 0x00
// byte and the JSON deflated (src/core/compress.ts), whichever is shorter;
// each moment an IEEE 754 double, big-endian, in ms since the epoch: the
// cookie's own expiry (Infinity for none), when this cookie was written, and
// when its session was created. They sit outside the session's JSON, so no key
// of the data can collide with them. The cookie name is the associated data: a
// value sealed for one name does not open under another. Each key of the list
// is turned into an AES key with HKDF-SHA256 and a label of its own, once, when
// the middleware is built; the first seals, every one opens.
//
// Format 1 ("e1.", sealed before 3.0.0-alpha.1) carried the expiry alone:
// `expiry | JSON`. It still opens, counted as written (and created) when the
// sealer was made, the earliest this code could have read it; the session
// then re-seals it as e2 (see `Opened.legacy`). The tag is not authenticated
// (the associated data stays the name alone, as in format 1), yet a value of
// one format under the other's tag does not open: an e1 plaintext read as e2
// has its JSON's "{" in the first byte of issuedAt, a moment past any Date; an
// e2 one read as e1 has issuedAt's first byte where e1's JSON starts with "{".
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import { types } from 'node:util'
import type { SessionKey } from '../types.js'
import { unpackPayload } from './compress.js'

/** What every sealed value starts with: the format's version ("encrypted, format 2"). */
export const VERSION_TAG = 'e2.'

/** The tag of format 1, which still opens. */
export const LEGACY_TAG = 'e1.'

/** HKDF's `info`: binds the derived keys to this use, so a key that also signs elsewhere yields an unrelated one. */
export const HKDF_INFO = 'cookie-session/e1 aes-256-gcm cookie key'

/** The shortest key accepted, in bytes: as much as the AES-256 key made from it. */
export const MIN_KEY_BYTES = 32

/** The largest distance from the epoch, in ms, that a Date can carry (ECMA-262 sec 21.4.1.22). */
export const MAX_DATE_MS = 8.64e15

const ALGORITHM = 'aes-256-gcm'
const KEY_BYTES = 32
const IV_BYTES = 12
const TAG_BYTES = 16
/** Format 2's moments: expiry, issuedAt, createdAt. */
const HEADER_BYTES = 24
/** Format 1's expiry. */
const LEGACY_HEADER_BYTES = 8
/** "{", the first byte of every JSON text format 1 sealed. */
const OPEN_BRACE = 0x7b
/** IVs drawn per `randomBytes` call: one call costs about as much as sealing a session. */
const IVS_PER_DRAW = 128

/** An opened value: the session's JSON text, which key opened it, and the moments sealed with it. */
export interface Opened {
  readonly json: string
  /** The key that opened it (0: the one that seals). */
  readonly keyIndex: number
  /** When the cookie was written (format 1: when the sealer was made). */
  readonly issuedAt: number
  /** When its session was created (format 1: when the sealer was made). */
  readonly createdAt: number
  /** Sealed in format 1: to be re-sealed in format 2 on this response. */
  readonly legacy: boolean
}

/** How long a sealed value opens, whatever it carries; `Infinity` (the default) for no bound. */
export interface SealerBounds {
  /** The longest a value opens after it was written (the middleware's `maxAge`), in ms. */
  readonly idle?: number | undefined
  /** The longest a value opens after its session was created (`absoluteTimeout`), in ms. */
  readonly absolute?: number | undefined
  /** When format 1 values count as written and created; default {@link E1_SINCE}. */
  readonly since?: number | undefined
  /** The moment no value opens any more (the middleware's `expires`, without `maxAge`), in ms since the epoch. */
  readonly notAfter?: number | undefined
}

/**
 * When a format 1 value counts as written and created: the day format 2
 * replaced it (2026-12-07). Fixed, so that no restart renews it: under a
 * middleware `maxAge`, every e1 cookie stops opening `maxAge` after that day
 * (the e2 cookie it is re-sealed into on its first read lives on).
 */
export const E1_SINCE = Date.UTC(2026, 11, 7)

/** The AES-256 key made from one of the app's keys (strings count as UTF-8). */
function deriveKey(key: SessionKey): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), HKDF_INFO, KEY_BYTES))
}

/** Seals and opens session cookies with keys derived from the app's key list. */
export class Sealer {
  /** The derived keys, private so that nothing reachable from a request prints them. */
  readonly #keys: readonly Buffer[]
  readonly #idle: number
  readonly #absolute: number
  readonly #notAfter: number
  readonly #since: number
  /** Random bytes for the next IVs; each 12-byte slice is used once, then a new block is drawn. */
  #ivs = Buffer.alloc(0)
  #ivOffset = 0
  /** The last cookie name used, as associated data (nearly always the middleware's one name): not re-encoded per cookie. */
  #aadName = ''
  #aad = Buffer.alloc(0)

  /**
   * @param keys The app's keys, each at least {@link MIN_KEY_BYTES} long (checked by the options).
   * @param bounds How long after writing and after creation a value still opens.
   */
  constructor(keys: readonly SessionKey[], bounds: SealerBounds = {}) {
    this.#keys = keys.map(deriveKey)
    this.#idle = bounds.idle ?? Number.POSITIVE_INFINITY
    this.#absolute = bounds.absolute ?? Number.POSITIVE_INFINITY
    this.#notAfter = bounds.notAfter ?? Number.POSITIVE_INFINITY
    this.#since = bounds.since ?? E1_SINCE
  }

  /**
   * The cookie value holding `json` for the cookie `name`, written at
   * `issuedAt` for a session created at `createdAt` (never later than
   * `issuedAt`: a clock that went back does not make a value that cannot
   * open), refused by {@link open} from the moment `expires` (ms since the
   * epoch; `Infinity` for never). Sealed with the first key and a fresh
   * random IV. `json` is the JSON text, or a compressed payload (`packPayload`).
   */
  seal(name: string, json: string | Buffer, expires: number, issuedAt = Date.now(), createdAt = issuedAt): string {
    const iv = this.#nextIv()
    const plaintext = Buffer.allocUnsafe(HEADER_BYTES + Buffer.byteLength(json))
    plaintext.writeDoubleBE(expires, 0)
    plaintext.writeDoubleBE(issuedAt, 8)
    plaintext.writeDoubleBE(Math.min(createdAt, issuedAt), 16)
    if (typeof json === 'string') plaintext.write(json, HEADER_BYTES, 'utf8')
    else json.copy(plaintext, HEADER_BYTES)
    const cipher = createCipheriv(ALGORITHM, this.#keys[0] as Buffer, iv, { authTagLength: TAG_BYTES })
    cipher.setAAD(this.#aadOf(name))
    const sealed = Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()])
    return VERSION_TAG + sealed.toString('base64url')
  }

  /** `name` as associated data: the UTF-8 bytes, kept for the next cookie of the same name. */
  #aadOf(name: string): Buffer {
    if (name !== this.#aadName) {
      this.#aad = Buffer.from(name)
      this.#aadName = name
    }
    return this.#aad
  }

  /** A fresh random 96-bit IV, never handed out twice (12 bytes of a block drawn with `randomBytes`). */
  #nextIv(): Buffer {
    if (this.#ivOffset === this.#ivs.length) {
      this.#ivs = randomBytes(IV_BYTES * IVS_PER_DRAW)
      this.#ivOffset = 0
    }
    const iv = this.#ivs.subarray(this.#ivOffset, this.#ivOffset + IV_BYTES)
    this.#ivOffset += IV_BYTES
    return iv
  }

  /**
   * What is sealed in `value` for the cookie `name`, or `undefined` when it
   * does not open: another version tag, base64url that is not canonical, too
   * short, changed in any way, sealed for another name or with no key of the
   * list, dead at `now` (past its own expiry, written `idle` or more ago,
   * or its session created `absolute` or more ago), or compressed and not
   * inflating within the bound. Never throws.
   */
  open(name: string, value: string, now: number): Opened | undefined {
    const legacy = !value.startsWith(VERSION_TAG)
    if (legacy && !value.startsWith(LEGACY_TAG)) return undefined
    const header = legacy ? LEGACY_HEADER_BYTES : HEADER_BYTES
    // Both tags are 3 characters long.
    const text = value.slice(VERSION_TAG.length)
    const sealed = Buffer.from(text, 'base64url')
    // Node's decoder skips what it does not know and ignores the unused bits
    // of the last character: only the canonical spelling of the bytes counts.
    if (sealed.toString('base64url') !== text) return undefined
    if (sealed.length < IV_BYTES + header + TAG_BYTES) return undefined
    const iv = sealed.subarray(0, IV_BYTES)
    const ciphertext = sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)
    const tag = sealed.subarray(sealed.length - TAG_BYTES)
    const aad = this.#aadOf(name)
    for (let i = 0; i < this.#keys.length; i++) {
      const plaintext = decrypt(this.#keys[i] as Buffer, iv, ciphertext, tag, aad)
      if (plaintext === undefined) continue
      // Format 1 sealed only JSON objects: anything else there is another format's bytes.
      if (legacy && plaintext[LEGACY_HEADER_BYTES] !== OPEN_BRACE) return undefined
      const issuedAt = legacy ? this.#since : plaintext.readDoubleBE(8)
      const createdAt = legacy ? this.#since : plaintext.readDoubleBE(16)
      if (!this.#alive(plaintext.readDoubleBE(0), issuedAt, createdAt, now)) return undefined
      // Format 1 is never compressed; a compressed payload that does not inflate within the bound opens to nothing.
      const json = legacy ? plaintext.toString('utf8', header) : unpackPayload(plaintext.subarray(header))
      return json === undefined ? undefined : { json, keyIndex: i, issuedAt, createdAt, legacy }
    }
    return undefined
  }

  /**
   * Whether a value with these moments still opens at `now`. Moments that do
   * not compare, lie past any Date, or a creation after the writing, only
   * another format's bytes (or a bug) could seal: the value is dead.
   */
  #alive(expires: number, issuedAt: number, createdAt: number, now: number): boolean {
    if (!(now < expires && now < this.#notAfter)) return false
    if (!(createdAt <= issuedAt && issuedAt <= MAX_DATE_MS && createdAt >= -MAX_DATE_MS)) return false
    return now - issuedAt < this.#idle && now - createdAt < this.#absolute
  }
}

/** The plaintext, or `undefined` when the tag does not check with `key`. */
function decrypt(key: Buffer, iv: Buffer, ciphertext: Buffer, tag: Buffer, aad: Buffer): Buffer | undefined {
  const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES })
  decipher.setAAD(aad)
  decipher.setAuthTag(tag)
  const plaintext = decipher.update(ciphertext)
  try {
    // Checks the tag (GCM's final() adds no bytes); the plaintext is used only if it passes.
    decipher.final()
    return plaintext
  } catch {
    // final() throws when the tag does not match: changed, another key, another name.
    return undefined
  }
}

/** Whether `value` is a usable `absoluteTimeout`: a positive number of ms, at most {@link MAX_DATE_MS}. */
export function isTimeout(value: unknown): value is number {
  return typeof value === 'number' && value > 0 && value <= MAX_DATE_MS
}

/**
 * The expiry to seal in a cookie written at `now` with `options`, for a
 * session created at `createdAt`: the moment `cookies` puts in its `Expires`
 * (`maxAge` from now when it is set and not 0, else `expires`, else never: a
 * browser-session cookie, which the server still bounds by the middleware's
 * `maxAge`, see {@link SealerBounds}), brought forward to `createdAt +
 * absoluteTimeout` when the options set one (per request, it can only end
 * the session sooner than the middleware's, which {@link Sealer.open}
 * enforces anyway). Throws on a `maxAge`, `expires` or `absoluteTimeout` set
 * per request to something that gives no moment a Date can carry (options
 * are checked only when the middleware is built): sealing it would switch the
 * cookie's own expiry off, or seal a cookie that never opens.
 */
export function expiryOf(options: { maxAge?: unknown; expires?: unknown; absoluteTimeout?: unknown }, now: number, createdAt = now): number {
  const { maxAge, expires, absoluteTimeout } = options
  let expiry = Number.POSITIVE_INFINITY
  if (maxAge || expires) {
    expiry = maxAge ? now + (maxAge as number) : types.isDate(expires) ? expires.getTime() : Number.NaN
    if (!(typeof expiry === 'number' && Math.abs(expiry) <= MAX_DATE_MS)) {
      throw new TypeError('maxAge or expires gives no expiry a Date can carry to seal')
    }
  }
  if (absoluteTimeout == null) return expiry
  if (!isTimeout(absoluteTimeout)) throw new TypeError(`absoluteTimeout must be a positive number of milliseconds, at most ${MAX_DATE_MS}`)
  return Math.min(expiry, createdAt + absoluteTimeout)
}
