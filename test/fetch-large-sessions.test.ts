// Large sessions through the Fetch door (`cookie-session/fetch`): the same
// chunks and compression as the middleware, from a Request's Cookie header to
// a Response's Set-Cookie lines.
import { createCookieSession, type FetchSessionOptions } from 'cookie-session/fetch'
import { describe, expect, it } from 'vitest'
import { Jar } from './support/core-harness.js'
import { captureWarnings, settle } from './support/cookies.js'
import { cart, cleared, digest, filled, KEY_NEW, names, noise } from './support/large.js'

/** A browser talking to a Fetch handler: `act` changes the session, the response's cookies go to the jar. */
function client(options: FetchSessionOptions) {
  const sessions = createCookieSession(options)
  const jar = new Jar()
  return {
    jar,
    request(act: (session: Record<string, unknown>) => Record<string, unknown> | null | undefined = () => undefined) {
      const request = new Request('http://127.0.0.1/', { headers: { cookie: jar.header() } })
      const session = sessions.read(request)
      const seen = { isNew: session.isNew, keys: Object.keys(session), digest: digest(session) }
      const replaced = act(session)
      const response = new Response('ok')
      sessions.write(replaced === undefined ? session : replaced, response.headers)
      const setCookie = response.headers.getSetCookie()
      jar.take(setCookie)
      return { seen, setCookie }
    },
  }
}

describe.each([
  { mode: 'signed', options: { keys: [KEY_NEW], chunks: 3 }, sig: ['session.sig'] },
  { mode: 'encrypted', options: { keys: [KEY_NEW], chunks: 3, encrypt: true }, sig: [] },
])('the Fetch door, $mode, chunks: 3', ({ options, sig }) => {
  it('writes a 9 KB session as three cookies and reads it back whole', () => {
    const c = client(options)
    const wrote = c.request(() => ({ blob: noise(9000) }))
    expect(names(wrote.setCookie)).toEqual(['session', 'session.1', 'session.2', ...sig])
    expect(c.request().seen).toEqual({ isNew: false, keys: ['blob'], digest: filled(9000) })
  })

  it('clears the chunks a shrink leaves over, and all of them on destroy', () => {
    const c = client(options)
    c.request(() => ({ blob: noise(9000) }))
    // The session read() gave, changed in place: the request shows which chunks exist.
    const shrunk = c.request((session) => {
      session.blob = noise(5000, 2)
      return undefined
    })
    expect(cleared(shrunk.setCookie)).toEqual(['session.2'])
    expect(c.request().seen.digest).toBe(filled(5000, 2))
    // write(null) has no request to read: every chunk name chunks: 3 allows is cleared.
    expect(cleared(c.request(() => null).setCookie).sort()).toEqual(['session', 'session.1', 'session.2', ...sig].sort())
    expect(c.jar.cookies.size).toBe(0)
  })

  it('leaves the cookies as they are when the session does not fit, and warns', async () => {
    const warnings = captureWarnings()
    try {
      const c = client(options)
      c.request(() => ({ blob: noise(5000) }))
      const before = c.jar.header()
      expect(c.request(() => ({ blob: noise(13000) })).setCookie).toEqual([])
      expect(c.jar.header()).toBe(before)
      await settle()
      expect(warnings.list.some((w) => w.code === 'COOKIE_SESSION_TOO_LARGE' && /It was not written/.test(w.message))).toBe(true)
    } finally {
      warnings.dispose()
    }
  })

  it('reads a session with a chunk missing or from another session as new and empty', () => {
    const a = client(options)
    a.request(() => ({ blob: noise(9000) }))
    const b = client(options)
    b.request(() => ({ blob: noise(9000, 5) }))
    a.jar.cookies.set('session.1', b.jar.cookies.get('session.1') as string)
    expect(a.request().seen).toMatchObject({ isNew: true, keys: [] })
    a.jar.cookies.delete('session.1')
    expect(a.request().seen).toMatchObject({ isNew: true, keys: [] })
  })
})

describe.each([
  { mode: 'signed', options: { keys: [KEY_NEW] } },
  { mode: 'encrypted', options: { keys: [KEY_NEW], encrypt: true } },
])('the Fetch door, $mode, compress', ({ options }) => {
  it('writes a 20 KB cart in one cookie, and an app without compress still reads it', () => {
    const c = client({ ...options, compress: true })
    const wrote = c.request(() => ({ cart: cart(20000) }))
    expect(wrote.setCookie).toHaveLength(options.encrypt ? 1 : 2)
    expect(c.request().seen.digest).toBe(digest({ cart: cart(20000) }))
    const plainApp = createCookieSession(options)
    const session = plainApp.read(new Request('http://127.0.0.1/', { headers: { cookie: c.jar.header() } }))
    expect(digest(session)).toBe(digest({ cart: cart(20000) }))
  })
})
