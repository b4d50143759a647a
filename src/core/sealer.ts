// Encrypted session cookies (`encrypt: true`): sealing and opening a value with
// AES-256-GCM, the key derivation, and the expiry carried inside the seal.
//
// A cookie value is
//
//   "e1." base64url( iv (12 bytes) | ciphertext | tag (16 bytes) )
//
// base64url without padding, the only spelling accepted. The plaintext is
//
//   expiry (8 bytes: IEEE 754 double, big-endian, ms since the epoch; Infinity for none) | JSON (UTF-8)
//
// so the expiry sits outside the session's JSON and no key of the session's
// data can collide with it. The cookie name is the associated data: a value
// sealed for one name does not open under another. Each key of the list is
// turned into an AES key with HKDF-SHA256 and a label of its own, once, when
// the middleware is built; the first seals, every one opens.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import { types } from 'node:util'
import type { SessionKey } from '../types.js'

/** What every sealed value starts with: the format's version ("encrypted, format 1"). */
export const VERSION_TAG = 'e1.'

/** HKDF's `info`: binds the derived keys to this use, so a key that also signs elsewhere yields an unrelated one. */
export const HKDF_INFO = 'cookie-session/e1 aes-256-gcm cookie key'

/** The shortest key accepted, in bytes: as much as the AES-256 key made from it. */
export const MIN_KEY_BYTES = 32

const ALGORITHM = 'aes-256-gcm'
const KEY_BYTES = 32
const IV_BYTES = 12
const TAG_BYTES = 16
const EXPIRY_BYTES = 8
/** IVs drawn per `randomBytes` call: one call costs about as much as sealing a session. */
const IVS_PER_DRAW = 128

/** An opened value: the session's JSON text, and which key opened it (0: the one that seals). */
export interface Opened {
  readonly json: string
  readonly keyIndex: number
}

/** The AES-256 key made from one of the app's keys (strings count as UTF-8). */
function deriveKey(key: SessionKey): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), HKDF_INFO, KEY_BYTES))
}

/** Seals and opens session cookies with keys derived from the app's key list. */
export class Sealer {
  /** The derived keys, private so that nothing reachable from a request prints them. */
  readonly #keys: readonly Buffer[]
  /** Random bytes for the next IVs; each 12-byte slice is used once, then a new block is drawn. */
  #ivs = Buffer.alloc(0)
  #ivOffset = 0

  /** @param keys The app's keys, each at least {@link MIN_KEY_BYTES} long (checked by the options). */
  constructor(keys: readonly SessionKey[]) {
    this.#keys = keys.map(deriveKey)
  }

  /**
   * The cookie value holding `json` for the cookie `name`, refused by
   * {@link open} from the moment `expires` (ms since the epoch; `Infinity`
   * for never). Sealed with the first key and a fresh random IV.
   */
  seal(name: string, json: string, expires: number): string {
    const iv = this.#nextIv()
    const plaintext = Buffer.allocUnsafe(EXPIRY_BYTES + Buffer.byteLength(json))
    plaintext.writeDoubleBE(expires)
    plaintext.write(json, EXPIRY_BYTES, 'utf8')
    const cipher = createCipheriv(ALGORITHM, this.#keys[0] as Buffer, iv, { authTagLength: TAG_BYTES })
    cipher.setAAD(Buffer.from(name))
    const sealed = Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()])
    return VERSION_TAG + sealed.toString('base64url')
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
   * The JSON text sealed in `value` for the cookie `name`, or `undefined`
   * when it does not open: another version tag, base64url that is not
   * canonical, too short, changed in any way, sealed for another name or
   * with no key of the list, or expired at `now`. Never throws.
   */
  open(name: string, value: string, now: number): Opened | undefined {
    if (!value.startsWith(VERSION_TAG)) return undefined
    const text = value.slice(VERSION_TAG.length)
    const sealed = Buffer.from(text, 'base64url')
    // Node's decoder skips what it does not know and ignores the unused bits
    // of the last character: only the canonical spelling of the bytes counts.
    if (sealed.toString('base64url') !== text) return undefined
    if (sealed.length < IV_BYTES + EXPIRY_BYTES + TAG_BYTES) return undefined
    const iv = sealed.subarray(0, IV_BYTES)
    const ciphertext = sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)
    const tag = sealed.subarray(sealed.length - TAG_BYTES)
    const aad = Buffer.from(name)
    for (let i = 0; i < this.#keys.length; i++) {
      const plaintext = decrypt(this.#keys[i] as Buffer, iv, ciphertext, tag, aad)
      if (plaintext === undefined) continue
      // Past its expiry (or with none that compares, which only a bug could seal) the value is dead.
      if (!(now < plaintext.readDoubleBE(0))) return undefined
      return { json: plaintext.toString('utf8', EXPIRY_BYTES), keyIndex: i }
    }
    return undefined
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

/**
 * The moment a cookie written now with `options` expires, as `cookies` sets
 * its `Expires`: `maxAge` from now when it is set and not 0, else `expires`,
 * else never (a browser-session cookie, which the server cannot time out).
 * Throws on a `maxAge` or `expires` set per request to something that gives
 * no finite moment (options are checked only when the middleware is built):
 * sealing it would switch the server-side expiry off, or seal a cookie that
 * never opens.
 */
export function expiryOf(options: { maxAge?: unknown; expires?: unknown }, now: number): number {
  const { maxAge, expires } = options
  if (!maxAge && !expires) return Number.POSITIVE_INFINITY
  const expiry = maxAge ? now + (maxAge as number) : types.isDate(expires) ? expires.getTime() : Number.NaN
  if (!Number.isFinite(expiry)) throw new TypeError('maxAge or expires gives no expiry to seal')
  return expiry
}
