// Signing: the HMAC signer against keygrip, and on every host the keys option
// (array, Keygrip, secret, rotation), .sig re-signing and clearing, and
// signed: false, each compared with cookie-session 2.1.1.
import fc from 'fast-check'
import Keygrip from 'keygrip'
import { describe, expect, it } from 'vitest'
import { HmacSigner } from '../src/core/signer.js'
import { b64, cookieValue, decodeValue, describeSession, sessionCookie, signedCookie, withBoth } from './support/core-harness.js'
import { type Handler, hosts, sendJson } from './support/hosts.js'

const keyArb = fc.oneof(
  fc.string({ minLength: 1, unit: 'grapheme' }),
  fc.uint8Array({ minLength: 1, maxLength: 80 }).map((a) => Buffer.from(a)),
)

describe('HmacSigner', () => {
  it('signs byte for byte as keygrip does, with string and Buffer keys', () => {
    fc.assert(
      fc.property(fc.array(keyArb, { minLength: 1, maxLength: 4 }), fc.string({ unit: 'grapheme' }), (keys, data) => {
        const grip = new Keygrip(keys as string[])
        expect(new HmacSigner(keys).sign(data)).toBe(grip.sign(data))
      }),
      { numRuns: 200 },
    )
  })

  it('matches a known keygrip signature (HMAC-SHA1, base64url, no padding)', () => {
    expect(new HmacSigner(['keyboard cat']).sign('session=e30=')).toBe(new Keygrip(['keyboard cat']).sign('session=e30='))
    expect(new HmacSigner(['k']).sign('x')).toMatch(/^[\w-]{27}$/)
  })

  it('finds the key that made a signature, as keygrip.index does', () => {
    fc.assert(
      fc.property(fc.array(keyArb, { minLength: 1, maxLength: 4 }), fc.string(), fc.nat(), (keys, data, pick) => {
        const ours = new HmacSigner(keys)
        const grip = new Keygrip(keys as string[])
        const signer = keys[pick % keys.length] as string
        const digest = new Keygrip([signer]).sign(data)
        expect(ours.index(data, digest)).toBe(grip.index(data, digest))
        expect(ours.index(data, digest)).toBeGreaterThanOrEqual(0)
        expect(ours.verify(data, digest)).toBe(true)
      }),
      { numRuns: 200 },
    )
  })

  it('agrees with keygrip on invalid, wrong-length and non-ASCII digests', () => {
    const keys = ['one', Buffer.from([0, 1, 2, 255]), 'three']
    const ours = new HmacSigner(keys)
    const grip = new Keygrip(keys as string[])
    const data = 'session=eyJhIjoxfQ=='
    const good = grip.sign(data)
    const digests = [
      '',
      'x',
      good.slice(0, -1),
      `${good}A`,
      `${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}`,
      good.toUpperCase(),
      `${good.slice(0, 26)}é`,
      `${good.slice(0, 25)}é`,
      '日本語日本語日本語日本語日本語日本語日本語日本語日本',
      `${good}=`,
      new Keygrip(['other']).sign(data),
    ]
    for (const digest of digests) {
      expect(ours.index(data, digest), digest).toBe(grip.index(data, digest))
      expect(ours.verify(data, digest), digest).toBe(grip.verify(data, digest))
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (digest) => {
        expect(ours.index(data, digest)).toBe(grip.index(data, digest))
      }),
      { numRuns: 300 },
    )
  })

  it('reads the key list on every call, so editing it in place rotates keys', () => {
    const keys = ['old']
    const ours = new HmacSigner(keys)
    const before = ours.sign('d')
    keys.unshift('new')
    expect(ours.sign('d')).toBe(new Keygrip(['new']).sign('d'))
    expect(ours.index('d', before)).toBe(1)
  })
})

const handler: Handler = (req, res) => {
  const url = new URL(req.url, 'http://x')
  if (url.pathname === '/untouched') return sendJson(res, {})
  if (url.pathname === '/set') {
    for (const [k, v] of url.searchParams) req.session[k] = v
  }
  if (url.pathname === '/per-request-unsigned') {
    req.sessionOptions.signed = false
    req.session.x = 1
  }
  sendJson(res, describeSession(req.session))
}

describe.each(hosts)('signing on $name', (host) => {
  const both = (makeOptions: () => object, body: Parameters<typeof withBoth>[3]) =>
    withBoth(host, makeOptions, handler, body)

  it('signs with the first key and accepts a cookie signed by it', () =>
    both(
      () => ({ keys: ['k1', 'k2'] }),
      async (b) => {
        const { ours } = await b.get('/set?a=1')
        const value = cookieValue(ours.setCookie) as string
        expect(cookieValue(ours.setCookie, 'session.sig')).toBe(new Keygrip(['k1']).sign(`session=${value}`))
        const again = await b.get('/read', { cookie: signedCookie(value, 'k1') })
        expect(again.ours.body).toMatchObject({ isNew: false, keys: ['a'] })
        expect(again.ours.setCookie).toEqual([])
      },
    ))

  it('loads a cookie signed by a secondary key and re-issues the pair signed with the first (2.1.1: .sig alone)', () =>
    both(
      () => ({ keys: ['k1', 'k2'] }),
      async (b) => {
        const cookie = sessionCookie({ a: 1 }, 'k2')
        const { ours, oracle } = await b.raw('/read', { cookie })
        expect(ours.body).toMatchObject({ isNew: false, keys: ['a'] })
        expect(ours.body).toEqual(oracle.body)
        const resigned = `session.sig=${new Keygrip(['k1']).sign(`session=${b64({ a: 1 })}`)}; path=/; httponly`
        expect(ours.setCookie).toEqual([`session=${b64({ a: 1 })}; path=/; httponly`, resigned])
        expect(oracle.setCookie).toEqual([resigned])
        // Changed as well: the session cookie and its signature, the re-signed .sig replaced.
        const changed = await b.get('/set?b=2', { cookie })
        expect(changed.ours.setCookie.map((c) => c.split('=')[0])).toEqual(['session', 'session.sig'])
      },
    ))

  it('gives a new session on a bad signature and clears .sig; a missing .sig clears nothing', () =>
    both(
      () => ({ keys: ['k1', 'k2'] }),
      async (b) => {
        const bad = await b.get('/read', { cookie: sessionCookie({ a: 1 }, 'intruder') })
        expect(bad.ours.body).toMatchObject({ isNew: true, keys: [] })
        expect(bad.ours.setCookie).toEqual(['session.sig=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly'])
        const missing = await b.get('/read', { cookie: `session=${b64({ a: 1 })}` })
        expect(missing.ours.body).toMatchObject({ isNew: true, keys: [] })
        expect(missing.ours.setCookie).toEqual([])
        const forged = await b.get('/set?evil=1', { cookie: sessionCookie({ admin: true }, 'intruder') })
        expect(decodeValue(cookieValue(forged.ours.setCookie))).toEqual({ evil: '1' })
      },
    ))

  it('never checks a signature when the session is not accessed', () =>
    both(
      () => ({ keys: ['k1'] }),
      async (b) => {
        const { ours } = await b.get('/untouched', { cookie: sessionCookie({ a: 1 }, 'intruder') })
        expect(ours.setCookie).toEqual([])
      },
    ))

  it('uses a Keygrip instance as given', () =>
    both(
      () => ({ keys: new Keygrip(['g1', 'g2'], 'sha256') }),
      async (b) => {
        const { ours } = await b.get('/set?a=1')
        const value = cookieValue(ours.setCookie) as string
        expect(cookieValue(ours.setCookie, 'session.sig')).toBe(new Keygrip(['g1'], 'sha256').sign(`session=${value}`))
        const loaded = await b.raw('/read', { cookie: signedCookie(value, 'g1').replace(/sig=.*/, `sig=${new Keygrip(['g2'], 'sha256').sign(`session=${value}`)}`) })
        expect(loaded.ours.body).toMatchObject({ isNew: false, keys: ['a'] })
        // Signed with the Keygrip's second key: the pair is re-issued (2.1.1: .sig alone).
        expect(loaded.ours.setCookie.map((c) => c.split('=')[0])).toEqual(['session', 'session.sig'])
        expect(cookieValue(loaded.ours.setCookie, 'session.sig')).toBe(new Keygrip(['g1'], 'sha256').sign(`session=${value}`))
        expect(loaded.oracle.setCookie).toHaveLength(1)
      },
    ))

  it('uses any object with sign and index', () => {
    const custom = () => ({
      keys: {
        sign: (data: string) => `sig-${Buffer.from(data).length}`,
        verify: () => true,
        index: (data: string, digest: string) => (digest === `sig-${Buffer.from(data).length}` ? 0 : -1),
      },
    })
    return both(custom, async (b) => {
      await b.get('/set?a=1', { jar: true })
      expect(b.jars.ours.cookies.get('session.sig')).toMatch(/^sig-\d+$/)
      const { ours } = await b.get('/read', { jar: true })
      expect(ours.body).toMatchObject({ isNew: false, keys: ['a'] })
    })
  })

  it('takes secret as the single key when keys is absent, and keys over secret', () =>
    both(
      () => ({ secret: 's3cret' }),
      async (b) => {
        const { ours } = await b.get('/read', { cookie: sessionCookie({ a: 1 }, 's3cret') })
        expect(ours.body).toMatchObject({ isNew: false })
        const set = await b.get('/set?a=1')
        const value = cookieValue(set.ours.setCookie) as string
        expect(cookieValue(set.ours.setCookie, 'session.sig')).toBe(new Keygrip(['s3cret']).sign(`session=${value}`))
      },
    ).then(() =>
      both(
        () => ({ keys: ['k1'], secret: 's3cret' }),
        async (b) => {
          const bySecret = await b.get('/read', { cookie: sessionCookie({ a: 1 }, 's3cret') })
          expect(bySecret.ours.body).toMatchObject({ isNew: true })
          const byKey = await b.get('/read', { cookie: sessionCookie({ a: 1 }, 'k1') })
          expect(byKey.ours.body).toMatchObject({ isNew: false })
        },
      ),
    ))

  it('accepts Buffer keys', () =>
    both(
      () => ({ keys: [Buffer.from([1, 2, 3, 250])] }),
      async (b) => {
        const { ours } = await b.get('/set?a=1')
        expect(ours.setCookie).toHaveLength(2)
      },
    ))

  it('rotates keys edited in place in the keys array, as with keygrip', async () => {
    // One array shared by both apps' options: both see the same edit.
    const keys = ['old']
    await both(
      () => ({ keys }),
      async (b) => {
        await b.get('/set?a=1', { jar: true })
        keys.unshift('new')
        const { ours, oracle } = await b.raw('/read', { jar: true })
        expect(ours.body).toMatchObject({ isNew: false })
        expect(ours.setCookie).toEqual([expect.stringMatching(/^session=/), expect.stringMatching(/^session\.sig=/)])
        expect(oracle.setCookie).toEqual([expect.stringMatching(/^session\.sig=/)])
        expect(b.jars.ours.cookies.get('session.sig')).toBe(
          new Keygrip(['new']).sign(`session=${b.jars.ours.cookies.get('session')}`),
        )
      },
    )
  })

  it('signed: false writes no .sig and trusts the cookie as it is', () =>
    both(
      () => ({ signed: false }),
      async (b) => {
        const set = await b.get('/set?a=1')
        expect(set.ours.setCookie).toEqual([`session=${b64({ a: '1' })}; path=/; httponly`])
        const read = await b.get('/read', { cookie: `session=${b64({ admin: true })}` })
        expect(read.ours.body).toMatchObject({ isNew: false, keys: ['admin'] })
        const nulled = await b.get('/read', { cookie: `session=${b64({ a: 1 })}; session.sig=whatever` })
        expect(nulled.ours.setCookie).toEqual([])
      },
    ))

  it('signed: false with keys given still writes no .sig', () =>
    both(
      () => ({ signed: false, keys: ['k1'] }),
      async (b) => {
        const { ours } = await b.get('/set?a=1')
        expect(ours.setCookie).toHaveLength(1)
      },
    ))

  it('req.sessionOptions.signed = false turns signing off for one response', () =>
    both(
      () => ({ keys: ['k1'] }),
      async (b) => {
        const { ours } = await b.get('/per-request-unsigned')
        expect(ours.setCookie).toEqual([`session=${b64({ x: 1 })}; path=/; httponly`])
        const next = await b.get('/set?y=1')
        expect(next.ours.setCookie).toHaveLength(2)
      },
    ))

  it('uses the cookie name for the signature cookie and the signed data', () =>
    both(
      () => ({ keys: ['k1'], name: 'sid' }),
      async (b) => {
        const { ours } = await b.get('/read', { cookie: sessionCookie({ a: 1 }, 'k1', 'sid') })
        expect(ours.body).toMatchObject({ isNew: false })
        const wrongName = await b.get('/read', { cookie: sessionCookie({ a: 1 }, 'k1', 'session') })
        expect(wrongName.ours.body).toMatchObject({ isNew: true })
        const set = await b.get('/set?a=1')
        expect(set.ours.setCookie.map((c) => c.split('=')[0])).toEqual(['sid', 'sid.sig'])
      },
    ))
})
