// Options: defaults filled into the caller's object, the keys requirement, the
// cookie name, req.sessionOptions per request, and the debug namespace; all
// compared with cookie-session 2.1.1.
import { describe, expect, it } from 'vitest'
import { captureDebug, cookieValue, describeSession, implementations, sessionCookie, withBoth } from './support/core-harness.js'
import { type Handler, hosts, sendJson } from './support/hosts.js'

const { ours, oracle } = implementations

describe('cookieSession(options)', () => {
  const inputs: [string, () => Record<string, unknown>][] = [
    ['keys only', () => ({ keys: ['k'] })],
    ['secret', () => ({ secret: 's' })],
    ['signed: false without keys', () => ({ signed: false })],
    ['explicit false flags', () => ({ keys: ['k'], httpOnly: false, overwrite: false, signed: false })],
    ['null flags', () => ({ keys: ['k'], httpOnly: null, overwrite: null, signed: null })],
    ['cookie attributes', () => ({ keys: ['k'], name: 'sid', maxAge: 1000, path: '/p', sameSite: 'lax' })],
  ]

  it.each(inputs)('fills the defaults into the options object itself (%s), as 2.1.1 does', (_what, make) => {
    const a = make()
    const b = make()
    ours(a)
    oracle(b)
    expect(a).toEqual(b)
    expect(a.signed ?? 'missing').not.toBe('missing')
    expect(typeof a.httpOnly).toBe('boolean')
    expect(typeof a.overwrite).toBe('boolean')
    expect('name' in a).toBe('name' in make())
  })

  it('defaults are signed, httpOnly and overwrite, all true', () => {
    const o: Record<string, unknown> = { keys: ['k'] }
    ours(o)
    expect(o).toEqual({ keys: ['k'], signed: true, httpOnly: true, overwrite: true })
  })

  it.each([
    ['no options', undefined],
    ['empty options', {}],
    ['signed: true', { signed: true }],
    ['keys: null', { keys: null }],
    ['a name only', { name: 'sid' }],
  ])('throws ".keys required." when signing without keys (%s)', (_what, options) => {
    const copy = () => (options ? { ...options } : undefined)
    expect(() => oracle(copy())).toThrow(new Error('.keys required.'))
    let thrown: unknown
    try {
      ours(copy())
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(Error)
    expect((thrown as Error).constructor).toBe(Error)
    expect((thrown as Error).message).toBe('.keys required.')
  })

  it('logs under the debug namespace "cookie-session"', async () => {
    const seen = await captureDebug(() => ours({ keys: ['k'], maxAge: 5 }))
    expect(seen.length).toBeGreaterThan(0)
    expect(seen.every((s) => s.namespace === 'cookie-session')).toBe(true)
    expect(seen.some((s) => s.text.includes('session options'))).toBe(true)
    // The options are logged, the keys are not.
    expect(seen.some((s) => s.text.includes('"maxAge":5'))).toBe(true)
    expect(seen.some((s) => s.text.includes('"keys"'))).toBe(false)
  })

  it('logs no key of acceptSigned either', async () => {
    const keys = ['0123456789abcdef0123456789abcdef']
    const seen = await captureDebug(() => ours({ keys, encrypt: true, acceptSigned: ['old-signing-key'], maxAge: 5 }))
    expect(seen.some((s) => s.text.includes('"maxAge":5'))).toBe(true)
    expect(seen.some((s) => s.text.includes('old-signing-key') || s.text.includes(keys[0]!))).toBe(false)
  })
})

describe.each(hosts)('options on $name', (host) => {
  it('names the cookie "session" by default, and after the name option otherwise', async () => {
    for (const [options, name] of [
      [{}, 'session'],
      [{ name: 'sid' }, 'sid'],
    ] as const) {
      await withBoth(
        host,
        () => ({ keys: ['k1'], ...options }),
        (req, res) => {
          req.session.a = 1
          sendJson(res, {})
        },
        async (b) => {
          const { ours } = await b.get('/')
          expect(ours.setCookie.map((c) => c.split('=')[0])).toEqual([name, `${name}.sig`])
        },
      )
    }
  })

  describe('req.sessionOptions', () => {
    const created: object[] = []
    const seen: object[] = []
    const makeOptions = () => {
      const o = { keys: ['k1'], path: '/' }
      created.push(o)
      return o
    }
    const handler: Handler = (req, res) => {
      const url = new URL(req.url, 'http://x')
      const so = req.sessionOptions
      const report = {
        inheritsMiddlewareOptions: created.includes(Object.getPrototypeOf(so)),
        fresh: !seen.includes(so),
        own: Object.keys(so),
        defaults: [so.signed, so.httpOnly, so.overwrite, so.path],
      }
      seen.push(so)
      if (url.pathname === '/maxage') so.maxAge = 60_000
      if (url.pathname === '/rename') so.name = 'other'
      if (url.pathname === '/samesite') so.sameSite = 'strict'
      if (url.pathname === '/unsigned-read') so.signed = false
      if (url.pathname === '/unsigned-read') return sendJson(res, describeSession(req.session))
      req.session.v = url.pathname
      sendJson(res, report)
    }

    it('is a fresh object per request whose prototype is the middleware options', () =>
      withBoth(host, makeOptions, handler, async (b) => {
        const first = await b.get('/')
        expect(first.ours.body).toEqual({
          inheritsMiddlewareOptions: true,
          fresh: true,
          own: [],
          defaults: [true, true, true, '/'],
        })
        const second = await b.get('/')
        expect(second.ours.body.fresh).toBe(true)
      }))

    it('changes apply to this response only', () =>
      withBoth(host, makeOptions, handler, async (b) => {
        const changed = await b.get('/maxage')
        expect(changed.ours.setCookie[0]).toMatch(/; expires=/)
        const samesite = await b.get('/samesite')
        expect(samesite.ours.setCookie[0]).toMatch(/; samesite=strict;/)
        const after = await b.get('/')
        expect(after.ours.setCookie[0]).not.toMatch(/expires|samesite/)
        expect(after.ours.body.own).toEqual([])
        for (const o of created) expect(Object.keys(o).sort()).toEqual(['httpOnly', 'keys', 'overwrite', 'path', 'signed'])
      }))

    it('name set per request renames the cookie written (cookies copies every option), not the one read', () =>
      withBoth(host, makeOptions, handler, async (b) => {
        const { ours } = await b.get('/rename', { cookie: sessionCookie({ old: 1 }) })
        expect(cookieValue(ours.setCookie)).toBeUndefined()
        expect(ours.setCookie.map((c) => c.split('=')[0])).toEqual(['other', 'other.sig'])
        expect(cookieValue(ours.setCookie, 'other')).toBe(Buffer.from('{"old":1,"v":"/rename"}').toString('base64'))
      }))

    it('signed = false before the first read skips the signature check', () =>
      withBoth(host, makeOptions, handler, async (b) => {
        const { ours } = await b.get('/unsigned-read', { cookie: 'session=eyJhIjoxfQ==' })
        expect(ours.body).toMatchObject({ isNew: false, keys: ['a'] })
        const signed = await b.get('/unsigned-read', { cookie: sessionCookie({ a: 1 }, 'other') })
        expect(signed.ours.body).toMatchObject({ isNew: false })
      }))

    it('sees later changes to the middleware options object', () => {
      const shared: Record<string, unknown>[] = []
      return withBoth(
        host,
        () => {
          const o = { keys: ['k1'] }
          shared.push(o)
          return o
        },
        (req, res) => {
          req.session.a = 1
          sendJson(res, {})
        },
        async (b) => {
          const before = await b.get('/')
          expect(before.ours.setCookie[0]).not.toMatch(/samesite/)
          for (const o of shared) o.sameSite = 'lax'
          const after = await b.get('/')
          expect(after.ours.setCookie[0]).toMatch(/; samesite=lax;/)
        },
      )
    })
  })
})
