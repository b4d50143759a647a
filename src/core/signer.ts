// Signs and checks `<name>.sig` as keygrip does (HMAC, base64url without
// padding), with node:crypto's createHmac and a constant-time comparison.
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { KeygripLike, SessionKey, SigningAlgorithm } from '../types.js'

/**
 * keygrip's signatures for a list of keys and of algorithms: the first key
 * with the first algorithm signs, every pair verifies. keygrip's own check
 * runs two more HMACs and draws random bytes for every comparison;
 * `timingSafeEqual` gives the same constant-time answer for less.
 *
 * The key list is read on every call, not copied, so an app that edits its
 * keys array in place rotates keys as it did with keygrip.
 */
export class HmacSigner implements KeygripLike {
  /** The caller's key list, private so that nothing reachable from a request prints it. */
  readonly #keys: readonly SessionKey[]
  readonly #algorithms: readonly SigningAlgorithm[]

  constructor(keys: readonly SessionKey[], algorithms: readonly SigningAlgorithm[] = ['sha1']) {
    this.#keys = keys
    this.#algorithms = algorithms
  }

  /** Signs `data` with the first key and algorithm. */
  sign(data: string): string {
    return hmac(this.#algorithms[0] as SigningAlgorithm, this.#keys[0] as SessionKey, data)
  }

  /** Whether any key made `digest` for `data`. */
  verify(data: string, digest: string): boolean {
    return this.index(data, digest) !== -1
  }

  /**
   * Which (algorithm, key) pair made `digest` for `data`, counting keys within
   * algorithms: 0 for the first key with the first algorithm (as keygrip, 0
   * means "signed as this signer signs"), -1 for none.
   */
  index(data: string, digest: string): number {
    const given = Buffer.from(digest)
    let i = 0
    for (const algorithm of this.#algorithms) {
      for (const key of this.#keys) {
        const expected = Buffer.from(hmac(algorithm, key, data))
        // The length of a signature is public; only its contents need a constant-time check.
        if (given.length === expected.length && timingSafeEqual(given, expected)) return i
        i++
      }
    }
    return -1
  }
}

/** HMAC of `data` (UTF-8) with `key`, in base64url without padding. */
function hmac(algorithm: SigningAlgorithm, key: SessionKey, data: string): string {
  return createHmac(algorithm, key).update(data).digest('base64url')
}
