// Signs and checks `<name>.sig` as keygrip does (HMAC-SHA1, base64url without
// padding), with node:crypto's createHmac and a constant-time comparison.
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { KeygripLike, SessionKey } from './types.js'

/**
 * keygrip's signatures for a list of keys: the first signs, every one verifies.
 * keygrip's own check runs two more HMACs and draws random bytes for every
 * comparison; `timingSafeEqual` gives the same constant-time answer for less.
 *
 * The list is read on every call, not copied, so an app that edits its keys
 * array in place rotates keys as it did with keygrip.
 */
export class HmacSigner implements KeygripLike {
  /** The caller's key list, private so that nothing reachable from a request prints it. */
  readonly #keys: readonly SessionKey[]

  constructor(keys: readonly SessionKey[]) {
    this.#keys = keys
  }

  /** Signs `data` with the first key. */
  sign(data: string): string {
    return hmac(this.#keys[0] as SessionKey, data)
  }

  /** Whether any key made `digest` for `data`. */
  verify(data: string, digest: string): boolean {
    return this.index(data, digest) !== -1
  }

  /** The position of the key that made `digest` for `data`, or -1. */
  index(data: string, digest: string): number {
    const given = Buffer.from(digest)
    for (let i = 0; i < this.#keys.length; i++) {
      const expected = Buffer.from(hmac(this.#keys[i] as SessionKey, data))
      // The length of a signature is public; only its contents need a constant-time check.
      if (given.length === expected.length && timingSafeEqual(given, expected)) return i
    }
    return -1
  }
}

/** HMAC-SHA1 of `data` (UTF-8) with `key`, in base64url without padding. */
function hmac(key: SessionKey, data: string): string {
  return createHmac('sha1', key).update(data).digest('base64url')
}
