// The Fetch door's own surface, called directly: a bare Headers in (no
// scheme to tell), write(null | object), headers that cannot be changed
// (a clear TypeError naming the fix, nothing half-written), and the option
// sets cookieSession() refuses, refused with the same errors.
import { cookieSession } from 'cookie-session'
import { createCookieSession } from 'cookie-session/fetch'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { b64, sessionCookie } from './support/core-harness.js'
import { refusedOptionSets } from './support/bad-options.js'
import { serveFetch } from './support/fetch-bridge.js'
import { captureWarnings, settle } from './support/cookies.js'

const K1 = 'k1'
const valid = sessionCookie({ user: 'ann' }, K1)
/** A cleared cookie; its `.sig` is the signature of `session=`, as `cookies` writes it. */
const EPOCH = 'expires=Thu, 01 Jan 1970 00:00:00 GMT'

let warnings: ReturnType<typeof captureWarnings>
beforeEach(() => {
  warnings = captureWarnings()
})
afterEach(() => warnings.dispose())

describe('read(headers): a bare Headers', () => {
  it('reads the Cookie header as a Request would', () => {
    const sessions = createCookieSession({ keys: [K1] })
    const session = sessions.read(new Headers({ cookie: `a=1; ${valid}` }))
    expect(session).toMatchObject({ isNew: false, isChanged: false, isPopulated: true, user: 'ann' })
    expect(sessions.read(new Headers()).isNew).toBe(true)
  })

  it('cannot tell HTTPS: no Secure by default, and secure: true written as asked, not refused', async () => {
    for (const [secure, attribute] of [[undefined, ''], [true, '; secure'], [false, '']] as const) {
      const sessions = createCookieSession({ keys: [K1], secure })
      const session = sessions.read(new Headers())
      session.a = 1
      const headers = new Headers()
      sessions.write(session, headers)
      const value = b64({ a: 1 })
      expect(headers.getSetCookie()).toEqual([`session=${value}; path=/${attribute}; httponly`, expect.stringMatching(`^session\\.sig=[^;]+; path=/${attribute}; httponly$`)])
    }
    await settle()
    expect(warnings.list).toEqual([])
  })
})

describe('write(null | object): no request behind it', () => {
  it('write(null) clears the cookie and its .sig, as req.session = null', () => {
    const sessions = createCookieSession({ keys: [K1], path: '/app', sameSite: 'lax' })
    const headers = new Headers()
    sessions.write(null, headers)
    expect(headers.getSetCookie()).toEqual([
      `session=; path=/app; ${EPOCH}; samesite=lax; httponly`,
      expect.stringMatching(`^session\\.sig=[\\w-]{27}; path=/app; ${EPOCH}; samesite=lax; httponly$`),
    ])
  })

  it('write(object) writes a new session holding its keys, as assigning it to req.session', () => {
    const sessions = createCookieSession({ keys: [K1] })
    const headers = new Headers()
    sessions.write(Object.assign(Object.create({ inherited: 1 }), { a: 1, isNew: false }), headers)
    expect(headers.getSetCookie()[0]).toBe(`session=${b64({ a: 1, inherited: 1 })}; path=/; httponly`)
  })

  it('write(value) refuses what is not a session, null or an object (undefined too), before touching the headers', () => {
    const sessions = createCookieSession({ keys: [K1] })
    const headers = new Headers({ 'set-cookie': 'x=1' })
    expect(() => sessions.write('a string' as never, headers)).toThrow(/write\(\) takes the session read\(\) gave.*got string/)
    // A session variable never set must not log the user out, as `req.session = undefined` would.
    expect(() => sessions.write(undefined, headers)).toThrow(/write\(\) takes the session read\(\) gave.*got undefined/)
    expect(headers.getSetCookie()).toEqual(['x=1'])
  })

  it('write() refuses a session another instance read, and what is not Headers; read() what is not a Request or Headers', () => {
    const one = createCookieSession({ keys: [K1] })
    const other = createCookieSession({ keys: [K1] })
    const session = one.read(new Request('https://example.com/'))
    session.user = 'ann'
    const headers = new Headers()
    expect(() => other.write(session, headers)).toThrow(/read by another createCookieSession\(\) instance/)
    expect(headers.getSetCookie()).toEqual([])
    expect(() => one.write(session, new Response('x') as never)).toThrow(/takes the response's Headers \(response\.headers\)/)
    // Hono's c.req (a HonoRequest) is neither: the message names c.req.raw.
    expect(() => one.read({ raw: new Request('https://example.com/'), header: () => undefined } as never)).toThrow(/c\.req\.raw/)
    one.write(session, headers)
    expect(headers.getSetCookie().map((c) => c.split('=')[0])).toEqual(['session', 'session.sig'])
  })

  it('no request to tell the scheme: a __Secure- or __Host- name is written Secure, as browsers require', () => {
    for (const name of ['__Host-session', '__Secure-session']) {
      const sessions = createCookieSession({ name, keys: [K1] })
      const headers = new Headers()
      sessions.write(null, headers)
      expect(headers.getSetCookie()).toEqual([
        `${name}=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; secure; httponly`,
        expect.stringMatching(new RegExp(`^${name}\\.sig=[\\w-]+; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; secure; httponly$`)),
      ])
    }
    // Over plain HTTP a request still says no, as the middleware does (cookies refuses nothing here: no secure option).
    const sessions = createCookieSession({ name: '__Host-session', keys: [K1] })
    const session = sessions.read(new Request('http://example.com/'))
    session.regenerate()
    const headers = new Headers()
    sessions.write(session, headers)
    expect(headers.getSetCookie()[0]).toBe('__Host-session=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly')
  })

  it('trustProxy is true or false: Express-style hop counts and addresses are refused', () => {
    for (const value of ['false', 1, 'loopback', ['10.0.0.0/8']]) {
      expect(() => createCookieSession({ keys: [K1], trustProxy: value as never })).toThrow(/option trustProxy must be true or false/)
    }
    expect(() => createCookieSession({ keys: [K1], trustProxy: undefined })).not.toThrow()
  })
})

describe('headers that cannot be changed: a TypeError naming the fix, nothing half-written', () => {
  const message = /cannot be changed.*new Response\(response\.body, response\)/s
  const changed = () => {
    const sessions = createCookieSession({ keys: [K1] })
    const session = sessions.read(new Headers({ cookie: `session=${b64({ user: 'ann' })}; session.sig=bad` }))
    session.user = 'bob'
    return { sessions, session }
  }

  it('Response.redirect(): throws, and after the copy the message names, writes every line', () => {
    const { sessions, session } = changed()
    let response = Response.redirect('http://127.0.0.1/next', 303)
    expect(() => sessions.write(session, response.headers)).toThrow(expect.objectContaining({ name: 'TypeError', message: expect.stringMatching(message) }))
    expect(response.headers.getSetCookie()).toEqual([])
    response = new Response(response.body, response)
    sessions.write(session, response.headers)
    expect(response.headers.getSetCookie().map((l) => l.split('=')[0])).toEqual(['session', 'session.sig'])
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe('http://127.0.0.1/next')
  })

  it('Response.redirect() refused: after the copy, what reading found is still sent (a bad .sig cleared)', () => {
    const sessions = createCookieSession({ keys: [K1] })
    const session = sessions.read(new Headers({ cookie: `session=${b64({ user: 'ann' })}; session.sig=bad` }))
    let response = Response.redirect('http://127.0.0.1/next', 303)
    expect(() => sessions.write(session, response.headers)).toThrow(TypeError)
    response = new Response(response.body, response)
    sessions.write(session, response.headers)
    expect(response.headers.getSetCookie()).toEqual([`session.sig=; path=/; ${EPOCH}; httponly`])
  })

  it('a Response from fetch(): throws the same error; write(null) too', async () => {
    const served = await serveFetch(() => new Response('hello', { headers: { 'set-cookie': 'upstream=1' } }))
    try {
      const upstream = await fetch(served.url)
      const { sessions, session } = changed()
      for (const value of [session, null]) {
        expect(() => sessions.write(value, upstream.headers)).toThrow(expect.objectContaining({ name: 'TypeError', message: expect.stringMatching(message) }))
      }
      expect(upstream.headers.getSetCookie()).toEqual(['upstream=1'])
      expect(await upstream.text()).toBe('hello')
    } finally {
      await served.close()
    }
  })

  it('Response.error() and Response.json() headers: immutable throws, mutable writes', () => {
    const sessions = createCookieSession({ keys: [K1] })
    expect(() => sessions.write(null, Response.error().headers)).toThrow(TypeError)
    const json = Response.json({ ok: true })
    sessions.write(null, json.headers)
    expect(json.headers.getSetCookie()).toEqual([`session=; path=/; ${EPOCH}; httponly`, expect.stringMatching(/^session\.sig=.*; httponly$/)])
  })
})

describe('options: refused as cookieSession() refuses them, with the same errors', () => {
  const errorOf = (make: () => unknown): Error | undefined => {
    try {
      make()
    } catch (err) {
      return err as Error
    }
    return undefined
  }

  it.each(refusedOptionSets([K1]))('$label', ({ options }) => {
    const middleware = errorOf(() => cookieSession(options as never))
    const door = errorOf(() => createCookieSession(options as never))
    expect(middleware).toBeInstanceOf(Error)
    expect(door?.constructor).toBe(middleware?.constructor)
    expect(door?.message).toBe(middleware?.message)
  })

  it('trustProxy is the door\'s own option; every option cookieSession() accepts, it accepts', () => {
    const options = {
      keys: [K1],
      algorithm: ['sha256', 'sha1'],
      name: 'n',
      signed: true,
      httpOnly: false,
      overwrite: false,
      maxAge: 1000,
      expires: new Date(),
      path: '/p',
      domain: 'example.com',
      sameSite: 'strict',
      secure: false,
      partitioned: true,
      priority: 'high',
      rolling: true,
      secureProxy: false,
    } as const
    expect(() => cookieSession({ ...options })).not.toThrow()
    expect(() => createCookieSession({ ...options, trustProxy: true })).not.toThrow()
    const enc = { keys: ['an encryption key of 32 bytes or more'], encrypt: true, acceptSigned: [K1] }
    expect(() => createCookieSession(enc)).not.toThrow()
  })
})
