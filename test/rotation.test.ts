// Key rotation: a valid cookie signed with another key (or algorithm) than the
// first is re-issued whole when the session is read: value and `.sig`, signed
// with the first key, with every configured attribute. 2.1.1 (through
// `cookies`) re-sent `.sig` alone without them, so after a browser restart the
// value outlived its signature and the user was logged out.
import Keygrip from 'keygrip'
import { describe, expect, it } from 'vitest'
import { b64, cookieValue, implementations, send, serve, sessionCookie } from './support/core-harness.js'
import { type Handler, hosts, sendJson } from './support/hosts.js'

const ATTRIBUTES = { maxAge: 3_600_000, domain: 'example.com', sameSite: 'lax', partitioned: true, priority: 'high' }
const KEYS = ['new key', 'old key']

/** Routes: /read reads, /touch never touches the session, /set?k=v changes it, /destroy clears it. */
const handler: Handler = (req, res) => {
  const url = new URL(req.url, 'http://x')
  if (url.pathname === '/touch') return sendJson(res, {})
  if (url.pathname === '/destroy') {
    req.session = null
    return sendJson(res, {})
  }
  for (const [k, v] of url.searchParams) req.session[k] = v
  sendJson(res, { isNew: req.session.isNew, data: { ...req.session } })
}

async function once(which: 'ours' | 'oracle', host: (typeof hosts)[number], options: object, path: string, cookie?: string) {
  const served = await serve(host.create(implementations[which](options), handler))
  try {
    return await send(served, path, { cookie })
  } finally {
    await served.close()
  }
}

const ATTRS = /^; path=\/; expires=([^;]+); domain=example\.com; priority=high; samesite=lax; httponly; partitioned$/

for (const host of hosts) {
  describe(`rotation on ${host.name}`, () => {
    const old = sessionCookie({ user: 'ada' }, 'old key')

    it('a session signed with an older key and only read is re-issued whole, with every attribute and maxAge from now', async () => {
      const res = await once('ours', host, { keys: KEYS, ...ATTRIBUTES }, '/read', old)
      expect(res.body).toEqual({ isNew: false, data: { user: 'ada' } })
      const value = b64({ user: 'ada' })
      expect(res.setCookie).toHaveLength(2)
      const [cookie, sig] = res.setCookie as [string, string]
      expect(cookie.startsWith(`session=${value}`)).toBe(true)
      expect(sig.startsWith(`session.sig=${new Keygrip(['new key']).sign(`session=${value}`)}`)).toBe(true)
      for (const line of [cookie, sig]) {
        const attrs = ATTRS.exec(line.slice(line.indexOf(';')))
        expect(attrs, line).not.toBeNull()
        expect(Math.abs(Date.parse(attrs![1]!) - (res.date + ATTRIBUTES.maxAge))).toBeLessThanOrEqual(2000)
      }
      // 2.1.1: `.sig` alone, without the attributes.
      const oracle = await once('oracle', host, { keys: KEYS, ...ATTRIBUTES }, '/read', old)
      expect(oracle.setCookie).toEqual([`session.sig=${new Keygrip(['new key']).sign(`session=${value}`)}; path=/; httponly`])
    })

    it('a session never touched sends nothing, as in 2.1.1', async () => {
      expect((await once('ours', host, { keys: KEYS, ...ATTRIBUTES }, '/touch', old)).setCookie).toEqual([])
      expect((await once('oracle', host, { keys: KEYS, ...ATTRIBUTES }, '/touch', old)).setCookie).toEqual([])
    })

    it('a changed session is written once, signed with the first key (no .sig alone before it)', async () => {
      const res = await once('ours', host, { keys: KEYS }, '/set?n=2', old)
      expect(res.setCookie.map((c) => c.split('=')[0])).toEqual(['session', 'session.sig'])
      expect(cookieValue(res.setCookie)).toBe(b64({ user: 'ada', n: '2' }))
      expect(cookieValue(res.setCookie, 'session.sig')).toBe(new Keygrip(['new key']).sign(`session=${b64({ user: 'ada', n: '2' })}`))
    })

    it('a destroyed session is cleared, not re-issued', async () => {
      const res = await once('ours', host, { keys: KEYS }, '/destroy', old)
      expect(res.setCookie.map((c) => c.split(';')[0])).toEqual(['session=', expect.stringMatching(/^session\.sig=/)])
    })

    it('a value signed with an older key that holds no session (empty, not an object) is not re-issued', async () => {
      for (const value of ['', b64([1]), b64('text'), 'not base64 json']) {
        const cookie = `session=${value}; session.sig=${new Keygrip(['old key']).sign(`session=${value}`)}`
        const res = await once('ours', host, { keys: KEYS, ...ATTRIBUTES }, '/read', cookie)
        expect(res.body, value).toEqual({ isNew: true, data: {} })
        expect(res.setCookie, value).toEqual([])
      }
    })

    it('a session signed with the first key is not re-issued', async () => {
      expect((await once('ours', host, { keys: KEYS, ...ATTRIBUTES }, '/read', sessionCookie({ user: 'ada' }, 'new key'))).setCookie).toEqual([])
    })

    it('a Keygrip instance: a session signed with its second key is re-issued with its first', async () => {
      const keys = new Keygrip(KEYS, 'sha256')
      const value = b64({ user: 'ada' })
      const cookie = `session=${value}; session.sig=${new Keygrip(['old key'], 'sha256').sign(`session=${value}`)}`
      const res = await once('ours', host, { keys, maxAge: 1000 }, '/read', cookie)
      expect(cookieValue(res.setCookie)).toBe(value)
      expect(cookieValue(res.setCookie, 'session.sig')).toBe(new Keygrip(['new key'], 'sha256').sign(`session=${value}`))
    })
  })
}
