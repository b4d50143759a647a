// HmacSigner against keygrip and createHmac: long keys, long and non-ASCII
// data, keys changed in place, digests that must be refused.
import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import Keygrip from 'keygrip'
import { describe, expect, it } from 'vitest'
import { HmacSigner } from '../src/core/signer.js'

const keyArb = fc.oneof(
  fc.string({ minLength: 1, maxLength: 200, unit: 'binary' }),
  fc.uint8Array({ minLength: 1, maxLength: 200 }).map((a) => Buffer.from(a)),
)
// Lone surrogates included: both sides encode them as U+FFFD.
const dataArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'binary', minLength: 1300, maxLength: 3000 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 4000, maxLength: 5000 }),
)

describe('HmacSigner', () => {
  it('signs byte for byte as keygrip and createHmac do (keys past the block size, long data)', async () => {
    fc.assert(
      fc.property(fc.array(keyArb, { minLength: 1, maxLength: 3 }), fc.array(dataArb, { minLength: 1, maxLength: 4 }), (keys, datas) => {
        const ours = new HmacSigner(keys)
        const grip = new Keygrip(keys as string[])
        for (const data of datas) {
          const expected = createHmac('sha1', keys[0] as string).update(data).digest('base64url')
          expect(ours.sign(data)).toBe(expected)
          expect(grip.sign(data)).toBe(expected)
          expect(ours.verify(data, expected)).toBe(true)
          expect(ours.index(data, expected)).toBe(grip.index(data, expected))
        }
      }),
      { numRuns: 150 },
    )
  })

  it('signs with exactly 64-, 65- and 4096-byte boundaries as createHmac does', async () => {
    for (const keyLength of [1, 63, 64, 65, 128]) {
      const key = 'k'.repeat(keyLength)
      for (const dataLength of [0, 1, 4095, 4096, 4097, 1365, 1366, 1367]) {
        for (const unit of ['a', 'é', '日']) {
          const data = unit.repeat(dataLength)
          expect(new HmacSigner([key]).sign(data)).toBe(createHmac('sha1', key).update(data).digest('base64url'))
        }
      }
    }
  })

  it('notices a Buffer key changed in place, and a string key replaced at the same position', async () => {
    const key = Buffer.from('first key')
    const keys: (string | Buffer)[] = [key, 'second']
    const ours = new HmacSigner(keys)
    const before = ours.sign('d')
    key.write('other', 0)
    expect(ours.sign('d')).toBe(new Keygrip([key as unknown as string]).sign('d'))
    expect(ours.sign('d')).not.toBe(before)
    expect(ours.index('d', new Keygrip(['second']).sign('d'))).toBe(1)
    keys[1] = 'third'
    expect(ours.index('d', new Keygrip(['second']).sign('d'))).toBe(-1)
    expect(ours.index('d', new Keygrip(['third']).sign('d'))).toBe(1)
    keys[0] = 'second'
    expect(ours.index('d', new Keygrip(['second']).sign('d'))).toBe(0)
  })

  it('refuses digests of another length or content, or with characters above U+00FF', async () => {
    const ours = new HmacSigner(['one', 'two'])
    const good = new Keygrip(['one']).sign('d')
    expect(ours.verify('d', good)).toBe(true)
    // Same low byte as a character of the good one, above U+00FF: a comparison of latin1 bytes would pass it.
    const wide = `${good.slice(0, 5)}${String.fromCharCode((good.charCodeAt(5) as number) + 0x100)}${good.slice(6)}`
    for (const digest of ['', good.slice(1), `${good}A`, new Keygrip(['two']).sign('d'), `${good.slice(0, 26)}é`, wide]) {
      const index = new Keygrip(['one', 'two']).index('d', digest)
      expect(ours.index('d', digest), digest).toBe(index)
      expect(ours.verify('d', digest), digest).toBe(index !== -1)
    }
  })
})
