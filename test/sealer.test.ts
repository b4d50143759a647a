// The sealed format (src/sealer.ts): what an e2 value carries (expiry, the
// moment it was written, its session's creation) and the bounds `open`
// enforces from the middleware's settings whatever the value says; e1 values,
// sealed before e2, still open, bounded from when the sealer was made; a value
// of one format under the other's tag never opens.
import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { E1_SINCE, expiryOf, HKDF_INFO, LEGACY_TAG, MAX_DATE_MS, Sealer, VERSION_TAG } from '../src/core/sealer.js'

const KEY = 'a fixed key for the e1 fixture, 32 bytes+'
const OTHER_KEY = 'another key of at least 32 bytes, for rotation'
const T0 = Date.UTC(2030, 0, 1)
const HOUR = 3_600_000
const aesKey = (key: string) => Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), HKDF_INFO, 32))

/**
 * Sealed by the e1 code (commit ab0cf01, src/sealer.ts) with KEY, IV
 * 000102030405060708090a0b, for "session": `{"user":"alice","n":1}` with no
 * expiry, and `{"user":"bob"}` expiring at 2031-01-01. Made with that commit's
 * Sealer (and {@link sealE1} below), which opened both.
 */
const E1_ALICE = 'e1.AAECAwQFBgcICQoLuiq-K-j72aFyh2fc_IbvWzLtlnTPzTEm55GMf7Ci8k8XGDM7vcLa18IcDLmYfw'
const E1_BOB = 'e1.AAECAwQFBgcICQoLh6a9DIb72aFyh2fc_IbvWzLulX-O1dZMjp4Te36JgphXb8CATXU'

/** The e1 format as the code before e2 sealed it: `expiry | JSON`, the name as associated data. */
function sealE1(json: string, expires: number, iv = Buffer.from('000102030405060708090a0b', 'hex'), key = KEY): string {
  const plaintext = Buffer.alloc(8 + Buffer.byteLength(json))
  plaintext.writeDoubleBE(expires)
  plaintext.write(json, 8)
  const cipher = createCipheriv('aes-256-gcm', aesKey(key), iv, { authTagLength: 16 })
  cipher.setAAD(Buffer.from('session'))
  return LEGACY_TAG + Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]).toString('base64url')
}

/** The plaintext of a value, decrypted by hand with KEY. */
function plaintextOf(value: string): Buffer {
  const sealed = Buffer.from(value.slice(3), 'base64url')
  const decipher = createDecipheriv('aes-256-gcm', aesKey(KEY), sealed.subarray(0, 12), { authTagLength: 16 })
  decipher.setAAD(Buffer.from('session'))
  decipher.setAuthTag(sealed.subarray(sealed.length - 16))
  const plaintext = decipher.update(sealed.subarray(12, sealed.length - 16))
  decipher.final()
  return plaintext
}

/** Re-tags a value: the same bytes under another format's tag. */
const retag = (value: string, tag: string) => tag + value.slice(3)

describe('format 2', () => {
  it('the plaintext is expiry, issuedAt, createdAt (big-endian doubles), then the JSON', () => {
    const value = new Sealer([KEY]).seal('session', '{"a":1}', T0 + HOUR, T0 + 5, T0)
    expect(value.startsWith(VERSION_TAG)).toBe(true)
    expect(VERSION_TAG).toBe('e2.')
    const plaintext = plaintextOf(value)
    expect([plaintext.readDoubleBE(0), plaintext.readDoubleBE(8), plaintext.readDoubleBE(16)]).toEqual([T0 + HOUR, T0 + 5, T0])
    expect(plaintext.toString('utf8', 24)).toBe('{"a":1}')
    // 12 bytes of IV, 24 of moments, 16 of tag: 4/3 of the JSON plus 72 characters.
    expect(value).toHaveLength(3 + Math.ceil(((12 + 24 + 7 + 16) * 4) / 3))
  })

  it('open gives back the JSON, the key and the moments', () => {
    const sealer = new Sealer([OTHER_KEY, KEY])
    const value = new Sealer([KEY]).seal('session', '{"a":1}', Number.POSITIVE_INFINITY, T0 + 5, T0)
    expect(sealer.open('session', value, T0 + 10)).toEqual({ json: '{"a":1}', keyIndex: 1, issuedAt: T0 + 5, createdAt: T0, legacy: false })
  })

  it('the name is bound whichever names come in turn (the last one’s bytes are kept for the next cookie)', () => {
    const sealer = new Sealer([KEY])
    const names = ['session', 'admin', 'session', 'séssion', 'admin', 'session']
    const values = names.map((name) => sealer.seal(name, `{"for":"${name}"}`, Number.POSITIVE_INFINITY))
    for (const [i, value] of values.entries()) {
      for (const name of new Set(names)) {
        expect(sealer.open(name, value, Date.now())?.json, `${names[i]} as ${name}`).toBe(name === names[i] ? `{"for":"${name}"}` : undefined)
      }
    }
  })

  it('issuedAt defaults to now and createdAt to issuedAt; a creation after the writing is sealed as the writing', () => {
    const sealer = new Sealer([KEY])
    const before = Date.now()
    const opened = sealer.open('session', sealer.seal('session', '{}', Number.POSITIVE_INFINITY), Date.now())
    expect(opened!.issuedAt).toBeGreaterThanOrEqual(before)
    expect(opened!.createdAt).toBe(opened!.issuedAt)
    // A clock that went back between two writes must not seal a value that never opens.
    const skewed = sealer.seal('session', '{}', Number.POSITIVE_INFINITY, T0, T0 + 1000)
    expect(sealer.open('session', skewed, T0)).toMatchObject({ issuedAt: T0, createdAt: T0 })
  })

  it('moments no Date can carry, or a creation after the writing, never open (only another format or a bug seals them)', () => {
    const sealer = new Sealer([KEY])
    const sealRaw = (issuedAt: number, createdAt: number) => {
      const plaintext = Buffer.alloc(24 + 2)
      plaintext.writeDoubleBE(Number.POSITIVE_INFINITY, 0)
      plaintext.writeDoubleBE(issuedAt, 8)
      plaintext.writeDoubleBE(createdAt, 16)
      plaintext.write('{}', 24)
      const iv = Buffer.alloc(12, 9)
      const cipher = createCipheriv('aes-256-gcm', aesKey(KEY), iv, { authTagLength: 16 })
      cipher.setAAD(Buffer.from('session'))
      return VERSION_TAG + Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]).toString('base64url')
    }
    expect(sealer.open('session', sealRaw(T0, T0), T0)?.json).toBe('{}')
    for (const [issuedAt, createdAt] of [
      [Number.NaN, T0],
      [T0, Number.NaN],
      [MAX_DATE_MS + 1, T0],
      [Number.POSITIVE_INFINITY, T0],
      [T0, Number.NEGATIVE_INFINITY],
      [T0, -MAX_DATE_MS - 1],
      [T0, T0 + 1],
    ]) {
      expect(sealer.open('session', sealRaw(issuedAt!, createdAt!), T0), `${issuedAt} ${createdAt}`).toBeUndefined()
    }
  })
})

describe('the bounds open enforces, whatever the value carries', () => {
  it('idle: refused from issuedAt + idle on, even with no expiry of its own, or a later one', () => {
    const sealer = new Sealer([KEY], { idle: HOUR })
    for (const expires of [Number.POSITIVE_INFINITY, T0 + 30 * 24 * HOUR]) {
      const value = sealer.seal('session', '{}', expires, T0)
      expect(sealer.open('session', value, T0 + HOUR - 1)).toBeDefined()
      expect(sealer.open('session', value, T0 + HOUR)).toBeUndefined()
      expect(sealer.open('session', value, T0 + 20 * 365 * 24 * HOUR)).toBeUndefined()
    }
  })

  it('the value’s own expiry still counts when it comes first', () => {
    const sealer = new Sealer([KEY], { idle: HOUR })
    const value = sealer.seal('session', '{}', T0 + 1000, T0)
    expect(sealer.open('session', value, T0 + 999)).toBeDefined()
    expect(sealer.open('session', value, T0 + 1000)).toBeUndefined()
  })

  it('absolute: refused from createdAt + absolute on, however recently it was written', () => {
    const sealer = new Sealer([KEY], { idle: HOUR, absolute: 3 * HOUR })
    const value = sealer.seal('session', '{}', Number.POSITIVE_INFINITY, T0 + 2.5 * HOUR, T0)
    expect(sealer.open('session', value, T0 + 3 * HOUR - 1)).toBeDefined()
    expect(sealer.open('session', value, T0 + 3 * HOUR)).toBeUndefined()
    expect(sealer.open('session', value, T0 + 3 * HOUR + 1)).toBeUndefined()
  })

  it('without bounds, only the value’s own expiry', () => {
    const value = new Sealer([KEY]).seal('session', '{}', Number.POSITIVE_INFINITY, T0)
    expect(new Sealer([KEY]).open('session', value, T0 + 100 * 365 * 24 * HOUR)).toBeDefined()
  })
})

describe('format 1 (e1), sealed before format 2', () => {
  it('the fixtures are what the e1 code seals', () => {
    expect(sealE1('{"user":"alice","n":1}', Number.POSITIVE_INFINITY)).toBe(E1_ALICE)
    expect(sealE1('{"user":"bob"}', Date.UTC(2031, 0, 1))).toBe(E1_BOB)
  })

  it('opens, counted as written and created when the sealer was made, marked legacy', () => {
    const sealer = new Sealer([KEY], { since: T0 })
    expect(sealer.open('session', E1_ALICE, T0 + 1)).toEqual({
      json: '{"user":"alice","n":1}',
      keyIndex: 0,
      issuedAt: T0,
      createdAt: T0,
      legacy: true,
    })
    // Opened with an older key too.
    expect(new Sealer([OTHER_KEY, KEY], { since: T0 }).open('session', E1_ALICE, T0)).toMatchObject({ keyIndex: 1, legacy: true })
  })

  it('since defaults to a fixed day, the one format 2 came in: no restart renews an e1 cookie', () => {
    expect(E1_SINCE).toBe(Date.UTC(2026, 11, 7))
    const opened = new Sealer([KEY]).open('session', E1_ALICE, Date.now())
    expect(opened).toMatchObject({ issuedAt: E1_SINCE, createdAt: E1_SINCE })
    // Under an idle bound, dead that long after that day, whenever the sealer was made.
    const bounded = new Sealer([KEY], { idle: HOUR })
    expect(bounded.open('session', E1_ALICE, E1_SINCE + HOUR - 1)).toBeDefined()
    expect(bounded.open('session', E1_ALICE, E1_SINCE + HOUR)).toBeUndefined()
  })

  it('bounded by idle and absolute from then, and by its own expiry', () => {
    const sealer = new Sealer([KEY], { since: T0, idle: HOUR, absolute: 30 * 60_000 })
    expect(sealer.open('session', E1_ALICE, T0 + 30 * 60_000 - 1)).toBeDefined()
    expect(sealer.open('session', E1_ALICE, T0 + 30 * 60_000)).toBeUndefined()
    const idleOnly = new Sealer([KEY], { since: T0, idle: HOUR })
    expect(idleOnly.open('session', E1_ALICE, T0 + HOUR - 1)).toBeDefined()
    expect(idleOnly.open('session', E1_ALICE, T0 + HOUR)).toBeUndefined()
    expect(idleOnly.open('session', E1_BOB, T0 + HOUR - 1)?.json).toBe('{"user":"bob"}')
    const late = new Sealer([KEY], { since: Date.UTC(2031, 0, 1) - 10 })
    expect(late.open('session', E1_BOB, Date.UTC(2031, 0, 1) - 1)).toBeDefined()
    expect(late.open('session', E1_BOB, Date.UTC(2031, 0, 1))).toBeUndefined()
  })

  it('a value of one format under the other’s tag never opens (the tag is not authenticated, the layout tells)', () => {
    const sealer = new Sealer([KEY], { since: T0 })
    const e2 = sealer.seal('session', '{"user":"alice","n":1}', Number.POSITIVE_INFINITY, T0)
    expect(sealer.open('session', e2, T0)).toBeDefined()
    expect(sealer.open('session', retag(e2, LEGACY_TAG), T0)).toBeUndefined()
    expect(sealer.open('session', retag(E1_ALICE, VERSION_TAG), T0)).toBeUndefined()
    // Whatever object the JSON holds: its "{" makes issuedAt a moment past any Date.
    for (const json of ['{}', '{"a":1}', `{"${'x'.repeat(40)}":{"b":[1,2,{}]}}`]) {
      const e1 = sealE1(json, Number.POSITIVE_INFINITY)
      expect(sealer.open('session', e1, T0)?.json).toBe(json)
      expect(sealer.open('session', retag(e1, VERSION_TAG), T0)).toBeUndefined()
    }
    // e1 sealed only objects: other JSON under its tag is another format's bytes.
    expect(sealer.open('session', sealE1('[1]', Number.POSITIVE_INFINITY), T0)).toBeUndefined()
  })
})

describe('expiryOf', () => {
  it('maxAge from now, else expires, else never', () => {
    expect(expiryOf({ maxAge: 1000 }, T0)).toBe(T0 + 1000)
    expect(expiryOf({ expires: new Date(T0 + 5) }, T0)).toBe(T0 + 5)
    expect(expiryOf({ maxAge: 0 }, T0)).toBe(Number.POSITIVE_INFINITY)
    expect(expiryOf({ maxAge: null, expires: null }, T0)).toBe(Number.POSITIVE_INFINITY)
  })

  it.each([
    ['maxAge 1e300', { maxAge: 1e300 }],
    ['maxAge 8.64e15 (from now: past the largest Date)', { maxAge: MAX_DATE_MS }],
    ['maxAge -1e300', { maxAge: -1e300 }],
    ['maxAge Infinity', { maxAge: Number.POSITIVE_INFINITY }],
    ['maxAge as a string', { maxAge: '1000' }],
    ['expires Invalid Date', { expires: new Date(Number.NaN) }],
    ['expires as a number', { expires: T0 }],
  ])('%s gives no moment a Date can carry: TypeError', (_what, options) => {
    expect(() => expiryOf(options, T0)).toThrow(TypeError)
  })

  it('up to the largest Date is fine', () => {
    expect(expiryOf({ maxAge: MAX_DATE_MS - T0 }, T0)).toBe(MAX_DATE_MS)
    expect(expiryOf({ expires: new Date(MAX_DATE_MS) }, T0)).toBe(MAX_DATE_MS)
  })
})
