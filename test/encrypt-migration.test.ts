// acceptSigned: moving a running app from signed to encrypted cookies without
// logging anyone out. A pair written by cookie-session 2.1.1 (or by this
// package's signed mode) loads once, and that response replaces it with the
// sealed cookie and clears `<name>.sig`, with the same attributes.
import oracle from 'cookie-session-2'
import Keygrip from 'keygrip'
import { describe, expect, it } from 'vitest'
import { cookieSession, type CookieSessionOptions } from '../src/index.js'
import { Sealer } from '../src/core/sealer.js'
import { cookieValue, Jar, send, serve, type Sent } from './support/core-harness.js'
import { express5Host, type Handler, hosts, type Host, sendJson } from './support/hosts.js'
import { parseSetCookie } from './support/cookies.js'

const OLD = 'short old key'
const NEW = 'a new encryption key of at least 32 bytes'
const attributes = { maxAge: 3_600_000, path: '/app', domain: 'example.com', sameSite: 'lax' } as const

const handler: Handler = (req, res) => {
  const url = new URL(req.url, 'http://x')
  if (url.pathname.endsWith('/noop')) return sendJson(res, {})
  const before = { isNew: req.session.isNew, data: JSON.parse(JSON.stringify(req.session)) }
  const set = url.searchParams.get('set')
  if (set) Object.assign(req.session, JSON.parse(set))
  if (url.pathname.endsWith('/destroy')) req.session = null
  if (url.pathname.endsWith('/regenerate')) req.session.regenerate()
  sendJson(res, before)
}

type Get = (path: string, cookie?: string) => Promise<Sent>

async function withApp(middleware: unknown, body: (get: Get) => Promise<void>, host: Host = express5Host): Promise<void> {
  const served = await serve(host.create(middleware as any, handler))
  try {
    await body((path, cookie) => send(served, path, cookie === undefined ? {} : { cookie }))
  } finally {
    await served.close()
  }
}

/** A signed pair written by cookie-session 2.1.1 with `keys`, over HTTP, as a Cookie header. */
async function writtenBy21(data: unknown, keys: unknown, name = 'session'): Promise<string> {
  let cookie = ''
  await withApp(oracle({ keys, name, ...attributes } as any), async (get) => {
    const res = await get(`/app/set?set=${encodeURIComponent(JSON.stringify(data))}`)
    const jar = new Jar()
    jar.take(res.setCookie)
    expect([...jar.cookies.keys()]).toEqual([name, `${name}.sig`])
    cookie = jar.header()
  })
  return cookie
}

const encrypted = (options: Partial<CookieSessionOptions> = {}) =>
  cookieSession({ keys: [NEW], encrypt: true, ...attributes, ...options })

describe.each(hosts)('acceptSigned on $name', (host) => {
  it('a pair written by 2.1.1 (short keys) loads; the response seals it and clears .sig, with the attributes', async () => {
    const cookie = await writtenBy21({ user: 'alice', n: 1 }, [OLD])
    await withApp(encrypted({ acceptSigned: [OLD] }), async (get) => {
      const moved = await get('/app/peek', cookie)
      expect(moved.body).toEqual({ isNew: false, data: { user: 'alice', n: 1 } })
      const [sealed, sig] = moved.setCookie.map(parseSetCookie)
      expect(moved.setCookie).toHaveLength(2)
      expect(sealed!.name).toBe('session')
      expect(new Sealer([NEW]).open('session', sealed!.value, Date.now())?.json).toBe('{"user":"alice","n":1}')
      expect(sealed!.attrs).toMatchObject({ path: '/app', domain: 'example.com', samesite: 'lax', httponly: true })
      expect(Date.parse(String(sealed!.attrs.expires))).toBeGreaterThan(Date.now() + 3_600_000 - 5_000)
      expect(sig!.name).toBe('session.sig')
      expect(sig!.value).toBe('')
      expect(sig!.attrs).toMatchObject({ path: '/app', domain: 'example.com', expires: 'Thu, 01 Jan 1970 00:00:00 GMT' })

      // The browser now holds only the sealed cookie: it loads, nothing more is sent.
      const jar = new Jar()
      jar.take(cookie.split('; ').map((c) => `${c}; path=/`))
      jar.take(moved.setCookie)
      expect([...jar.cookies.keys()]).toEqual(['session'])
      const after = await get('/app/peek', jar.header())
      expect(after.body).toEqual({ isNew: false, data: { user: 'alice', n: 1 } })
      expect(after.setCookie).toEqual([])
    }, host)
  })
})

describe('acceptSigned', () => {
  it('true checks signatures with keys; a pair signed with another key is ignored', async () => {
    const cookie = await writtenBy21({ user: 'bob' }, [NEW])
    await withApp(encrypted({ acceptSigned: true }), async (get) => {
      expect((await get('/app/peek', cookie)).body).toEqual({ isNew: false, data: { user: 'bob' } })
    })
    await withApp(encrypted({ acceptSigned: true }), async (get) => {
      const other = await get('/app/peek', await writtenBy21({ user: 'bob' }, [OLD]))
      expect(other.body).toEqual({ isNew: true, data: {} })
      expect(other.setCookie).toEqual([])
    })
  })

  it('a Keygrip instance checks with its own algorithm', async () => {
    const cookie = await writtenBy21({ user: 'carol' }, new Keygrip([OLD], 'sha256'))
    await withApp(encrypted({ acceptSigned: new Keygrip([OLD], 'sha256') }), async (get) => {
      expect((await get('/app/peek', cookie)).body.data).toEqual({ user: 'carol' })
    })
    await withApp(encrypted({ acceptSigned: [OLD] }), async (get) => {
      expect((await get('/app/peek', cookie)).body.data).toEqual({})
    })
  })

  it('a pair written by this package in signed mode moves the same way', async () => {
    let cookie = ''
    await withApp(cookieSession({ keys: [OLD] }), async (get) => {
      const jar = new Jar()
      jar.take((await get('/app/set?set={"x":1}')).setCookie)
      cookie = jar.header()
    })
    await withApp(encrypted({ acceptSigned: [OLD] }), async (get) => {
      const moved = await get('/app/peek', cookie)
      expect(moved.body.data).toEqual({ x: 1 })
      expect(moved.setCookie.map((c) => parseSetCookie(c).name)).toEqual(['session', 'session.sig'])
    })
  })

  it('without acceptSigned, or with a tampered pair, the signed cookie is ignored and nothing is written', async () => {
    const cookie = await writtenBy21({ user: 'alice' }, [OLD])
    const forged = cookie.replace(/^session=[^;]*/, `session=${Buffer.from('{"user":"mallory"}').toString('base64')}`)
    const unsigned = cookie.replace(/; session\.sig=.*$/, '')
    for (const [middleware, c] of [
      [encrypted(), cookie],
      [encrypted({ acceptSigned: [OLD] }), forged],
      [encrypted({ acceptSigned: [OLD] }), unsigned],
      [encrypted({ acceptSigned: [OLD] }), `${cookie.split(';')[0]}; session.sig=`],
    ] as const) {
      await withApp(middleware, async (get) => {
        const res = await get('/app/peek', c)
        expect(res.body, c).toEqual({ isNew: true, data: {} })
        expect(res.setCookie, c).toEqual([])
      })
    }
  })

  it('a correctly signed value that is not JSON of an object gives a new, empty session', async () => {
    for (const value of [Buffer.from('[1,2]').toString('base64'), 'not base64 json', Buffer.from('"x"').toString('base64')]) {
      const sig = new Keygrip([OLD]).sign(`session=${value}`)
      await withApp(encrypted({ acceptSigned: [OLD] }), async (get) => {
        const res = await get('/app/peek', `session=${value}; session.sig=${sig}`)
        expect(res.body).toEqual({ isNew: true, data: {} })
        expect(res.setCookie).toEqual([])
      })
    }
  })

  it('a sealed cookie wins over a stale .sig next to it, and is left alone', async () => {
    const sealed = new Sealer([NEW]).seal('session', '{"fresh":true}', Number.POSITIVE_INFINITY)
    const staleSig = new Keygrip([OLD]).sign('session=eyJvbGQiOnRydWV9')
    await withApp(encrypted({ acceptSigned: [OLD] }), async (get) => {
      const res = await get('/app/peek', `session=${sealed}; session.sig=${staleSig}`)
      expect(res.body).toEqual({ isNew: false, data: { fresh: true } })
      expect(res.setCookie).toEqual([])
    })
  })

  it('destroying or regenerating a moved session clears both cookies', async () => {
    const cookie = await writtenBy21({ user: 'alice' }, [OLD])
    await withApp(encrypted({ acceptSigned: [OLD] }), async (get) => {
      for (const path of ['/app/destroy', '/app/regenerate']) {
        const res = await get(path, cookie)
        expect(res.setCookie.map(parseSetCookie).map((c) => [c.name, c.value, c.attrs.expires, c.attrs.path])).toEqual([
          ['session', '', 'Thu, 01 Jan 1970 00:00:00 GMT', '/app'],
          ['session.sig', '', 'Thu, 01 Jan 1970 00:00:00 GMT', '/app'],
        ])
      }
    })
  })

  it('a moved session changed by its handler is sealed once, with the change', async () => {
    const cookie = await writtenBy21({ n: 1 }, [OLD])
    await withApp(encrypted({ acceptSigned: [OLD] }), async (get) => {
      const res = await get('/app/set?set={"n":2}', cookie)
      expect(res.setCookie).toHaveLength(2)
      expect(new Sealer([NEW]).open('session', cookieValue(res.setCookie)!, Date.now())?.json).toBe('{"n":2}')
    })
  })

  it('a request that never touches the session moves nothing', async () => {
    const cookie = await writtenBy21({ n: 1 }, [OLD])
    await withApp(encrypted({ acceptSigned: [OLD] }), async (get) => {
      expect((await get('/app/noop', cookie)).setCookie).toEqual([])
    })
  })
})
