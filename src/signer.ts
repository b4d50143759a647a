import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto'
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
 * String keys are turned into a `KeyObject` once (HMAC with a prepared key
 * costs about a third less than with a string, which is converted on every
 * call). The cache is by position and checked against the key now at that
 * position, so in-place rotation still takes effect at once. Buffer keys are
 * used as given: their bytes could be changed in place.
 */
export class HmacSigner implements KeygripLike {
  /** Prepared string keys by position, with the key each was made from. */
  readonly #prepared: ({ readonly key: string; readonly secret: KeyObject } | undefined)[] = []

  /** The caller's key list, private so that nothing reachable from a request prints it. */
  readonly #keys: readonly SessionKey[]

  constructor(keys: readonly SessionKey[]) {
    this.#keys = keys
  }

  /** Signs `data` with the first key. */
  sign(data: string): string {
    return hmac(this.#key(0), data)
  }

  /** The key at position `i`, prepared when it is a string. */
  #key(i: number): SessionKey | KeyObject {
    const key = this.#keys[i] as SessionKey
    if (typeof key !== 'string') return key
    const prepared = this.#prepared[i]
    if (prepared !== undefined && prepared.key === key) return prepared.secret
    const secret = createSecretKey(key, 'utf8')
    this.#prepared[i] = { key, secret }
    return secret
  }

  /** Whether any key made `digest` for `data`. */
  verify(data: string, digest: string): boolean {
    return this.index(data, digest) !== -1
  }

  /** The position of the key that made `digest` for `data`, or -1. */
  index(data: string, digest: string): number {
    const given = Buffer.from(digest)
    for (let i = 0; i < this.#keys.length; i++) {
      const expected = Buffer.from(hmac(this.#key(i), data))
      // Lengths are public (every SHA-1 signature has 27 characters); only the
      // contents need a constant-time comparison.
      if (given.length === expected.length && timingSafeEqual(given, expected)) return i
    }
    return -1
  }
}

function hmac(key: SessionKey | KeyObject, data: string): string {
  return createHmac('sha1', key).update(data).digest('base64url')
}
