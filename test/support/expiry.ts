// Shared by the encrypted-expiry tests: a clock the tests move (only Date is
// faked: sockets and timers stay real, nothing sleeps), an app over real HTTP
// with a handler driven by the query string, and the Fetch door's round trip.
import { afterEach, beforeEach, vi } from 'vitest'
import type { CookieSessionOptions } from 'cookie-session'
import type { CookieSessionObject, CookieSessions } from 'cookie-session/fetch'
import { Sealer } from '../../src/core/sealer.js'
import { cookieValue, send, serve, type Sent } from './core-harness.js'
import { sessionFor } from './fetch-door-host.js'
import { express5Host, type Handler, type Host, sendJson } from './hosts.js'

export const KEY_A = 'an encryption key of 32 bytes or more, number one'
export const KEY_B = 'an encryption key of 32 bytes or more, number two'
export const T0 = Date.UTC(2030, 0, 1)
export const SECOND = 1000
export const MINUTE = 60 * SECOND
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR
export const YEAR = 365 * DAY

/** Fakes Date (only Date) from T0 for every test of the calling file. */
export function useClock(): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(T0)
  })
  afterEach(() => {
    vi.useRealTimers()
  })
}

/** Moves the clock to `t`. */
export const at = (t: number): void => {
  vi.setSystemTime(t)
}

/**
 * Reports the session as the handler found it. Query: `set=<json>` merges
 * data in; `options=<json>` is assigned to req.sessionOptions; `replaceOptions=<json>`
 * replaces it; `name` sets the cookie name written. Paths: `/regenerate`,
 * `/replace?data=<json>`, `/noop` (never touches the session).
 */
export const handler: Handler = (req, res) => {
  const url = new URL(req.url, 'http://x')
  const q = (key: string) => url.searchParams.get(key)
  if (url.pathname === '/noop') return sendJson(res, {})
  const before = { isNew: req.session.isNew, data: JSON.parse(JSON.stringify(req.session)) }
  if (url.pathname === '/regenerate') req.session.regenerate()
  if (url.pathname === '/replace') req.session = JSON.parse(q('data') ?? '{}')
  if (q('set')) Object.assign(req.session, JSON.parse(q('set')!))
  if (q('options')) Object.assign(req.sessionOptions, JSON.parse(q('options')!))
  if (q('name')) req.sessionOptions.name = q('name')
  sendJson(res, before)
}

export type Get = (path: string, cookie?: string) => Promise<Sent>

/** Builds the middleware now (the clock matters: e1 cookies count from then) and serves it on `host` behind `h`. */
export async function withApp(options: CookieSessionOptions, body: (get: Get) => Promise<void>, host: Host = express5Host, h: Handler = handler): Promise<void> {
  const served = await serve(host.create(sessionFor(host, options), h))
  try {
    await body((path, cookie) => send(served, path, cookie === undefined ? {} : { cookie }))
  } finally {
    await served.close()
  }
}

/** `/set?set=<json>` plus more query. */
export const set = (data: unknown, more = '') => `/set?set=${encodeURIComponent(JSON.stringify(data))}${more}`
/** `&options=<json>`. */
export const withOptions = (options: unknown) => `&options=${encodeURIComponent(JSON.stringify(options))}`

/** The Cookie header a browser sends back for the `name` cookie of a response (throws when there is none). */
export function cookieOf(res: Sent, name = 'session'): string {
  const value = cookieValue(res.setCookie, name)
  if (value === undefined) throw new Error(`no ${name} cookie in ${JSON.stringify(res.setCookie)}`)
  return `${name}=${value}`
}

/** What a sealed cookie (a Cookie header or a value) opens to with `keys`, without bounds, at `now`. */
export function unseal(cookie: string, keys: string[] = [KEY_A], name = 'session', now = Date.now()) {
  const value = cookie.startsWith(`${name}=`) ? cookie.slice(name.length + 1) : cookie
  return new Sealer(keys).open(name, value, now)
}

/** One Fetch-door request: read the session from `cookie`, let `change` act, write with `options`; the Set-Cookie lines. */
export function fetchRound(
  sessions: CookieSessions,
  cookie: string | undefined,
  change: (session: CookieSessionObject) => void = () => {},
  options?: CookieSessionOptions,
): { isNew: boolean; data: unknown; setCookie: string[] } {
  const request = new Request('http://127.0.0.1/', { headers: cookie ? { cookie } : {} })
  const session = sessions.read(request)
  const found = { isNew: session.isNew, data: JSON.parse(JSON.stringify(session)) }
  change(session)
  const headers = new Headers()
  sessions.write(session, headers, options)
  return { ...found, setCookie: headers.getSetCookie() }
}
