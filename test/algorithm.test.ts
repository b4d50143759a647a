// The `algorithm` option: HMAC-SHA1 (2.1.1's), SHA-256 and SHA-512 signatures
// of `<name>=<value>`, a list where the first signs and every one verifies,
// and the move off SHA-1 from cookies 2.1.1 wrote.
import { createHmac } from 'node:crypto'
import Keygrip from 'keygrip'
import { describe, expect, it } from 'vitest'
import { cookieSession } from '../src/index.js'
import { b64, cookieValue, implementations, send, serve, signedCookie } from './support/core-harness.js'
import { INVALID_ALGORITHMS } from './support/bad-options.js'
import { type Handler, hosts, sendJson } from './support/hosts.js'

const handler: Handler = (req, res) => {
  const url = new URL(req.url, 'http://x')
  for (const [k, v] of url.searchParams) req.session[k] = v
  sendJson(res, { isNew: req.session.isNew, data: { ...req.session } })
}

/** One request to an app with `options` (this package unless `which` says otherwise). */
async function once(options: object, cookie?: string, path = '/', which: 'ours' | 'oracle' = 'ours', host = hosts[0]!) {
  const served = await serve(host.create(implementations[which](options), handler))
  try {
    return await send(served, path, { cookie })
  } finally {
    await served.close()
  }
}

const hmac = (algorithm: string, key: string | Buffer, data: string) => createHmac(algorithm, key).update(data).digest('base64url')

describe('algorithm', () => {
  for (const algorithm of ['sha1', 'sha256', 'sha512'] as const) {
    for (const key of ['string key', Buffer.from([0, 1, 2, 250, 251, 252])]) {
      it(`${algorithm} signs name=value byte for byte as createHmac does, with a ${typeof key === 'string' ? 'string' : 'Buffer'} key, and reads it back`, async () => {
        const written = await once({ keys: [key], algorithm }, undefined, '/?a=1')
        const value = cookieValue(written.setCookie) as string
        expect(cookieValue(written.setCookie, 'session.sig')).toBe(hmac(algorithm, key, `session=${value}`))
        const cookie = `session=${value}; session.sig=${hmac(algorithm, key, `session=${value}`)}`
        expect((await once({ keys: [key], algorithm }, cookie)).body).toEqual({ isNew: false, data: { a: '1' } })
      })
    }
  }

  it("'sha1', the default, writes exactly what 2.1.1 writes", async () => {
    for (const options of [{ keys: ['k'] }, { keys: ['k'], algorithm: 'sha1' }, { keys: ['k'], algorithm: ['sha1'] }, { keys: ['k'], algorithm: undefined }, { keys: ['k'], algorithm: null }]) {
      const ours = await once({ ...options }, undefined, '/?a=1')
      const oracle = await once({ keys: ['k'] }, undefined, '/?a=1', 'oracle')
      expect(ours.setCookie).toEqual(oracle.setCookie)
    }
  })

  it("'sha256' alone refuses a SHA-1 signature: a new session, and .sig cleared", async () => {
    const res = await once({ keys: ['k'], algorithm: 'sha256' }, signedCookie(b64({ a: 1 }), 'k'))
    expect(res.body).toEqual({ isNew: true, data: {} })
    expect(res.setCookie).toEqual(['session.sig=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly'])
  })

  it("['sha256', 'sha1'] loads a session 2.1.1 wrote and re-issues it signed with SHA-256", async () => {
    const keys = ['new', 'old']
    const fromOracle = await once({ keys: ['old'], maxAge: 60_000 }, undefined, '/?user=ada', 'oracle')
    const cookie = fromOracle.setCookie.map((c) => c.split(';')[0]).join('; ')
    for (const host of hosts) {
      const res = await once({ keys, algorithm: ['sha256', 'sha1'], maxAge: 60_000 }, cookie, '/', 'ours', host)
      expect(res.body).toEqual({ isNew: false, data: { user: 'ada' } })
      const value = cookieValue(res.setCookie) as string
      expect(value).toBe(b64({ user: 'ada' }))
      expect(cookieValue(res.setCookie, 'session.sig')).toBe(hmac('sha256', 'new', `session=${value}`))
      expect(res.setCookie[0]).toMatch(/; path=\/; expires=[^;]+; httponly$/)
      // The re-issued pair reads with SHA-256 alone, and the new key alone.
      const next = res.setCookie.map((c) => c.split(';')[0]).join('; ')
      expect((await once({ keys: ['new'], algorithm: 'sha256' }, next, '/', 'ours', host)).body).toEqual({ isNew: false, data: { user: 'ada' } })
    }
  })

  it('a cookie signed with the first key but another algorithm is re-issued whole, with every attribute', async () => {
    const options = { keys: ['k'], algorithm: ['sha256', 'sha1'], maxAge: 60_000, domain: 'example.com', sameSite: 'lax', partitioned: true, priority: 'high' }
    const value = b64({ a: 1 })
    for (const host of hosts) {
      const res = await once(options, `session=${value}; session.sig=${hmac('sha1', 'k', `session=${value}`)}`, '/', 'ours', host)
      expect(res.body).toEqual({ isNew: false, data: { a: 1 } })
      expect(res.setCookie).toHaveLength(2)
      expect(cookieValue(res.setCookie)).toBe(value)
      expect(cookieValue(res.setCookie, 'session.sig')).toBe(hmac('sha256', 'k', `session=${value}`))
      for (const line of res.setCookie) {
        expect(line).toMatch(/; path=\/; expires=[^;]+; domain=example\.com; priority=high; samesite=lax; httponly; partitioned$/)
      }
    }
  })

  it('a cookie already signed with the first key and algorithm is not re-issued', async () => {
    const value = b64({ a: 1 })
    const cookie = `session=${value}; session.sig=${hmac('sha256', 'new', `session=${value}`)}`
    const res = await once({ keys: ['new', 'old'], algorithm: ['sha256', 'sha1'] }, cookie)
    expect(res.body).toEqual({ isNew: false, data: { a: 1 } })
    expect(res.setCookie).toEqual([])
  })

  it.each(INVALID_ALGORITHMS)('%s is a TypeError naming algorithm', (_what, algorithm) => {
    expect(() => cookieSession({ keys: ['k'], algorithm: algorithm as never })).toThrow(
      expect.objectContaining({ name: 'TypeError', message: expect.stringMatching(/option algorithm must be/) }),
    )
  })

  it('with a Keygrip instance is a TypeError naming algorithm', () => {
    expect(() => cookieSession({ keys: new Keygrip(['k'], 'sha256'), algorithm: 'sha256' })).toThrow(
      expect.objectContaining({ name: 'TypeError', message: expect.stringMatching(/option algorithm cannot be combined with a Keygrip/) }),
    )
  })

  it('with a Keygrip instance as acceptSigned is a TypeError naming algorithm', () => {
    const keys = ['0123456789abcdef0123456789abcdef']
    expect(() => cookieSession({ keys, encrypt: true, acceptSigned: new Keygrip(['old'], 'sha256'), algorithm: 'sha256' })).toThrow(
      expect.objectContaining({ name: 'TypeError', message: expect.stringMatching(/option algorithm cannot be combined with a Keygrip/) }),
    )
  })
})
