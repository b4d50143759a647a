// Every cookie option goes through to the Set-Cookie header exactly as with
// cookie-session 2.1.1, on every host, over HTTP and HTTPS; a cookie that
// cannot be written never fails the response.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { captureDebug, cookieValue, decodeValue, expiryTimes, sessionCookie, withBoth } from './support/core-harness.js'
import { type Handler, hosts, sendJson } from './support/hosts.js'

const handler: Handler = (req, res) => {
  const url = new URL(req.url, 'http://x')
  const override = url.searchParams.get('override')
  if (override) Object.assign(req.sessionOptions, JSON.parse(override))
  if (url.pathname === '/preset') {
    res.setHeader('Set-Cookie', ['session=preset; path=/', 'other=1; path=/', 'session.sig=presig; path=/'])
  }
  if (url.pathname === '/destroy') req.session = null
  else req.session.n = 1
  sendJson(res, { ok: true })
}

// This package warns (once per middleware) when a cookie cannot be set; 2.1.1
// was silent. The warnings have their own tests: keep this file's output quiet.
beforeAll(() => {
  vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined)
})
afterAll(() => {
  vi.restoreAllMocks()
})

const ONE_DAY = 24 * 60 * 60 * 1000

describe.each(hosts)('cookie attributes on $name', (host) => {
  /** Runs `path` on both apps built with `options`; returns our Set-Cookie headers after comparing. */
  async function setCookie(options: object, path = '/', https = false, cookie?: string): Promise<string[]> {
    let result: string[] = []
    await withBoth(
      host,
      () => ({ keys: ['k1'], ...options }),
      handler,
      async (b) => {
        const { ours } = await b.get(path, { cookie })
        expect(ours.status).toBe(200)
        expect(ours.body).toEqual({ ok: true })
        result = ours.setCookie
      },
      https,
    )
    return result
  }
  const q = (o: object) => `/?override=${encodeURIComponent(JSON.stringify(o))}`

  it('by default: path=/ and httponly, no expiry, no other attribute', async () => {
    const [session, sig] = await setCookie({})
    expect(session).toMatch(/^session=[\w+/=]+; path=\/; httponly$/)
    expect(sig).toMatch(/^session\.sig=[\w-]{27}; path=\/; httponly$/)
  })

  it('maxAge sets expires to the time of writing plus maxAge, on both cookies', async () => {
    let date = 0
    let times: (number | undefined)[] = []
    await withBoth(
      host,
      () => ({ keys: ['k1'], maxAge: ONE_DAY }),
      handler,
      async (b) => {
        const { ours } = await b.get('/')
        date = ours.date
        times = expiryTimes(ours.setCookie)
        expect(ours.setCookie[0]).not.toMatch(/max-age/i)
      },
    )
    expect(times).toHaveLength(2)
    for (const t of times) {
      expect((t as number) - date).toBeGreaterThanOrEqual(ONE_DAY - 2000)
      expect((t as number) - date).toBeLessThanOrEqual(ONE_DAY + 2000)
    }
  })

  it('expires is written as given; maxAge wins over it', async () => {
    const expires = new Date('2040-06-01T12:34:56Z')
    const [a] = await setCookie({ expires: new Date(expires) })
    expect(a).toContain('; expires=Fri, 01 Jun 2040 12:34:56 GMT;')
    const [b] = await setCookie({ expires: new Date(expires), maxAge: 60_000 })
    expect(b).not.toContain('2040')
    expect(expiryTimes([b as string])[0]).toBeLessThan(Date.now() + 120_000)
  })

  it('maxAge 0 writes a browser-session cookie; a negative maxAge a past expiry', async () => {
    const [zero] = await setCookie({ maxAge: 0 })
    expect(zero).not.toMatch(/expires/)
    const [negative] = await setCookie({ maxAge: -ONE_DAY })
    expect(expiryTimes([negative as string])[0]).toBeLessThan(Date.now())
  })

  it('path and domain', async () => {
    const [a, sig] = await setCookie({ path: '/app', domain: 'example.com' })
    expect(a).toMatch(/; path=\/app; domain=example\.com; httponly$/)
    expect(sig).toMatch(/; path=\/app; domain=example\.com; httponly$/)
    const [dot] = await setCookie({ domain: '.sub.example.com' })
    expect(dot).toContain('; domain=.sub.example.com;')
  })

  it.each([
    [true, 'strict'],
    ['strict', 'strict'],
    ['Lax', 'lax'],
    ['NONE', 'none'],
    ['lax', 'lax'],
  ])('sameSite %s writes samesite=%s', async (sameSite, written) => {
    const [a, sig] = await setCookie({ sameSite })
    expect(a).toContain(`; samesite=${written};`)
    expect(sig).toContain(`; samesite=${written};`)
  })

  it('sameSite false writes no attribute', async () => {
    const [a] = await setCookie({ sameSite: false })
    expect(a).not.toMatch(/samesite/)
  })

  it('partitioned, priority (any case) and httpOnly false', async () => {
    const [a] = await setCookie({ partitioned: true, priority: 'High', httpOnly: false })
    expect(a).toMatch(/; path=\/; priority=high; partitioned$/)
    const [low] = await setCookie({ priority: 'low' })
    expect(low).toContain('; priority=low;')
  })

  it('every attribute together, in the order 2.1.1 writes them', async () => {
    const [a] = await setCookie({
      path: '/p',
      domain: 'example.org',
      expires: new Date(Date.UTC(2041, 0, 2, 3, 4, 5)),
      priority: 'medium',
      sameSite: 'none',
      partitioned: true,
    })
    expect(a).toMatch(
      /^session=[^;]+; path=\/p; expires=Wed, 02 Jan 2041 03:04:05 GMT; domain=example\.org; priority=medium; samesite=none; httponly; partitioned$/,
    )
  })

  describe('secure', () => {
    it('on plain HTTP, secure: true sends no cookie, and the response goes on', async () => {
      expect(await setCookie({ secure: true })).toEqual([])
    })

    it('the failure is debug-logged under cookie-session', async () => {
      let list: string[] = ['not run']
      const seen = await captureDebug(async () => {
        list = await setCookie({ secure: true })
      })
      expect(list).toEqual([])
      expect(seen.some((s) => s.namespace === 'cookie-session' && /secure cookie over unencrypted/i.test(s.text))).toBe(true)
    })

    it('on HTTPS, the cookie is secure by default, and with secure: true', async () => {
      const [a, sig] = await setCookie({}, '/', true)
      expect(a).toMatch(/; path=\/; secure; httponly$/)
      expect(sig).toMatch(/; secure; httponly$/)
      const [b] = await setCookie({ secure: true, sameSite: 'none' }, '/', true)
      expect(b).toMatch(/; samesite=none; secure; httponly$/)
    })

    it('on HTTPS, secure: false writes a cookie without the attribute', async () => {
      const [a] = await setCookie({ secure: false }, '/', true)
      expect(a).not.toMatch(/secure/)
    })

    it('on HTTPS, the cookie and re-signed .sig round-trip', async () => {
      await withBoth(
        host,
        () => ({ keys: ['k2', 'k1'] }),
        handler,
        async (b) => {
          const { ours, oracle } = await b.raw('/', { cookie: sessionCookie({ n: 1 }, 'k1') })
          // The pair is re-issued (test/rotation.test.ts); 2.1.1 re-sent .sig alone.
          expect(ours.setCookie).toEqual([
            expect.stringMatching(/^session=[\w+/=]+; path=\/; secure; httponly$/),
            expect.stringMatching(/^session\.sig=[\w-]{27}; path=\/; secure; httponly$/),
          ])
          expect(oracle.setCookie).toEqual([expect.stringMatching(/^session\.sig=[\w-]{27}; path=\/; secure; httponly$/)])
        },
        true,
      )
    })
  })

  describe('overwrite', () => {
    it('true (default) replaces a cookie of the same name set earlier on the response', async () => {
      const list = await setCookie({}, '/preset')
      expect(list.map((c) => c.split('=')[0])).toEqual(['other', 'session', 'session.sig'])
      expect(decodeValue(cookieValue(list))).toEqual({ n: 1 })
    })

    it('false keeps it and adds its own', async () => {
      const list = await setCookie({ overwrite: false }, '/preset')
      expect(list.map((c) => c.split('=')[0])).toEqual(['session', 'other', 'session.sig', 'session', 'session.sig'])
    })
  })

  describe('removal (req.session = null)', () => {
    it('carries the path, domain and other attributes but drops maxAge', async () => {
      const list = await setCookie(
        { path: '/app', domain: 'example.com', sameSite: 'lax', maxAge: ONE_DAY, httpOnly: false },
        '/destroy',
      )
      expect(list).toEqual([
        'session=; path=/app; expires=Thu, 01 Jan 1970 00:00:00 GMT; domain=example.com; samesite=lax',
        expect.stringMatching(
          /^session\.sig=[\w-]{27}; path=\/app; expires=Thu, 01 Jan 1970 00:00:00 GMT; domain=example\.com; samesite=lax$/,
        ),
      ])
    })

    it('is not sent over plain HTTP when secure is set', async () => {
      expect(await setCookie({ secure: true }, '/destroy')).toEqual([])
    })
  })

  describe('per request, through req.sessionOptions', () => {
    it('overrides attributes for this response', async () => {
      const [a] = await setCookie({ path: '/app' }, q({ path: '/other', httpOnly: false, sameSite: 'strict', maxAge: 1000 }))
      expect(a).toMatch(/; path=\/other; expires=[^;]+; samesite=strict$/)
    })

    it.each([
      ['an invalid maxAge', { maxAge: 'x' }],
      ['an invalid sameSite', { sameSite: 'sometimes' }],
      ['an invalid priority', { priority: 'urgent' }],
      ['secure on plain HTTP', { secure: true }],
    ])('%s sends no cookie and the response goes on', async (_what, override) => {
      expect(await setCookie({}, q(override))).toEqual([])
    })

    it('a path with ";" sends no cookie, where 2.1.1 (cookies 0.9.1) let it inject an attribute', () =>
      withBoth(
        host,
        () => ({ keys: ['k1'] }),
        handler,
        async (b) => {
          const { ours, oracle } = await b.raw(q({ path: '/a; domain=evil.example' }))
          expect(ours.status).toBe(200)
          expect(ours.setCookie).toEqual([])
          expect(oracle.setCookie[0]).toMatch(/; path=\/a; domain=evil\.example; httponly$/)
        },
      ))
  })
})
