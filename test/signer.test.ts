// HmacSigner's own HMAC (two one-shot hashes over precomputed ipad/opad
// blocks) against keygrip and createHmac: long keys, long and non-ASCII data,
// buffer reuse between calls, keys changed in place, and the createHmac
// fallback for Node versions without crypto.hash.
import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import Keygrip from 'keygrip'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { HmacSigner } from '../src/signer.js'

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

function suite(load: () => Promise<typeof HmacSigner>) {
  it('signs byte for byte as keygrip and createHmac do (keys past the block size, data past the buffer)', async () => {
    const Signer = await load()
    fc.assert(
      fc.property(fc.array(keyArb, { minLength: 1, maxLength: 3 }), fc.array(dataArb, { minLength: 1, maxLength: 4 }), (keys, datas) => {
        const ours = new Signer(keys)
        const grip = new Keygrip(keys as string[])
        // Several messages in turn through the same signer: the reused buffer holds no stale bytes.
        for (const data of datas) {
          const expected = createHmac('sha1', keys[0] as string).update(data).digest('base64url')
          expect(ours.sign(data)).toBe(expected)
          expect(grip.sign(data)).toBe(expected)
          expect(ours.verifyFirst(data, expected)).toBe(true)
          expect(ours.index(data, expected)).toBe(grip.index(data, expected))
        }
      }),
      { numRuns: 150 },
    )
  })

  it('signs with exactly 64-, 65- and 4096-byte boundaries as createHmac does', async () => {
    const Signer = await load()
    for (const keyLength of [1, 63, 64, 65, 128]) {
      const key = 'k'.repeat(keyLength)
      for (const dataLength of [0, 1, 4095, 4096, 4097, 1365, 1366, 1367]) {
        for (const unit of ['a', 'é', '日']) {
          const data = unit.repeat(dataLength)
          expect(new Signer([key]).sign(data)).toBe(createHmac('sha1', key).update(data).digest('base64url'))
        }
      }
    }
  })

  it('notices a Buffer key changed in place, and a string key replaced at the same position', async () => {
    const Signer = await load()
    const key = Buffer.from('first key')
    const keys: (string | Buffer)[] = [key, 'second']
    const ours = new Signer(keys)
    const before = ours.sign('d')
    key.write('other', 0)
    expect(ours.sign('d')).toBe(new Keygrip([key as unknown as string]).sign('d'))
    expect(ours.sign('d')).not.toBe(before)
    expect(ours.index('d', new Keygrip(['second']).sign('d'))).toBe(1)
    keys[1] = 'third'
    expect(ours.index('d', new Keygrip(['second']).sign('d'))).toBe(-1)
    expect(ours.index('d', new Keygrip(['third']).sign('d'))).toBe(1)
    keys[0] = 'second'
    expect(ours.verifyFirst('d', new Keygrip(['second']).sign('d'))).toBe(true)
  })

  it('refuses digests of another length or content, or with characters above U+00FF', async () => {
    const Signer = await load()
    const ours = new Signer(['one', 'two'])
    const good = new Keygrip(['one']).sign('d')
    expect(ours.verifyFirst('d', good)).toBe(true)
    // Same low byte as a character of the good one, above U+00FF: latin1 would write it as that byte.
    const wide = `${good.slice(0, 5)}${String.fromCharCode((good.charCodeAt(5) as number) + 0x100)}${good.slice(6)}`
    for (const digest of ['', good.slice(1), `${good}A`, new Keygrip(['two']).sign('d'), `${good.slice(0, 26)}é`, wide]) {
      expect(ours.verifyFirst('d', digest), digest).toBe(false)
      expect(ours.index('d', digest), digest).toBe(new Keygrip(['one', 'two']).index('d', digest))
    }
  })
}

describe('HmacSigner with crypto.hash', () => {
  suite(async () => HmacSigner)
})

describe('HmacSigner without crypto.hash (Node before 20.12)', () => {
  afterEach(() => {
    vi.doUnmock('node:crypto')
    vi.resetModules()
  })
  suite(async () => {
    vi.resetModules()
    vi.doMock('node:crypto', async (importOriginal) => ({ ...(await importOriginal<object>()), hash: undefined }))
    return (await import('../src/signer.js')).HmacSigner
  })
})
