import * as crypto from 'node:crypto'
import type { KeygripLike, SessionKey } from './options.js'

/**
 * keygrip's signatures (HMAC-SHA1, base64url without padding) made with one
 * HMAC per key tried and compared with `crypto.timingSafeEqual`. keygrip's own
 * check runs two extra HMACs and draws random bytes for every comparison,
 * about five times the cost for the same answer.
 *
 * The key list is read on every call, not copied, so an app that edits its
 * keys array in place rotates keys exactly as it did with keygrip.
 *
 * Each key is prepared once (see {@link PreparedKey}). The cache is by
 * position and checked against the key now at that position on every call
 * (a string by value, a Buffer by its current bytes, since callers may change
 * those in place), so rotation takes effect at once.
 */
export class HmacSigner implements KeygripLike {
  /** Prepared keys by position. */
  readonly #prepared: (PreparedKey | undefined)[] = []

  /** The caller's key list, private so that nothing reachable from a request prints it. */
  readonly #keys: readonly SessionKey[]

  constructor(keys: readonly SessionKey[]) {
    this.#keys = keys
  }

  /** Signs `data` with the first key. */
  sign(data: string): string {
    return this.#key(0).sign(data)
  }

  /** Whether any key made `digest` for `data`. */
  verify(data: string, digest: string): boolean {
    return this.index(data, digest) !== -1
  }

  /** Whether the first key made `digest` for `data` (the common case, checked alone). */
  verifyFirst(data: string, digest: string): boolean {
    return matches(digest, this.#key(0).sign(data))
  }

  /** The position of the key that made `digest` for `data`, or -1. */
  index(data: string, digest: string): number {
    for (let i = 0; i < this.#keys.length; i++) {
      if (matches(digest, this.#key(i).sign(data))) return i
    }
    return -1
  }

  /** The key at position `i`, prepared. */
  #key(i: number): PreparedKey {
    const key = this.#keys[i] as SessionKey
    const prepared = this.#prepared[i]
    if (prepared?.isFor(key)) return prepared
    const fresh = new PreparedKey(key)
    this.#prepared[i] = fresh
    return fresh
  }
}

/** Every signature is SHA-1 in base64url without padding: 27 ASCII characters. */
const SIGNATURE_LENGTH = 27
/** Where both signatures are written to be compared: no allocation per check. */
const givenBytes = Buffer.alloc(SIGNATURE_LENGTH)
const expectedBytes = Buffer.alloc(SIGNATURE_LENGTH)

/**
 * Whether `given` is `expected`, compared in constant time as strings, as
 * keygrip compares them. The length is public (every signature has the same);
 * only the contents need `timingSafeEqual`. Writing as latin1 is exact for
 * characters up to U+00FF; a `given` with anything above cannot be a signature.
 */
function matches(given: string, expected: string): boolean {
  if (given.length !== SIGNATURE_LENGTH || expected.length !== SIGNATURE_LENGTH) return false
  for (let i = 0; i < SIGNATURE_LENGTH; i++) {
    if (given.charCodeAt(i) > 0xff) return false
  }
  givenBytes.write(given, 'latin1')
  expectedBytes.write(expected, 'latin1')
  return crypto.timingSafeEqual(givenBytes, expectedBytes)
}

/** SHA-1's block size in bytes: HMAC pads keys to it. */
const BLOCK = 64
/** Room for the signed text (`name=value`) after the padded key: a browser's cookie limit. */
const ROOM = 4096
/** SHA-1's digest size in bytes. */
const DIGEST = 20

type HashFn = (algorithm: string, data: string | Buffer, outputEncoding: string) => string | Buffer
/** One-shot `crypto.hash` (Node >= 20.12 / 21.7); `undefined` on older Node. */
const hash = (crypto as { hash?: HashFn }).hash

/**
 * One signing key, ready to use. With `crypto.hash`, HMAC is computed from
 * RFC 2104's definition, H((K ^ opad) ‖ H((K ^ ipad) ‖ m)), with both padded
 * blocks made once: two one-shot hashes cost about a third less than a
 * `crypto.Hmac` object. Without it, `createHmac` with a `KeyObject` made once.
 */
class PreparedKey {
  /** What the key was made from: the string, or a copy of the Buffer's bytes. */
  readonly #source: string | Buffer
  /** (K ^ ipad), then room for the message. */
  readonly #inner: Buffer | undefined
  /** (K ^ opad) followed by room for the inner digest. */
  readonly #outer: Buffer | undefined
  /** For `createHmac` when `crypto.hash` is missing. */
  readonly #secret: crypto.KeyObject | undefined

  constructor(key: SessionKey) {
    // A copy, so that a caller changing the Buffer in place is noticed.
    this.#source = typeof key === 'string' ? key : Buffer.from(key)
    if (hash === undefined) {
      this.#secret = crypto.createSecretKey(typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key))
      return
    }
    let k = typeof key === 'string' ? Buffer.from(key, 'utf8') : key
    // HMAC hashes keys longer than a block first.
    if (k.length > BLOCK) k = hash('sha1', k, 'buffer') as Buffer
    const inner = Buffer.alloc(BLOCK + ROOM)
    const outer = Buffer.alloc(BLOCK + DIGEST)
    for (let i = 0; i < BLOCK; i++) {
      const byte = i < k.length ? (k[i] as number) : 0
      inner[i] = byte ^ 0x36
      outer[i] = byte ^ 0x5c
    }
    this.#inner = inner
    this.#outer = outer
  }

  /** Whether this was prepared from `key` as it is now. */
  isFor(key: SessionKey): boolean {
    const source = this.#source
    return typeof key === 'string' ? source === key : typeof source !== 'string' && source.equals(key)
  }

  /** HMAC-SHA1 of `data` (UTF-8), in base64url without padding, as keygrip signs. */
  sign(data: string): string {
    if (hash === undefined) return crypto.createHmac('sha1', this.#secret as crypto.KeyObject).update(data).digest('base64url')
    const outer = this.#outer as Buffer
    // The inner digest as a latin1 string (one char per byte) and written back
    // into the outer block: about half the cost of asking for a Buffer.
    outer.write(hash('sha1', this.#innerMessage(data), 'latin1') as string, BLOCK, 'latin1')
    return hash('sha1', outer, 'base64url') as string
  }

  /**
   * (K ^ ipad) ‖ data, written into the buffer kept for it (no allocation), or
   * into a new one for data longer than any browser's cookie.
   */
  #innerMessage(data: string): Buffer {
    const inner = this.#inner as Buffer
    // UTF-8 takes at most 3 bytes per UTF-16 unit: check the cheap bound first.
    if (data.length * 3 <= ROOM || Buffer.byteLength(data) <= ROOM) {
      return inner.subarray(0, BLOCK + inner.write(data, BLOCK, 'utf8'))
    }
    return Buffer.concat([inner.subarray(0, BLOCK), Buffer.from(data, 'utf8')])
  }
}
