import { createHmac, timingSafeEqual } from 'node:crypto'
import type { KeygripLike, SessionKey } from './options.js'

/**
 * keygrip's signatures (HMAC-SHA1, base64url without padding) made with one
 * HMAC per key tried and compared with `crypto.timingSafeEqual`. keygrip's own
 * check runs two extra HMACs and draws random bytes for every comparison,
 * about five times the cost for the same answer.
 *
 * The key list is read on every call, not copied, so an app that edits its
 * keys array in place rotates keys exactly as it did with keygrip.
 */
export class HmacSigner implements KeygripLike {
  constructor(private readonly keys: readonly SessionKey[]) {}

  /** Signs `data` with the first key. */
  sign(data: string): string {
    return hmac(this.keys[0] as SessionKey, data)
  }

  /** Whether any key made `digest` for `data`. */
  verify(data: string, digest: string): boolean {
    return this.index(data, digest) !== -1
  }

  /** The position of the key that made `digest` for `data`, or -1. */
  index(data: string, digest: string): number {
    const given = Buffer.from(digest)
    for (let i = 0; i < this.keys.length; i++) {
      const expected = Buffer.from(hmac(this.keys[i] as SessionKey, data))
      // Lengths are public (every SHA-1 signature has 27 characters); only the
      // contents need a constant-time comparison.
      if (given.length === expected.length && timingSafeEqual(given, expected)) return i
    }
    return -1
  }
}

function hmac(key: SessionKey, data: string): string {
  return createHmac('sha1', key).update(data).digest('base64url')
}
