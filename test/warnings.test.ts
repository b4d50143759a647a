// Issue 6: process warnings where 2.1.1 fails silently — a cookie browsers
// will drop (COOKIE_SESSION_TOO_LARGE) and a cookie that could not be written
// (COOKIE_SESSION_NOT_SET).
import type { RequestListener, ServerResponse } from 'node:http'
import { format } from 'node:util'
import express from 'express'
import express4 from 'express4'
import request from 'supertest'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { debug } from '../src/core/debug.js'
import { type CookieSessionOptions, cookieSession } from '../src/index.js'
import { hosts, listen, sendJson } from './support/hosts.js'
import {
  captureWarnings,
  cookieNamed,
  decodeSession,
  isClearing,
  KEYS,
  setCookies,
  settle,
  signedCookie,
} from './support/cookies.js'

type Handler = (req: any, res: ServerResponse) => void

let warnings: ReturnType<typeof captureWarnings>
let debugLines: string[]
let restoreDebug: () => void

beforeEach(() => {
  warnings = captureWarnings()
  debugLines = []
  const { log, enabled } = debug
  debug.enabled = true
  debug.log = (...args: unknown[]) => {
    debugLines.push(format(...args))
  }
  restoreDebug = () => {
    debug.log = log
    debug.enabled = enabled
  }
})
afterEach(() => {
  warnings.dispose()
  restoreDebug()
})

/** Our warnings only (anything else the process emits is ignored). */
function ours(): (Error & { code?: string })[] {
  return warnings.list.filter((w) => w.name === 'CookieSessionWarning')
}

async function get(listener: RequestListener, times = 1, headers: Record<string, string> = {}): Promise<request.Response[]> {
  const s = await listen(listener)
  try {
    const out: request.Response[] = []
    for (let i = 0; i < times; i++) out.push(await request(s.url).get('/').set(headers))
    await settle()
    return out
  } finally {
    await s.close()
  }
}

/**
 * Session data whose cookie value is exactly `valueLength` base64 characters:
 * `{"d":"xxx"}` is 8 bytes plus the x's, and base64 turns 3 bytes into 4.
 */
function dataOfValueLength(valueLength: number): { d: string } {
  if (valueLength % 4 !== 0) throw new Error('base64 lengths are multiples of 4')
  return { d: 'x'.repeat((valueLength / 4) * 3 - 8) }
}

const store =
  (data: object): Handler =>
  (req, res) => {
    Object.assign(req.session, data)
    sendJson(res, 'ok')
  }

/** Bytes of `name=value` minus the `=` (the client decodes header bytes as Latin-1, one character per byte). */
function wireSize(res: request.Response, name: string): number {
  const cookie = cookieNamed(res, name)
  if (!cookie) throw new Error(`no ${name} cookie`)
  return Buffer.byteLength(`${cookie.name}${cookie.value}`, 'latin1')
}

describe.each(hosts)('COOKIE_SESSION_TOO_LARGE on $name', (host) => {
  const app = (options: CookieSessionOptions, handler: Handler): RequestListener =>
    host.create(cookieSession({ keys: KEYS, ...options }), handler)

  it('no warning at exactly 4096 bytes of name plus value', async () => {
    const [res] = await get(app({ name: 'sess' }, store(dataOfValueLength(4092))))
    expect(wireSize(res!, 'sess')).toBe(4096)
    expect(ours()).toEqual([])
  })

  it('warns at 4097 bytes, with the size against 4096, the consequence and the advice; the cookies are still sent', async () => {
    const data = dataOfValueLength(4092)
    const [res] = await get(app({ name: 'sessi' }, store(data)))
    expect(res!.status).toBe(200)
    expect(wireSize(res!, 'sessi')).toBe(4097)
    expect(decodeSession(cookieNamed(res!, 'sessi')?.value ?? '')).toEqual(data)
    expect(cookieNamed(res!, 'sessi.sig')?.value).toMatch(/^[\w-]{27}$/)

    const list = ours()
    expect(list).toHaveLength(1)
    const [w] = list
    expect(w!.code).toBe('COOKIE_SESSION_TOO_LARGE')
    expect(w!.message).toContain('"sessi"')
    expect(w!.message).toContain('4097 bytes')
    expect(w!.message).toContain('4096')
    expect(w!.message).toMatch(/sessi\.sig/)
    expect(w!.message).toMatch(/session is lost/)
    expect(w!.message).toMatch(/small/)
    expect(w!.message).toMatch(/store an id/)
    expect(w!.message).toMatch(/server-side/)
  })

  it('unsigned: the message says only this change is lost (there is no .sig to mismatch)', async () => {
    const [res] = await get(app({ name: 'sessi', signed: false }, store(dataOfValueLength(4092))))
    expect(wireSize(res!, 'sessi')).toBe(4097)
    expect(cookieNamed(res!, 'sessi.sig')).toBeUndefined()
    const [w] = ours()
    expect(w!.code).toBe('COOKIE_SESSION_TOO_LARGE')
    expect(w!.message).toContain('4097 bytes')
    expect(w!.message).toMatch(/previous value, so this change is lost/)
    expect(w!.message).not.toMatch(/sessi\.sig/)
  })

  it('per request, req.sessionOptions.signed = false decides the message too', async () => {
    const unsigned: Handler = (req, res) => {
      req.sessionOptions.signed = false
      store(dataOfValueLength(4092))(req, res)
    }
    await get(app({ name: 'sessi' }, unsigned))
    expect(ours()[0]!.message).toMatch(/this change is lost/)
  })

  it('counts a non-ASCII name in UTF-8 bytes, as Node sends it with a string body', async () => {
    // "sesé" is 4 characters but 5 bytes on the wire; the client reads the
    // raw bytes as Latin-1, so the header shows "sesÃ©".
    const [res] = await get(app({ name: 'ses\u00e9' }, store(dataOfValueLength(4092))))
    expect(wireSize(res!, Buffer.from('ses\u00e9').toString('latin1'))).toBe(4097)
    expect(ours().map((w) => w.code)).toEqual(['COOKIE_SESSION_TOO_LARGE'])
    expect(ours()[0]!.message).toContain('4097 bytes')
  })

  it('well over the limit: warns once per middleware instance, debug logs every time', async () => {
    const data = dataOfValueLength(8000)
    const first = await get(app({}, store(data)), 3)
    for (const res of first) {
      expect(res.status).toBe(200)
      expect(cookieNamed(res, 'session')?.value).toHaveLength(8000)
    }
    expect(ours().map((w) => w.code)).toEqual(['COOKIE_SESSION_TOO_LARGE'])
    expect(ours()[0]!.message).toContain('8007 bytes')
    expect(debugLines.filter((l) => l.includes('COOKIE_SESSION_TOO_LARGE'))).toHaveLength(3)

    // A second middleware instance warns again.
    await get(app({}, store(data)))
    expect(ours().map((w) => w.code)).toEqual(['COOKIE_SESSION_TOO_LARGE', 'COOKIE_SESSION_TOO_LARGE'])
  })

  it('an unchanged large session that is not written does not warn', async () => {
    const data = dataOfValueLength(8000)
    const [res] = await get(
      app({}, (req, res) => sendJson(res, req.session.d.length)),
      1,
      { Cookie: signedCookie(data) },
    )
    expect(res!.body).toBe(data.d.length)
    expect(res!.headers['set-cookie']).toBeUndefined()
    expect(ours()).toEqual([])
  })
})

describe.each(hosts)('COOKIE_SESSION_NOT_SET on $name', (host) => {
  it('secure: true over plain HTTP: 200 without the cookie, a warning naming the reason with the trust-proxy hint, once', async () => {
    const responses = await get(host.create(cookieSession({ keys: KEYS, secure: true }), store({ a: 1 })), 2)
    for (const res of responses) {
      expect(res.status).toBe(200)
      expect(res.body).toBe('ok')
      expect(res.headers['set-cookie']).toBeUndefined()
    }
    const list = ours()
    expect(list.map((w) => w.code)).toEqual(['COOKIE_SESSION_NOT_SET'])
    expect(list[0]!.message).toContain('"session"')
    expect(list[0]!.message).toContain('Cannot send secure cookie over unencrypted connection')
    expect(list[0]!.message).toContain("app.set('trust proxy', 1)")
    expect(list[0]!.message).toMatch(/proxy/)
    expect(debugLines.filter((l) => l.includes('COOKIE_SESSION_NOT_SET'))).toHaveLength(2)
  })

  it('destroying the session over plain HTTP with secure: true warns as well', async () => {
    const [res] = await get(
      host.create(cookieSession({ keys: KEYS, secure: true }), (req, res) => {
        req.session = null
        sendJson(res, 'ok')
      }),
      1,
      { Cookie: signedCookie({ a: 1 }) },
    )
    expect(res!.status).toBe(200)
    expect(res!.headers['set-cookie']).toBeUndefined()
    expect(ours().map((w) => w.code)).toEqual(['COOKIE_SESSION_NOT_SET'])
  })

  it.each([
    [
      'a bad per-request option',
      (options: Record<string, unknown>) => {
        options.sameSite = 'bogus'
      },
      'option sameSite is invalid',
    ],
    [
      'a getter on req.sessionOptions that throws',
      (options: Record<string, unknown>) => {
        Object.defineProperty(options, 'rolling', {
          get() {
            throw new Error('no rolling here')
          },
        })
      },
      'no rolling here',
    ],
    [
      'a getter on req.sessionOptions that throws an object whose toString throws',
      (options: Record<string, unknown>) => {
        Object.defineProperty(options, 'rolling', {
          get() {
            throw {
              toString() {
                throw new Error('not printable')
              },
            }
          },
        })
      },
      'an unprintable value was thrown',
    ],
  ])('another reason (%s) is named, without the proxy hint: 200 without the cookie', async (_what, change, reason) => {
    const [res] = await get(
      host.create(cookieSession({ keys: KEYS }), (req, res) => {
        change(req.sessionOptions as Record<string, unknown>)
        req.session.a = 1
        sendJson(res, 'ok')
      }),
    )
    expect(res!.status).toBe(200)
    expect(res!.headers['set-cookie']).toBeUndefined()
    const list = ours()
    expect(list.map((w) => w.code)).toEqual(['COOKIE_SESSION_NOT_SET'])
    expect(list[0]!.message).toContain(reason)
    expect(list[0]!.message).not.toContain('trust proxy')
  })

  it('the two codes are counted separately', async () => {
    const listener = host.create(cookieSession({ keys: KEYS }), (req, res) => {
      if (req.url === '/big') req.session.d = dataOfValueLength(8000).d
      else {
        req.sessionOptions.secure = true
        req.session.a = 1
      }
      sendJson(res, 'ok')
    })
    const s = await listen(listener)
    try {
      await request(s.url).get('/big')
      await request(s.url).get('/secure')
      await request(s.url).get('/big')
      await request(s.url).get('/secure')
      await settle()
    } finally {
      await s.close()
    }
    expect(ours().map((w) => w.code)).toEqual(['COOKIE_SESSION_TOO_LARGE', 'COOKIE_SESSION_NOT_SET'])
  })
})

describe.each([
  { name: 'express 5', make: () => express() },
  { name: 'express 4', make: () => express4() },
])("$name: secure: true behind a TLS proxy with app.set('trust proxy', 1)", ({ make }) => {
  function app(trust: boolean): RequestListener {
    const a = make()
    if (trust) a.set('trust proxy', 1)
    a.use(cookieSession({ keys: KEYS, secure: true }))
    a.get('/', (req: any, res: any) => {
      req.session.a = 1
      res.json({ protocol: req.protocol, secure: req.secure })
    })
    a.post('/logout', (req: any, res: any) => {
      req.session = null
      res.json('ok')
    })
    return a as unknown as RequestListener
  }

  it('X-Forwarded-Proto: https sets the secure cookie, no warning', async () => {
    const [res] = await get(app(true), 1, { 'X-Forwarded-Proto': 'https' })
    expect(res!.body).toEqual({ protocol: 'https', secure: true })
    const session = cookieNamed(res!, 'session')
    expect(decodeSession(session?.value ?? '')).toEqual({ a: 1 })
    expect(session?.attrs.secure).toBe(true)
    expect(cookieNamed(res!, 'session.sig')?.attrs.secure).toBe(true)
    expect(ours()).toEqual([])
  })

  it('clearing works too behind the trusted proxy', async () => {
    const s = await listen(app(true))
    try {
      const res = await request(s.url)
        .post('/logout')
        .set('X-Forwarded-Proto', 'https')
        .set('Cookie', signedCookie({ a: 1 }))
      await settle()
      expect(setCookies(res).map((c) => [c.name, isClearing(c), c.attrs.secure])).toEqual([
        ['session', true, true],
        ['session.sig', true, true],
      ])
    } finally {
      await s.close()
    }
    expect(ours()).toEqual([])
  })

  it('the same header without trust proxy is ignored: no cookie, the warning with the hint', async () => {
    const [res] = await get(app(false), 1, { 'X-Forwarded-Proto': 'https' })
    expect(res!.status).toBe(200)
    expect(res!.body).toEqual({ protocol: 'http', secure: false })
    expect(res!.headers['set-cookie']).toBeUndefined()
    expect(ours().map((w) => w.code)).toEqual(['COOKIE_SESSION_NOT_SET'])
    expect(ours()[0]!.message).toContain("app.set('trust proxy', 1)")
  })

  it('trust proxy but a plain-HTTP hop (X-Forwarded-Proto: http): no cookie, warning', async () => {
    const [res] = await get(app(true), 1, { 'X-Forwarded-Proto': 'http' })
    expect(res!.status).toBe(200)
    expect(res!.headers['set-cookie']).toBeUndefined()
    expect(ours().map((w) => w.code)).toEqual(['COOKIE_SESSION_NOT_SET'])
  })
})
