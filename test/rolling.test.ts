// Issue 6: `rolling: true` re-sends a valid, populated session cookie with a
// fresh expiry on every response, even when the handler never touched it.
import type { RequestListener, ServerResponse } from 'node:http'
import oracle from 'cookie-session-2'
import Keygrip from 'keygrip'
import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { type CookieSessionOptions, cookieSession } from '../src/index.js'
import { hosts, listen, sendJson } from './support/hosts.js'
import {
  captureWarnings,
  cookieNamed,
  decodeSession,
  encodeSession,
  isClearing,
  KEYS,
  normalised,
  rawSetCookies,
  setCookies,
  settle,
  signedCookie,
} from './support/cookies.js'

type Handler = (req: any, res: ServerResponse) => void

const MAX_AGE = 60 * 60 * 1000

async function call(listener: RequestListener, cookie?: string): Promise<request.Response> {
  const s = await listen(listener)
  try {
    const req = request(s.url).get('/')
    if (cookie !== undefined) req.set('Cookie', cookie)
    return await req
  } finally {
    await s.close()
  }
}

const untouched: Handler = (_req, res) => sendJson(res, 'ok')

let warnings: ReturnType<typeof captureWarnings> | undefined
afterEach(() => {
  warnings?.dispose()
  warnings = undefined
})

describe.each(hosts)('rolling on $name', (host) => {
  const ours = (options: CookieSessionOptions, handler: Handler): RequestListener =>
    host.create(cookieSession({ keys: KEYS, ...options }), handler)

  it('re-sends the same value and signature with a fresh expires when the handler never touched the session', async () => {
    const incoming = signedCookie({ user: 'alice', n: 1 })
    const before = Date.now()
    const res = await call(ours({ rolling: true, maxAge: MAX_AGE }, untouched), incoming)
    const after = Date.now()
    expect(res.status).toBe(200)
    expect(setCookies(res).map((c) => c.name)).toEqual(['session', 'session.sig'])
    expect(rawSetCookies(res).map((c) => c.split(';')[0]).join('; ')).toBe(incoming)
    for (const c of setCookies(res)) {
      const expires = Date.parse(String(c.attrs.expires))
      // Expires has a resolution of one second.
      expect(expires).toBeGreaterThanOrEqual(Math.floor((before + MAX_AGE) / 1000) * 1000)
      expect(expires).toBeLessThanOrEqual(after + MAX_AGE)
      expect(c.attrs.path).toBe('/')
      expect(c.attrs.httponly).toBe(true)
    }
  })

  it('re-sends a session that was read but not changed, and sends the new value of a changed one', async () => {
    const incoming = signedCookie({ n: 1 })
    const read = await call(
      ours({ rolling: true, maxAge: MAX_AGE }, (req, res) => sendJson(res, req.session.n)),
      incoming,
    )
    expect(read.body).toBe(1)
    expect(cookieNamed(read, 'session')?.value).toBe(encodeSession({ n: 1 }))

    const changed = await call(
      ours({ rolling: true, maxAge: MAX_AGE }, (req, res) => {
        req.session.n++
        sendJson(res, req.session.n)
      }),
      incoming,
    )
    expect(decodeSession(cookieNamed(changed, 'session')?.value ?? '')).toEqual({ n: 2 })
    expect(setCookies(changed)).toHaveLength(2)
  })

  it('without maxAge re-sends a browser-session cookie (no expires)', async () => {
    const res = await call(ours({ rolling: true }, untouched), signedCookie({ a: 1 }))
    expect(cookieNamed(res, 'session')?.value).toBe(encodeSession({ a: 1 }))
    expect(cookieNamed(res, 'session')?.attrs.expires).toBeUndefined()
  })

  it('re-signs a cookie signed with an older key, once', async () => {
    const keys = ['new key', 'old key']
    const incoming = signedCookie({ a: 1 }, { keys: ['old key'] })
    const res = await call(
      host.create(cookieSession({ keys, rolling: true, maxAge: MAX_AGE }), untouched),
      incoming,
    )
    expect(setCookies(res).map((c) => c.name)).toEqual(['session', 'session.sig'])
    const value = encodeSession({ a: 1 })
    expect(cookieNamed(res, 'session')?.value).toBe(value)
    expect(cookieNamed(res, 'session.sig')?.value).toBe(new Keygrip(['new key']).sign(`session=${value}`))
  })

  describe('sends nothing when no valid session came in', () => {
    const cases: { name: string; cookie?: string }[] = [
      { name: 'no cookie header' },
      { name: 'other cookies only', cookie: 'theme=dark; lang=en' },
      { name: 'the session cookie without its signature', cookie: `session=${encodeSession({ a: 1 })}` },
      { name: 'a validly signed value that is not base64 JSON', cookie: signedCookie('bm90IGpzb24') },
      { name: 'a validly signed JSON array', cookie: signedCookie(encodeSession([1, 2])) },
      { name: 'a validly signed JSON string', cookie: signedCookie(encodeSession('abc')) },
      { name: 'a validly signed empty session', cookie: signedCookie({}) },
    ]
    it.each(cases)('$name', async ({ cookie }) => {
      const res = await call(ours({ rolling: true, maxAge: MAX_AGE }, untouched), cookie)
      expect(res.status).toBe(200)
      expect(res.headers['set-cookie']).toBeUndefined()
    })
  })

  describe('never echoes a forged cookie', () => {
    const good = signedCookie({ user: 'alice' })
    const forgedValue = encodeSession({ user: 'admin' })
    const goodSig = good.split('session.sig=')[1]
    const cases: { name: string; cookie: string }[] = [
      { name: 'a changed value with the old signature', cookie: `session=${forgedValue}; session.sig=${goodSig}` },
      {
        name: 'a value signed with a key the app does not have',
        cookie: signedCookie({ user: 'admin' }, { keys: ['attacker key'] }),
      },
      { name: 'a garbage signature', cookie: `session=${forgedValue}; session.sig=AAAAAAAAAAAAAAAAAAAAAAAAAAA` },
    ]
    it.each(cases)('$name', async ({ cookie }) => {
      for (const handler of [untouched, (req: any, res: ServerResponse) => sendJson(res, req.session)]) {
        const res = await call(ours({ rolling: true, maxAge: MAX_AGE }, handler), cookie)
        expect(res.status).toBe(200)
        for (const c of rawSetCookies(res)) expect(c).not.toContain(forgedValue)
        // At most `cookies` deleting the bad signature; never a session value.
        for (const c of setCookies(res)) expect(isClearing(c)).toBe(true)
        expect(cookieNamed(res, 'session')).toBeUndefined()
      }
    })
  })

  it('does not re-send a destroyed session: it is cleared', async () => {
    const res = await call(
      ours({ rolling: true, maxAge: MAX_AGE }, (req, res) => {
        req.session = null
        sendJson(res, 'ok')
      }),
      signedCookie({ a: 1 }),
    )
    expect(setCookies(res).map((c) => c.name)).toEqual(['session', 'session.sig'])
    for (const c of setCookies(res)) expect(isClearing(c)).toBe(true)
  })

  it('an emptied session is written once, as 2.1.1 writes it, and never rolled afterwards', async () => {
    const empty: Handler = (req, res) => {
      for (const key of Object.keys(req.session)) delete req.session[key]
      sendJson(res, req.session.isPopulated)
    }
    const incoming = signedCookie({ a: 1 })
    const mine = await call(ours({ rolling: true, maxAge: MAX_AGE }, empty), incoming)
    const ref = await call(host.create(oracle({ keys: KEYS, maxAge: MAX_AGE }), empty), incoming)
    expect(mine.body).toBe(false)
    expect(normalised(mine)).toEqual(normalised(ref))
    expect(cookieNamed(mine, 'session')?.value).toBe(encodeSession({}))

    // The browser now sends the empty session back: nothing to roll.
    const next = await call(ours({ rolling: true, maxAge: MAX_AGE }, untouched), rawSetCookies(mine).map((c) => c.split(';')[0]).join('; '))
    expect(next.headers['set-cookie']).toBeUndefined()
    const read = await call(
      ours({ rolling: true, maxAge: MAX_AGE }, (req, res) => sendJson(res, req.session.isPopulated)),
      signedCookie({}),
    )
    expect(read.body).toBe(false)
    expect(read.headers['set-cookie']).toBeUndefined()
  })

  it('a new session the handler leaves empty sends nothing', async () => {
    const res = await call(
      ours({ rolling: true, maxAge: MAX_AGE }, (req, res) => sendJson(res, req.session.isNew)),
    )
    expect(res.body).toBe(true)
    expect(res.headers['set-cookie']).toBeUndefined()
  })

  it('req.sessionOptions.rolling = true turns it on for one response only', async () => {
    const s = await listen(
      ours({ maxAge: MAX_AGE }, (req, res) => {
        if (req.url === '/roll') req.sessionOptions.rolling = true
        sendJson(res, 'ok')
      }),
    )
    try {
      const incoming = signedCookie({ a: 1 })
      const rolled = await request(s.url).get('/roll').set('Cookie', incoming)
      expect(rawSetCookies(rolled).map((c) => c.split(';')[0]).join('; ')).toBe(incoming)
      const plain = await request(s.url).get('/').set('Cookie', incoming)
      expect(plain.headers['set-cookie']).toBeUndefined()
    } finally {
      await s.close()
    }
  })

  it('req.sessionOptions.rolling = false turns it off for one response', async () => {
    const res = await call(
      ours({ rolling: true, maxAge: MAX_AGE }, (req, res) => {
        req.sessionOptions.rolling = false
        sendJson(res, 'ok')
      }),
      signedCookie({ a: 1 }),
    )
    expect(res.headers['set-cookie']).toBeUndefined()
  })

  it('rolling over plain HTTP with secure: true and a rotated key: the response still succeeds, without the cookie', async () => {
    // The hook reads the cookie (signed with the old key, so to be
    // re-issued) then fails to write a secure cookie over plain HTTP: that
    // must warn, not turn into an error response.
    warnings = captureWarnings()
    const res = await call(
      host.create(cookieSession({ keys: ['new key', 'old key'], rolling: true, secure: true }), untouched),
      signedCookie({ a: 1 }, { keys: ['old key'] }),
    )
    await settle()
    expect(res.status).toBe(200)
    expect(res.body).toBe('ok')
    expect(cookieNamed(res, 'session')).toBeUndefined()
    expect(warnings.list.map((w) => w.code)).toEqual(['COOKIE_SESSION_NOT_SET'])
  })
})

describe.each(hosts)('rolling: false (the default) on $name behaves as 2.1.1', (host) => {
  const cases: { name: string; cookie?: string; handler: Handler; options?: object }[] = [
    { name: 'valid cookie, untouched', cookie: signedCookie({ a: 1 }), handler: untouched },
    { name: 'valid cookie, read', cookie: signedCookie({ a: 1 }), handler: (req, res) => sendJson(res, req.session.a) },
    {
      name: 'valid cookie, changed',
      cookie: signedCookie({ a: 1 }),
      handler: (req, res) => {
        req.session.a = 2
        sendJson(res, req.session.a)
      },
    },
    {
      name: 'valid cookie, set to the same value',
      cookie: signedCookie({ a: 1 }),
      handler: (req, res) => {
        req.session.a = 1
        sendJson(res, req.session.isChanged)
      },
    },
    { name: 'no cookie, read', handler: (req, res) => sendJson(res, req.session.isNew) },
    {
      name: 'forged cookie, read',
      cookie: `session=${encodeSession({ a: 2 })}; session.sig=${signedCookie({ a: 1 }).split('session.sig=')[1]}`,
      handler: (req, res) => sendJson(res, req.session),
    },
    {
      name: 'valid cookie, destroyed',
      cookie: signedCookie({ a: 1 }),
      handler: (req, res) => {
        req.session = null
        sendJson(res, 'ok')
      },
    },
    {
      name: 'explicit rolling: false with maxAge, read',
      cookie: signedCookie({ a: 1 }),
      options: { rolling: false, maxAge: MAX_AGE },
      handler: (req, res) => sendJson(res, req.session.a),
    },
  ]
  it.each(cases)('$name', async ({ cookie, handler, options }) => {
    const mine = await call(host.create(cookieSession({ keys: KEYS, ...options }), handler), cookie)
    const ref = await call(host.create(oracle({ keys: KEYS, ...options }), handler), cookie)
    expect(mine.status).toBe(ref.status)
    expect(mine.body).toEqual(ref.body)
    expect(normalised(mine)).toEqual(normalised(ref))
  })
})
