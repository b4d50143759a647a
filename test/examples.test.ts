// The examples, driven over HTTP with a cookie jar as a browser would.
import type { RequestListener } from 'node:http'
import { describe, expect, it } from 'vitest'
import { app as connectApp } from '../examples/connect.js'
import { server as httpServer } from '../examples/http.js'
import { app as quickstart } from '../examples/quickstart.js'
import { Jar, type Served, send, serve } from './support/core-harness.js'

/** Serves the example and returns a client that keeps cookies between requests. */
async function browse(served: Served) {
  const jar = new Jar()
  return {
    jar,
    async get(path: string) {
      const res = await send(served, path, { cookie: jar.header() })
      jar.take(res.setCookie)
      return res
    },
  }
}

async function withServed(listener: RequestListener, body: (s: Served) => Promise<void>): Promise<void> {
  const served = await serve(listener)
  try {
    await body(served)
  } finally {
    await served.close()
  }
}

describe('examples/quickstart (Express)', () => {
  it('counts views, stores a user on /login and forgets everything on /logout', () =>
    withServed(quickstart as unknown as RequestListener, async (served) => {
      const browser = await browse(served)
      for (const n of [1, 2, 3]) {
        const res = await browser.get('/')
        expect(res.status).toBe(200)
        expect(res.text).toContain(`You have viewed this page ${n} times.`)
      }
      const first = browser.jar.cookies.get('session')
      // 24 hours of maxAge.
      const again = await send(served, '/', { cookie: browser.jar.header() })
      const expires = Date.parse(/expires=([^;]+)/.exec(again.setCookie[0] as string)?.[1] as string)
      expect(Math.abs(expires - again.date - 24 * 3600 * 1000)).toBeLessThanOrEqual(2000)

      const login = await browser.get('/login?user=bob')
      expect(login.text).toContain('Logged in as bob.')
      expect(browser.jar.cookies.get('session')).not.toBe(first)
      const after = await browser.get('/')
      expect(after.text).toContain('bob has viewed this page 4 times.')

      const logout = await browser.get('/logout')
      expect(logout.text).toContain('Logged out.')
      expect(logout.setCookie[0]).toMatch(/^session=; path=\/; expires=Thu, 01 Jan 1970/)
      expect(browser.jar.cookies.size).toBe(0)
      const fresh = await browser.get('/')
      expect(fresh.text).toContain('You have viewed this page 1 times.')
    }))

  it('escapes the user name it shows (the session is the client\'s to write)', () =>
    withServed(quickstart as unknown as RequestListener, async (served) => {
      const browser = await browse(served)
      const login = await browser.get(`/login?user=${encodeURIComponent('<script>alert(1)</script>')}`)
      expect(login.text).not.toContain('<script>')
      expect(login.text).toContain('&#60;script&#62;alert(1)&#60;/script&#62;')
      const home = await browser.get('/')
      expect(home.text).not.toContain('<script>')
    }))

  it('ignores a tampered cookie', () =>
    withServed(quickstart as unknown as RequestListener, async (served) => {
      const browser = await browse(served)
      await browser.get('/')
      browser.jar.cookies.set('session', Buffer.from('{"views":99,"user":"admin"}').toString('base64'))
      const res = await browser.get('/')
      expect(res.text).toContain('You have viewed this page 1 times.')
    }))
})

describe.each([
  ['examples/connect', connectApp as unknown as RequestListener],
  ['examples/http (node:http)', ((req, res) => httpServer.emit('request', req, res)) as RequestListener],
])('%s', (_name, listener) => {
  it('counts views with the cookie jar and starts over after /logout', () =>
    withServed(listener, async (served) => {
      const browser = await browse(served)
      for (const n of [1, 2, 3]) {
        const res = await browser.get('/')
        expect(res.status).toBe(200)
        expect(res.text).toBe(`${n} views\n`)
        expect(browser.jar.cookies.has('session.sig')).toBe(true)
      }
      const logout = await browser.get('/logout')
      expect(logout.text).toBe('Logged out.\n')
      expect(browser.jar.cookies.size).toBe(0)
      const fresh = await browser.get('/')
      expect(fresh.text).toBe('1 views\n')
    }))
})
