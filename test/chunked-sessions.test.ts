// Sessions over several cookies (`chunks`), over real HTTP on the four hosts
// and the Fetch door, signed and encrypted: round trip, clearing on shrink and
// destroy, a session that does not fit left unwritten, and every broken set of
// chunks read as a new, empty session.
import { createServer } from 'node:http'
import Keygrip from 'keygrip'
import { describe, expect, it } from 'vitest'
import { COOKIE_SIZE_LIMIT } from '../src/core/chunks.js'
import { send } from './support/core-harness.js'
import { hostsAndFetchDoor, sessionFor } from './support/fetch-door-host.js'
import { sendJson } from './support/hosts.js'
import { captureWarnings, settle } from './support/cookies.js'
import { app, cleared, cookieOf, filled, KEY_NEW, names, once, withBrowser } from './support/large.js'

const modes = [
  { mode: 'signed', options: { keys: [KEY_NEW], chunks: 3 }, extra: ['session.sig'] },
  { mode: 'encrypted', options: { keys: [KEY_NEW], chunks: 3, encrypt: true }, extra: [] },
] as const

/** The session cookies of a Cookie header, as pairs. */
function pairsOf(header: string): [string, string][] {
  return header.split('; ').map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)])
}

describe.each(hostsAndFetchDoor)('chunked sessions on $name', (host) => {
  describe.each(modes)('$mode', ({ options, extra }) => {
    it('a 9 KB session (12 KB of cookies) spans three cookies of at most 4096 bytes and comes back whole', async () => {
      await withBrowser(host, options, async (browser) => {
        const wrote = await browser.get('/fill?n=9000')
        expect(names(wrote.setCookie)).toEqual(['session', 'session.1', 'session.2', ...extra])
        for (const line of wrote.setCookie) {
          const pair = line.split(';')[0] as string
          expect(Buffer.byteLength(pair) - 1).toBeLessThanOrEqual(COOKIE_SIZE_LIMIT)
          expect(line).toMatch(/; path=\/; httponly$/)
        }
        const read = await browser.get('/peek')
        expect(read.body).toEqual({ isNew: false, keys: ['blob'], digest: filled(9000) })
        expect(read.setCookie).toEqual([])
      })
    })

    it('a shrink clears the chunks no longer needed, with the same path and domain; destroy clears all', async () => {
      const scoped = { ...options, path: '/', domain: 'example.com' }
      await withBrowser(host, scoped, async (browser) => {
        await browser.get('/fill?n=9000')
        const two = await browser.get('/fill?n=5000&seed=2')
        expect(cleared(two.setCookie)).toEqual(['session.2'])
        const clearing = two.setCookie.find((c) => c.startsWith('session.2='))
        expect(clearing).toMatch(/^session\.2=; path=\/; expires=Thu, 01 Jan 1970 00:00:00 GMT; domain=example\.com; httponly$/)
        expect((await browser.get('/peek')).body.digest).toBe(filled(5000, 2))

        // Back to one cookie: the last chunk goes too.
        const one = await browser.get('/small')
        expect(cleared(one.setCookie)).toEqual(['session.1'])
        expect([...browser.jar.cookies.keys()].sort()).toEqual(['session', ...extra])
        expect((await browser.get('/peek')).body.keys).toEqual(['blob'])

        await browser.get('/fill?n=9000')
        const gone = await browser.get('/destroy')
        expect(cleared(gone.setCookie).sort()).toEqual(['session', 'session.1', 'session.2', ...extra].sort())
        expect(browser.jar.cookies.size).toBe(0)
      })
    })

    it('a session too large for its chunks is not written: the browser keeps what it has, and a warning says why', async () => {
      const warnings = captureWarnings()
      try {
        await withBrowser(host, options, async (browser) => {
          await browser.get('/fill?n=9000')
          const before = browser.header()
          const refused = await browser.get('/fill?n=13000')
          expect(refused.status).toBe(200)
          expect(refused.setCookie).toEqual([])
          expect(browser.header()).toBe(before)
          expect((await browser.get('/peek')).body.digest).toBe(filled(9000))
        })
        await settle()
        const warning = warnings.list.find((w) => w.code === 'COOKIE_SESSION_TOO_LARGE')
        expect(warning?.message).toMatch(/the "session" session needs 1\d{4} bytes of cookies/)
        expect(warning?.message).toContain('over the 12288 bytes of chunks: 3')
        expect(warning?.message).toContain('It was not written')
      } finally {
        warnings.dispose()
      }
    })

    it('a missing, reordered, duplicated, mixed or older chunk gives a new, empty session', async () => {
      let a = ''
      let b = ''
      let older = ''
      await withBrowser(host, options, async (browser) => {
        await browser.get('/fill?n=9000')
        older = browser.header()
        await browser.get('/fill?n=9000&seed=3')
        a = browser.header()
      })
      await withBrowser(host, options, async (browser) => {
        await browser.get('/fill?n=9000&seed=4')
        b = browser.header()
      })
      const A = new Map(pairsOf(a))
      const B = new Map(pairsOf(b))
      const O = new Map(pairsOf(older))
      const all = ['session', 'session.1', 'session.2', ...extra]
      const take = (from: Map<string, string>[], order = all) =>
        cookieOf(order.map((name, i) => [name, (from[i] ?? from[0])?.get(name) as string]))
      const broken: Record<string, string> = {
        'missing .1': cookieOf(all.filter((n) => n !== 'session.1').map((n) => [n, A.get(n) as string])),
        'missing .2': cookieOf(all.filter((n) => n !== 'session.2').map((n) => [n, A.get(n) as string])),
        reordered: cookieOf(all.map((n) => [n, A.get(n === 'session.1' ? 'session.2' : n === 'session.2' ? 'session.1' : n) as string])),
        'duplicated .1 in .2': cookieOf(all.map((n) => [n, A.get(n === 'session.2' ? 'session.1' : n) as string])),
        'duplicated name, other session first': `session.1=${B.get('session.1')}; ${a}`,
        'mixed with another session': take([A, B, A, A]),
        'mixed, the first from another session': take([B, A, A, A]),
        'a chunk of an older version': take([A, A, O, A]),
        'empty chunk': cookieOf(all.map((n) => [n, n === 'session.1' ? '' : (A.get(n) as string)])),
      }
      expect((await once(host, options, '/peek', a)).body.digest).toBe(filled(9000, 3))
      for (const [what, cookie] of Object.entries(broken)) {
        const sent = await once(host, options, '/peek', cookie)
        expect({ what, ...sent.body }).toEqual({ what, isNew: true, keys: [], digest: expect.any(String) })
      }
    })

    it('a count that differs from the one signed or sealed gives a new session, even over the same bytes', async () => {
      let header = ''
      await withBrowser(host, options, async (browser) => {
        await browser.get('/fill?n=6000')
        header = browser.header()
      })
      const cookies = new Map(pairsOf(header))
      const first = cookies.get('session') as string
      expect(first.startsWith('-2.')).toBe(true)
      // The same bytes as three pieces, and as two with an extra empty-looking third.
      const body = first.slice(3) + (cookies.get('session.1') as string)
      const resplit = [
        ['session', `-3.${body.slice(0, 3000)}`],
        ['session.1', body.slice(3000, 6000)],
        ['session.2', body.slice(6000)],
        ...extra.map((n) => [n, cookies.get(n) as string] as const),
      ] as const
      expect((await once(host, options, '/peek', cookieOf(resplit))).body.isNew).toBe(true)
    })

    it('a chunk past the signed count is never read: the session loads whole, and the next write clears it', async () => {
      await withBrowser(host, options, async (browser) => {
        await browser.get('/fill?n=6000')
        browser.jar.cookies.set('session.2', 'AAAA-left-over')
        expect((await browser.get('/peek')).body.digest).toBe(filled(6000))
        const next = await browser.get('/touch')
        expect(cleared(next.setCookie)).toEqual(['session.2'])
      })
    })

    it('a hostile count or 10,000 chunk-like cookies cost no more than the session they come with', async () => {
      let header = ''
      await withBrowser(host, options, async (browser) => {
        await browser.get('/fill?n=6000')
        header = browser.header()
      })
      // A server that takes a 200 KB Cookie header, so that the request gets to the middleware.
      const big = createServer({ maxHeaderSize: 512 * 1024 }, host.create(sessionFor(host, options), app))
      await new Promise<void>((resolve) => big.listen(0, '127.0.0.1', resolve))
      const served = {
        url: `http://127.0.0.1:${(big.address() as { port: number }).port}`,
        https: false,
        close: () => new Promise<void>((resolve) => big.close(() => resolve())),
      }
      try {
        const flood = Array.from({ length: 10_000 }, (_, i) => `session.${i + 3}=AAAA`).join('; ')
        const withFlood = await send(served, '/peek', { cookie: `${flood}; ${header}` })
        expect(withFlood.body.digest).toBe(filled(6000))
        for (const first of ['-9007199254740992.AAAA', '-99999999999999999999.AAAA', '-4.AAAA', '-1.AAAA']) {
          const sent = await send(served, '/peek', { cookie: `session=${first}; ${flood}` })
          expect(sent.body).toMatchObject({ isNew: true, keys: [] })
        }
      } finally {
        big.closeAllConnections()
        await served.close()
      }
    })
  })

  it('a cookie name too long to leave room for any chunk: nothing written, and the warning says so', async () => {
    const warnings = captureWarnings()
    try {
      await withBrowser(host, { keys: [KEY_NEW], chunks: 3, name: 'n'.repeat(4094) }, async (browser) => {
        expect((await browser.get('/fill?n=5000')).setCookie).toEqual([])
      })
      await settle()
      expect(warnings.list.find((w) => w.code === 'COOKIE_SESSION_TOO_LARGE')?.message).toMatch(
        /session cannot be split: its name leaves no room for a value in the 12288 bytes of chunks: 3/,
      )
    } finally {
      warnings.dispose()
    }
  })

  it('signed: the signature covers the assembled value; the first cookie alone does not verify', async () => {
    await withBrowser(host, { keys: [KEY_NEW], chunks: 3 }, async (browser) => {
      await browser.get('/fill?n=9000')
      const c = browser.jar.cookies
      const assembled = `${c.get('session')}${c.get('session.1')}${c.get('session.2')}`
      const keygrip = new Keygrip([KEY_NEW])
      expect(keygrip.verify(`session=${assembled}`, c.get('session.sig') as string)).toBe(true)
      expect(keygrip.verify(`session=${c.get('session')}`, c.get('session.sig') as string)).toBe(false)
    })
  })

  it('signed: a bad signature on chunks clears .sig as a single cookie does', async () => {
    const sent = await once(host, { keys: [KEY_NEW], chunks: 3 }, '/peek', `session=-2.AAAA; session.1=BBBB; session.sig=nope`)
    expect(sent.body.isNew).toBe(true)
    expect(cleared(sent.setCookie)).toEqual(['session.sig'])
  })

  it('an unsigned response (signed: false on the request) writes one cookie, as without chunks', async () => {
    const handler = (req: any, res: any) => {
      req.sessionOptions.signed = false
      req.session.blob = 'x'.repeat(5000)
      sendJson(res, {})
    }
    await withBrowser(
      host,
      { keys: [KEY_NEW], chunks: 3 },
      async (browser) => {
        const sent = await browser.get('/')
        expect(names(sent.setCookie)).toEqual(['session'])
      },
      handler,
    )
  })
})
