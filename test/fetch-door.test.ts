// The Fetch door (`cookie-session/fetch`) answers as the middleware: one
// table of cases, each run through cookieSession() on Express 5 and node:http
// and through createCookieSession() behind a Request/Response bridge, over
// real HTTP (HTTPS where the case says), the same Cookie header in; the same
// status, body, Set-Cookie lines and warnings must come out.
import type { RequestListener } from 'node:http'
import express from 'express'
import Keygrip from 'keygrip'
import { type CookieSessionOptions, cookieSession } from 'cookie-session'
import { type CookieSessionObject, createCookieSession, type FetchSessionOptions } from 'cookie-session/fetch'
import { describe, expect, it } from 'vitest'
import { Sealer } from '../src/core/sealer.js'
import { b64, expectSame, type Sent, send, serve, sessionCookie, signedCookie } from './support/core-harness.js'
import { serveFetch } from './support/fetch-bridge.js'
import { express5Host, type Host, nodeHttpHost, sendJson } from './support/hosts.js'
import { captureWarnings, openedJson, settle } from './support/cookies.js'

const K1 = 'k1'
const K2 = 'k2'
const ENC = 'an encryption key of 32 bytes or more'

/** What a case's handler can do to the session, said once for both doors. */
interface Door {
  /** The session: `req.session`, or `sessions.read(request)` (once). */
  session(): CookieSessionObject
  /** `req.session = value`, or `sessions.write(value, headers)`. */
  replace(value: object | null): void
  /** This response's options: `req.sessionOptions`, or `write`'s third argument. */
  readonly options: CookieSessionOptions
  /** Set-Cookie lines the handler puts on the response before the session's. */
  preset(lines: string[]): void
}

interface Case {
  name: string
  options: () => FetchSessionOptions
  cookie?: string
  headers?: Record<string, string>
  https?: boolean
  /** The middleware behind Express 5 with `trust proxy` (the door gets `trustProxy: true`). */
  trustProxy?: boolean
  act(door: Door): unknown
}

const describeSession = (s: CookieSessionObject) => ({ isNew: s.isNew, isChanged: s.isChanged, data: { ...s } })
const set = (data: object) => (d: Door) => {
  Object.assign(d.session(), data)
  return describeSession(d.session())
}
const read = (d: Door) => describeSession(d.session())
const presetThen = (lines: string[], then: (d: Door) => unknown) => (d: Door) => {
  d.preset(lines)
  return then(d)
}
const regenerated = (d: Door) => {
  d.session().regenerate()
  return describeSession(d.session())
}
const sealed = (data: object, key = ENC) => `session=${new Sealer([key]).seal('session', JSON.stringify(data), Number.POSITIVE_INFINITY)}`
const sha256Cookie = (data: object) => {
  const value = b64(data)
  return `session=${value}; session.sig=${new Keygrip([K1], 'sha256').sign(`session=${value}`)}`
}
const valid = sessionCookie({ user: 'ann', views: 1 }, K1)
const [validValue, validSig] = [b64({ user: 'ann', views: 1 }), valid.split('session.sig=')[1]]

const table: Case[] = [
  { name: 'signed, new session', options: () => ({ keys: [K1] }), act: set({ views: 1 }) },
  { name: 'signed, loaded and changed', options: () => ({ keys: [K1] }), cookie: valid, act: set({ views: 2 }) },
  { name: 'signed, loaded and read only', options: () => ({ keys: [K1] }), cookie: valid, act: read },
  { name: 'unsigned', options: () => ({ signed: false }), cookie: `session=${validValue}`, act: set({ views: 2 }) },
  { name: 'another name', options: () => ({ keys: [K1], name: 'sess' }), cookie: sessionCookie({ a: 1 }, K1, 'sess'), act: set({ a: 2 }) },
  { name: 'sha256 algorithm', options: () => ({ keys: [K1], algorithm: 'sha256' }), cookie: sha256Cookie({ a: 1 }), act: set({ b: 2 }) },
  { name: 'sha1 cookie under [sha256, sha1]: re-issued', options: () => ({ keys: [K1], algorithm: ['sha256', 'sha1'] }), cookie: valid, act: read },
  { name: 'rotation: an older key re-issued', options: () => ({ keys: [K2, K1] }), cookie: valid, act: read },
  { name: 'rolling, untouched', options: () => ({ keys: [K1], rolling: true, maxAge: 60_000 }), cookie: valid, act: () => 'untouched' },
  { name: 'untouched, not rolling: nothing', options: () => ({ keys: [K1], maxAge: 60_000 }), cookie: valid, act: () => 'untouched' },
  {
    name: 'every attribute',
    options: () => ({ keys: [K1], maxAge: 3_600_000, path: '/app', domain: 'example.com', sameSite: 'None', partitioned: true, priority: 'High', httpOnly: false }),
    act: set({ a: 1 }),
  },
  { name: 'expires', options: () => ({ keys: [K1], expires: new Date(Date.UTC(2031, 0, 2)), sameSite: true }), act: set({ a: 1 }) },
  {
    name: 'per-response options',
    options: () => ({ keys: [K1] }),
    cookie: valid,
    act: (d) => {
      Object.assign(d.options, { maxAge: 5000, sameSite: 'lax', path: '/x', httpOnly: false, priority: 'low' })
      return set({ views: 9 })(d)
    },
  },
  {
    name: 'per-response signed: false and another name',
    options: () => ({ keys: [K1] }),
    act: (d) => {
      Object.assign(d.options, { signed: false, name: 'other' })
      return set({ a: 1 })(d)
    },
  },
  {
    name: 'per-response signed: true without keys: no cookie, COOKIE_SESSION_NOT_SET',
    options: () => ({ signed: false }),
    act: (d) => {
      d.options.signed = true
      return set({ a: 1 })(d)
    },
  },
  { name: 'prior Set-Cookie, overwrite (default)', options: () => ({ keys: [K1] }), act: presetThen(['session=pre; path=/', 'other=1', 'session.sig=x'], set({ a: 1 })) },
  {
    name: 'prior Set-Cookie, overwrite false',
    options: () => ({ keys: [K1], overwrite: false }),
    act: presetThen(['session=pre; path=/', 'other=1'], set({ a: 1 })),
  },
  { name: 'destroy', options: () => ({ keys: [K1] }), cookie: valid, act: (d) => d.replace(null) },
  { name: 'destroy a session never read', options: () => ({ keys: [K1], path: '/p' }), act: (d) => d.replace(null) },
  {
    name: 'regenerate, then populate',
    options: () => ({ keys: [K1] }),
    cookie: valid,
    act: (d) => {
      d.session().regenerate()
      d.session().user = 'bob'
      return describeSession(d.session())
    },
  },
  { name: 'regenerate, then leave empty', options: () => ({ keys: [K1] }), cookie: valid, act: regenerated },
  { name: 'assigning an object', options: () => ({ keys: [K1] }), act: (d) => d.replace({ user: 'carl', n: [1, 2] }) },
  { name: 'assigning an empty object', options: () => ({ keys: [K1] }), act: (d) => d.replace({}) },
  { name: 'encrypted, new', options: () => ({ keys: [ENC], encrypt: true }), act: set({ a: 1 }) },
  { name: 'encrypted, loaded and changed', options: () => ({ keys: [ENC], encrypt: true, maxAge: 60_000 }), cookie: sealed({ a: 1 }), act: set({ a: 2 }) },
  {
    name: 'encrypted, an older key re-sealed',
    options: () => ({ keys: [`new ${ENC}`, ENC], encrypt: true }),
    cookie: sealed({ a: 1 }),
    act: read,
  },
  { name: 'encrypted + acceptSigned moves a signed pair', options: () => ({ keys: [ENC], encrypt: true, acceptSigned: [K1] }), cookie: valid, act: read },
  { name: 'encrypted ignores a signed pair', options: () => ({ keys: [ENC], encrypt: true }), cookie: valid, act: read },
  { name: 'bad signature clears .sig', options: () => ({ keys: [K1] }), cookie: `session=${validValue}; session.sig=nope`, act: read },
  { name: 'a session too large (warning)', options: () => ({ keys: [K1] }), act: set({ blob: 'x'.repeat(5000) }) },
  { name: 'secure over HTTP: no cookie, COOKIE_SESSION_NOT_SET', options: () => ({ keys: [K1], secure: true }), act: set({ a: 1 }) },
  { name: 'HTTPS: Secure by default', https: true, options: () => ({ keys: [K1] }), cookie: valid, act: set({ views: 2 }) },
  { name: 'HTTPS, secure: false', https: true, options: () => ({ keys: [K1], secure: false }), act: set({ a: 1 }) },
  { name: 'HTTPS, bad signature cleared Secure', https: true, options: () => ({ keys: [K1] }), cookie: `session=${validValue}; session.sig=x`, act: read },
  { name: 'HTTPS, regenerate', https: true, options: () => ({ keys: [K1] }), cookie: valid, act: regenerated },
  ...(
    [
      ['https', 'X-Forwarded-Proto https'],
      ['https, http', 'the first X-Forwarded-Proto counts'],
      ['http, https', 'the first X-Forwarded-Proto counts (http)'],
      [' https ', 'X-Forwarded-Proto with spaces'],
      // Express's req.protocol is the header's text: `cookies` compares it with 'https' exactly.
      ['HTTPS', 'X-Forwarded-Proto HTTPS (compared exactly, as Express does)'],
    ] as const
  ).map(([proto, name]) => ({ name: `trustProxy: ${name}`, trustProxy: true, headers: { 'x-forwarded-proto': proto }, options: () => ({ keys: [K1] }), act: set({ a: 1 }) })),
  { name: 'trustProxy, secure: true behind a TLS proxy', trustProxy: true, headers: { 'x-forwarded-proto': 'https' }, options: () => ({ keys: [K1], secure: true }), act: set({ a: 1 }) },
  // `cookies` counts a TLS connection as secure whatever X-Forwarded-Proto says.
  {
    name: 'trustProxy over TLS, X-Forwarded-Proto http',
    https: true,
    trustProxy: true,
    headers: { 'x-forwarded-proto': 'http' },
    options: () => ({ keys: [K1] }),
    act: set({ a: 1 }),
  },
  { name: 'X-Forwarded-Proto without trustProxy is ignored', headers: { 'x-forwarded-proto': 'https' }, options: () => ({ keys: [K1], secure: true }), act: set({ a: 1 }) },
  { name: 'Cookie: duplicates, the first wins', options: () => ({ keys: [K1] }), cookie: `${valid}; ${sessionCookie({ forged: 1 }, K1)}`, act: read },
  { name: 'Cookie: a forged first value', options: () => ({ keys: [K1] }), cookie: `session=${b64({ forged: 1 })}; ${valid}`, act: read },
  { name: 'Cookie: quoted value', options: () => ({ keys: [K1] }), cookie: `session="${validValue}"; session.sig=${validSig}`, act: read },
  { name: 'Cookie: quoted .sig', options: () => ({ keys: [K1] }), cookie: `session=${validValue}; session.sig="${validSig}"`, act: read },
  { name: 'Cookie: spaces', options: () => ({ keys: [K1] }), cookie: `a=1;   session=${validValue};session.sig=${validSig}  ; b=2`, act: read },
  { name: 'Cookie: missing .sig', options: () => ({ keys: [K1] }), cookie: `session=${validValue}`, act: set({ a: 1 }) },
  { name: 'Cookie: session.sig before session', options: () => ({ keys: [K1] }), cookie: `session.sig=${validSig}; session=${validValue}`, act: read },
  { name: 'Cookie: lookalike names', options: () => ({ keys: [K1] }), cookie: `xsession=1; session.sigx=2; ${signedCookie(validValue, K1)}`, act: read },
]

// ---------------------------------------------------------------------------
// The two doors

/** The middleware door: the case's handler over req.session and req.sessionOptions. */
function middlewareApp(host: Host, c: Case): RequestListener {
  const { trustProxy: _t, ...options } = c.options()
  const middleware = cookieSession(options as CookieSessionOptions)
  const handler = (req: any, res: any) => {
    const door: Door = {
      session: () => req.session,
      replace: (value) => {
        req.session = value
      },
      options: req.sessionOptions,
      // A copy: `cookies` appends to the array it finds on the response.
      preset: (lines) => res.setHeader('Set-Cookie', [...lines]),
    }
    sendJson(res, c.act(door) ?? null)
  }
  if (!c.trustProxy) return host.create(middleware, handler)
  const app = express()
  app.set('trust proxy', true)
  app.use(middleware, handler)
  return app as unknown as RequestListener
}

/** The Fetch door: read on first use, write once at the end (untouched and not rolling: not at all). */
function fetchHandler(c: Case): (request: Request) => Response {
  const options = { ...c.options(), ...(c.trustProxy ? { trustProxy: true } : {}) }
  const sessions = createCookieSession(options)
  return (request) => {
    let session: CookieSessionObject | undefined
    let replaced: { value: object | null } | undefined
    const perResponse: CookieSessionOptions = {}
    const preset: string[] = []
    const door: Door = {
      session: () => {
        session ??= sessions.read(request)
        return session
      },
      replace: (value) => {
        replaced = { value }
      },
      options: perResponse,
      preset: (lines) => preset.push(...lines),
    }
    const response = Response.json(c.act(door) ?? null)
    for (const line of preset) response.headers.append('Set-Cookie', line)
    const third = Object.keys(perResponse).length > 0 ? perResponse : undefined
    if (replaced) sessions.write(replaced.value, response.headers, third)
    else if (session || (perResponse.rolling ?? options.rolling)) sessions.write(session ?? sessions.read(request), response.headers, third)
    return response
  }
}

/** Encrypted values opened (they differ at every sealing), so that the lines compare as text. */
function opened(sent: Sent, keys: readonly string[]): Sent {
  const sealer = new Sealer(keys)
  const setCookie = sent.setCookie.map((line) =>
    line.replace(/^([^=]+)=(e2\.[^;]+)/, (_all, name: string, value: string) => `${name}=<sealed ${openedJson(sealer, name, value)}>`),
  )
  return { ...sent, setCookie }
}

/** One request through `listener` served over HTTP(S), with the warnings it caused. */
async function run(c: Case, serving: Promise<{ url: string; https: boolean; close(): Promise<void> }>) {
  const served = await serving
  const warnings = captureWarnings()
  try {
    const sent = await send(served, '/app/page', { ...(c.cookie === undefined ? {} : { cookie: c.cookie }), headers: c.headers ?? {} })
    await settle()
    const keys = (c.options().keys ?? []) as string[]
    return { sent: opened(sent, keys), warnings: warnings.list.map((w) => w.code) }
  } finally {
    warnings.dispose()
    await served.close()
  }
}

describe('the Fetch door answers as the middleware: one table, both doors, over real HTTP', () => {
  it.each(table)('$name', async (c) => {
    const door = await run(c, serveFetch(fetchHandler(c), c.https))
    const hosts = c.trustProxy ? [express5Host] : [express5Host, nodeHttpHost]
    for (const host of hosts) {
      const middleware = await run(c, serve(middlewareApp(host, c), c.https))
      expectSame(door.sent, middleware.sent)
      expect(door.warnings, `warnings (${host.name})`).toEqual(middleware.warnings)
    }
    expect(door.sent.status).toBe(200)
  })
})
