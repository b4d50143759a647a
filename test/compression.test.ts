// Compression (`compress: true`): the two forms of a cookie value and of an
// encrypted payload, the bound on inflating (deflate bombs), and what
// cookie-session 2.1.1 makes of a compressed cookie (and of a chunked one).
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib'
import oracle from 'cookie-session-2'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decode, encode } from '../src/core/codec.js'
import {
  COMPRESSED_PAYLOAD_MARK,
  COMPRESSED_VALUE_MARK,
  compressValue,
  inflate,
  inflateValue,
  isCompressedValue,
  MAX_INFLATED_BYTES,
  packPayload,
  unpackPayload,
} from '../src/core/compress.js'
import { decodeValue } from '../src/core/large.js'
import { Sealer } from '../src/core/sealer.js'
import { send, serve, signedCookie } from './support/core-harness.js'
import { hosts, sendJson } from './support/hosts.js'
import { filled, KEY_NEW, names, withBrowser } from './support/large.js'

/** A session of repetitive JSON, about `bytes` long: what compresses well. */
function cart(bytes: number): Record<string, unknown> {
  const items: unknown[] = []
  while (JSON.stringify(items).length < bytes) items.push({ sku: `SKU-${items.length % 50}`, qty: 1, price: 9.99, gift: false })
  return { user: 'alice', items }
}

/** The JSON text held by a signed cookie value of either form. */
function jsonOf(value: string): string {
  const bytes = isCompressedValue(value) ? inflateValue(value) : Buffer.from(value, 'base64')
  return String(bytes)
}

describe('signed cookie values', () => {
  it('compresses when shorter, marked with "_" and in base64url without padding', () => {
    const plain = encode(cart(6000))
    const value = compressValue(plain)
    expect(value.startsWith(COMPRESSED_VALUE_MARK)).toBe(true)
    expect(value.slice(1)).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(value.length).toBeLessThan(plain.length / 4)
    expect(isCompressedValue(value)).toBe(true)
    expect(jsonOf(value)).toBe(JSON.stringify(cart(6000)))
  })

  it('keeps the plain value, byte for byte, when compressing does not shorten it', () => {
    for (const data of [{}, { n: 1 }, { id: 'x7Qp2' }, { r: 'q9Zk3fVbT0xLw8s' }]) {
      const plain = encode(data)
      expect(compressValue(plain)).toBe(plain)
      expect(isCompressedValue(plain)).toBe(false)
    }
  })

  it('never starts a plain value with the mark: base64 of a JSON object starts with "e"', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (data) => {
        const plain = encode(data)
        expect(plain[0]).toBe('e')
        expect(jsonOf(compressValue(plain))).toBe(JSON.stringify(data))
      }),
      { numRuns: 300 },
    )
  })

  it('is never read by the plain decoder as a session: the mark decodes to bytes no JSON starts with', () => {
    // Node's base64 decoder reads "_" as 63: the first byte is 0xFC..0xFF, never valid UTF-8.
    for (const next of ['A', 'e', '_', '-', 'z', '9']) {
      expect(Buffer.from(`${COMPRESSED_VALUE_MARK}${next}AAA`, 'base64')[0]).toBeGreaterThanOrEqual(0xfc)
    }
    expect(decode(compressValue(encode(cart(3000))))).toBeUndefined()
  })

  it('gives undefined, without throwing, for a marked value that is not deflate data', () => {
    for (const value of ['_', '_AAAA', '_!!!!', `_${Buffer.from('{"a":1}').toString('base64url')}`, '_/w']) {
      expect(inflateValue(value)).toBeUndefined()
    }
  })
})

describe('encrypted payloads', () => {
  it('are the JSON text itself without compress, or when compressing does not shorten it', () => {
    expect(packPayload('{"a":1}', false)).toBe('{"a":1}')
    expect(packPayload('{"a":1}', true)).toBe('{"a":1}')
    const big = JSON.stringify(cart(4000))
    expect(packPayload(big, false)).toBe(big)
  })

  it('are 0x00 and deflate-raw when shorter, and unpack to the same JSON', () => {
    const json = JSON.stringify(cart(8000))
    const payload = packPayload(json, true)
    expect(Buffer.isBuffer(payload)).toBe(true)
    expect((payload as Buffer)[0]).toBe(COMPRESSED_PAYLOAD_MARK)
    expect(payload.length).toBeLessThan(json.length / 4)
    expect(unpackPayload(payload as Buffer)).toBe(json)
    expect(unpackPayload(Buffer.from(json))).toBe(json)
  })

  it('give undefined for a marked payload that does not inflate', () => {
    expect(unpackPayload(Buffer.from([0, 1, 2, 3]))).toBeUndefined()
    expect(unpackPayload(Buffer.from([0]))).toBeUndefined()
  })
})

describe('the bound on inflating', () => {
  /**
   * Deflate-raw data that inflates to JSON text of `mib` MiB: one flushed block
   * of 1 MiB of "A" repeated (deflate blocks chain), cheaper than deflating it all.
   */
  const bomb = (mib: number) => {
    const flushed = { finishFlush: constants.Z_FULL_FLUSH, level: 9 }
    const run = deflateRawSync(Buffer.alloc(1024 * 1024, 'A'), flushed)
    return Buffer.concat([deflateRawSync(Buffer.from('{"a":"'), flushed), ...Array(mib).fill(run), deflateRawSync(Buffer.from('"}'))])
  }

  it('builds bombs that inflate to what they claim', () => {
    const json = inflateRawSync(bomb(2))
    expect(json.length).toBe(2 * 1024 * 1024 + 8)
    expect(JSON.parse(String(json)).a).toHaveLength(2 * 1024 * 1024)
  })

  it('reads a session up to the bound and refuses one past it', () => {
    const at = Buffer.alloc(MAX_INFLATED_BYTES, ' ')
    at.write('{}')
    expect(inflate(deflateRawSync(at))?.length).toBe(MAX_INFLATED_BYTES)
    expect(inflate(deflateRawSync(Buffer.alloc(MAX_INFLATED_BYTES + 1, ' ')))).toBeUndefined()
  })

  it('gives undefined for a cookie-sized bomb (deflate tops out near 1032:1: 10 KB inflates to 10 MB)', () => {
    const packed = bomb(10)
    expect(packed.length).toBeLessThan(10_500)
    const value = COMPRESSED_VALUE_MARK + packed.toString('base64url')
    expect(inflateValue(value)).toBeUndefined()
  })

  it('stops at the bound for a bomb of 300 MB: no exception, no memory spike', () => {
    const packed = bomb(300)
    expect(packed.length).toBeLessThan(400_000)
    const payload = Buffer.concat([Buffer.from([COMPRESSED_PAYLOAD_MARK]), packed])
    const before = process.memoryUsage()
    for (let i = 0; i < 20; i++) {
      expect(unpackPayload(payload)).toBeUndefined()
      expect(inflate(packed)).toBeUndefined()
    }
    const after = process.memoryUsage()
    // Inflating it whole would take 300 MB each time; the bound keeps each attempt to 256 KiB.
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(32 * 1024 * 1024)
    expect(after.rss - before.rss).toBeLessThan(64 * 1024 * 1024)
  })

  it('never compresses a session past the bound, so whatever is written reads back', () => {
    const huge = Buffer.alloc(MAX_INFLATED_BYTES + 10, ' ')
    huge.write('{}')
    const plain = huge.toString('base64')
    expect(compressValue(plain)).toBe(plain)
    expect(packPayload(huge.toString(), true)).toBe(huge.toString())
  })
})

describe('reading either form', () => {
  it('decodes plain and compressed values to the same data, plain value, JSON text and bytes', () => {
    const plain = encode(cart(3000))
    const json = JSON.stringify(cart(3000))
    const decoded = { plain, data: cart(3000), json, bytes: Buffer.from(json) }
    expect(decodeValue(plain)).toEqual(decoded)
    expect(decodeValue(compressValue(plain))).toEqual(decoded)
  })

  it('refuses a compressed value whose JSON is not an object, as a plain one', () => {
    const array = `${COMPRESSED_VALUE_MARK}${deflateRawSync('[1,2,3]').toString('base64url')}`
    expect(decodeValue(array)).toBeUndefined()
    expect(decodeValue(Buffer.from('[1,2,3]').toString('base64'))).toBeUndefined()
  })

  it('opens nothing from a seal whose compressed payload does not inflate within the bound', () => {
    const sealer = new Sealer(['k'.repeat(32)])
    const bomb = deflateRawSync(Buffer.alloc(MAX_INFLATED_BYTES + 1, ' '))
    const value = sealer.seal('session', Buffer.concat([Buffer.from([COMPRESSED_PAYLOAD_MARK]), bomb]), Number.POSITIVE_INFINITY)
    expect(sealer.open('session', value, Date.now())).toBeUndefined()
    const good = sealer.seal('session', packPayload(JSON.stringify(cart(3000)), true), Number.POSITIVE_INFINITY)
    expect(sealer.open('session', good, Date.now())?.json).toBe(JSON.stringify(cart(3000)))
  })
})

describe.each(hosts)('cookie-session 2.1.1 on $name', (host) => {
  it('reads a compressed, correctly signed cookie as a new, empty session', async () => {
    const value = compressValue(encode(cart(5000)))
    expect(isCompressedValue(value)).toBe(true)
    const app = host.create(oracle({ keys: ['k1'] }) as any, (req, res) =>
      sendJson(res, { isNew: req.session.isNew, keys: Object.keys(req.session) }),
    )
    const served = await serve(app)
    try {
      const sent = await send(served, '/', { cookie: signedCookie(value) })
      expect(sent.status).toBe(200)
      expect(sent.body).toEqual({ isNew: true, keys: [] })
      // Untouched, the new session writes nothing: the browser keeps its cookie.
      expect(sent.setCookie).toEqual([])
    } finally {
      await served.close()
    }
  })

  it('reads a chunked, correctly signed session (chunks: 3, ~9 KB) as a new, empty session', async () => {
    let cookie = ''
    await withBrowser(host, { keys: [KEY_NEW], chunks: 3 }, async (browser) => {
      expect(names((await browser.get('/fill?n=9000')).setCookie)).toEqual(['session', 'session.1', 'session.2', 'session.sig'])
      expect((await browser.get('/peek')).body.digest).toBe(filled(9000))
      cookie = browser.header()
    })
    const app = host.create(oracle({ keys: [KEY_NEW] }) as any, (req, res) =>
      sendJson(res, { isNew: req.session.isNew, keys: Object.keys(req.session) }),
    )
    const served = await serve(app)
    try {
      const sent = await send(served, '/', { cookie })
      expect(sent.status).toBe(200)
      expect(sent.body).toEqual({ isNew: true, keys: [] })
      // Its signature covers the assembled value, not the first cookie alone: 2.1.1 clears .sig, as for any bad one.
      expect(sent.setCookie).toHaveLength(1)
      expect(sent.setCookie[0]).toMatch(/^session\.sig=; path=\/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly$/)
    } finally {
      await served.close()
    }
  })
})
