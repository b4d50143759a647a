// The cookie value: base64 of the session's JSON. Unit tests of the codec, then
// on every host: quoted values, ";" and non-ASCII text, lenient base64, broken
// cookies, and the one deliberate difference from 2.1.1 (payloads that are
// not plain objects).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decode, encode } from '../src/core/codec.js'
import { b64, cookieValue, decodeValue, describeSession, signedCookie, withBoth } from './support/core-harness.js'
import { type Handler, hosts, sendJson } from './support/hosts.js'

describe('codec', () => {
  it('encodes base64 of the UTF-8 JSON', () => {
    expect(encode({})).toBe('e30=')
    expect(encode({ a: 'é;✓' })).toBe(Buffer.from('{"a":"é;✓"}', 'utf8').toString('base64'))
  })

  it('round-trips any JSON object', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'grapheme' }), fc.jsonValue()), (data) => {
        const decoded = decode(encode(data))
        expect(JSON.stringify(decoded)).toBe(JSON.stringify(data))
      }),
      { numRuns: 200 },
    )
  })

  it('decodes as leniently as Node: missing padding and URL-safe letters', () => {
    const std = encode({ x: '??>>' })
    expect(std).toMatch(/[+/]/)
    const urlSafe = std.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
    expect(decode(urlSafe)).toEqual({ x: '??>>' })
  })

  it.each([
    ['null', 'null'],
    ['a number', '42'],
    ['a string', '"abcd"'],
    ['an array', '[1,2]'],
    ['true', 'true'],
    ['false', 'false'],
    ['broken JSON', '{"a":'],
    ['nothing', ''],
  ])('refuses %s', (_what, json) => {
    expect(decode(Buffer.from(json).toString('base64'))).toBeUndefined()
  })

  it('refuses text that is not base64 of JSON', () => {
    expect(decode('not base64 at all!')?.data).toBeUndefined()
    expect(decode('%%%')?.data).toBeUndefined()
  })
})

const handler: Handler = (req, res) => {
  const url = new URL(req.url, 'http://x')
  if (url.pathname === '/special') {
    req.session.semi = 'a;b=c; d'
    req.session.text = 'héllo wörld ✓ 日本 😀'
    req.session.quote = '"quoted"\\'
    req.session.control = '\u0000\n\t'
  }
  if (url.pathname === '/touch') req.session.t = 1
  sendJson(res, describeSession(req.session))
}

describe.each(hosts)('cookie values on $name', (host) => {
  const both = (body: Parameters<typeof withBoth>[3]) => withBoth(host, () => ({ keys: ['k1'] }), handler, body)

  it('round-trips a session holding ";" and non-ASCII text', () =>
    both(async (b) => {
      const first = await b.get('/special', { jar: true })
      const value = cookieValue(first.ours.setCookie) as string
      expect(value).toMatch(/^[A-Za-z0-9+/]+=*$/)
      const second = await b.get('/read', { jar: true })
      expect(second.ours.body).toMatchObject({ isNew: false, isChanged: false })
      expect(JSON.parse(second.ours.body.json)).toEqual({
        semi: 'a;b=c; d',
        text: 'héllo wörld ✓ 日本 😀',
        quote: '"quoted"\\',
        control: '\u0000\n\t',
      })
    }))

  it('unquotes a cookie value in double quotes (the signature covers the unquoted value)', () =>
    both(async (b) => {
      const value = b64({ q: 1 })
      const cookie = signedCookie(value).replace(`session=${value}`, `session="${value}"`)
      expect(cookie).toContain('session="')
      const { ours } = await b.get('/read', { cookie })
      expect(ours.body).toMatchObject({ isNew: false, keys: ['q'] })
      const touched = await b.get('/touch', { cookie })
      expect(cookieValue(touched.ours.setCookie)).toBe(b64({ q: 1, t: 1 }))
    }))

  it('reads base64 without padding and with URL-safe letters, and rewrites it canonical on change', () =>
    both(async (b) => {
      const std = b64({ x: '??>>' })
      const loose = std.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
      expect(loose).not.toBe(std)
      const { ours } = await b.get('/read', { cookie: signedCookie(loose) })
      expect(ours.body).toMatchObject({ isNew: false, keys: ['x'] })
      // The value is compared as it came: the same data in another spelling counts as changed.
      expect(ours.body.isChanged).toBe(true)
      expect(decodeValue(cookieValue(ours.setCookie))).toEqual({ x: '??>>' })
      expect(cookieValue(ours.setCookie)).toBe(std)
    }))

  it.each([
    ['text that is not base64 JSON', 'bm90IGpzb24'],
    ['broken JSON', Buffer.from('{"a":').toString('base64')],
    ['an empty value', ''],
  ])('gives a new session for %s, as 2.1.1 does', (_what, value) =>
    both(async (b) => {
      const { ours } = await b.get('/touch', { cookie: signedCookie(value) })
      expect(ours.body).toMatchObject({ isNew: true, keys: ['t'] })
    }),
  )

  describe('deliberate difference: payloads that are not plain objects', () => {
    it.each([
      ['null', null],
      ['a number', 7],
      ['a string', 'abcd'],
      ['an array', ['x', 'y']],
      ['true', true],
      ['false', false],
    ])('%s gives a new, empty session', (_what, payload) =>
      both(async (b) => {
        const { ours, oracle } = await b.raw('/read', { cookie: signedCookie(b64(payload)) })
        expect(ours.body).toEqual({ isNew: true, isChanged: true, isPopulated: false, keys: [], json: '{}' })
        expect(ours.setCookie).toEqual([])
        // 2.1.1 took it as a loaded session: not new, and for a string or an
        // array, one key per element.
        expect(oracle.body.isNew).toBe(false)
        expect(oracle.body).not.toEqual(ours.body)
      }),
    )

    it('2.1.1 spreads a string into one key per character; this package does not', () =>
      both(async (b) => {
        const { ours, oracle } = await b.raw('/read', { cookie: signedCookie(b64('abcd')) })
        expect(oracle.body).toMatchObject({ isNew: false, keys: ['0', '1', '2', '3'], json: '{"0":"a","1":"b","2":"c","3":"d"}' })
        expect(ours.body).toMatchObject({ isNew: true, keys: [] })

        // A 1.3 KB cookie comes back from 2.1.1 some ten times bigger once the session is touched.
        const value = b64('x'.repeat(1000))
        const touched = await b.raw('/touch', { cookie: signedCookie(value) })
        expect(cookieValue(touched.ours.setCookie)).toBe(b64({ t: 1 }))
        expect((cookieValue(touched.oracle.setCookie) as string).length).toBeGreaterThan(8 * value.length)
      }))
  })
})
