// Shared test helpers: signed session cookies, Set-Cookie parsing, sealed values opened, and captured warnings.
import Keygrip from 'keygrip'
import type { Sealer } from '../../src/core/sealer.js'
import type { Response } from 'supertest'

/** The keys the tests that use these helpers sign with. */
export const KEYS = ['shared test key']

/** base64 of the JSON, as cookie-session (both versions) writes a session. */
export function encodeSession(data: unknown): string {
  return Buffer.from(JSON.stringify(data)).toString('base64')
}

export function decodeSession(value: string): unknown {
  return JSON.parse(Buffer.from(value, 'base64').toString('utf8'))
}

/** A `Cookie` request header holding `value` (session data or a raw string) signed with `keys`. */
export function signedCookie(
  data: unknown,
  { name = 'session', keys = KEYS }: { name?: string; keys?: string[] } = {},
): string {
  const value = typeof data === 'string' ? data : encodeSession(data)
  const sig = new Keygrip(keys).sign(`${name}=${value}`)
  return `${name}=${value}; ${name}.sig=${sig}`
}

/** One parsed `Set-Cookie` header. */
export interface SetCookie {
  raw: string
  name: string
  value: string
  /** Attribute names in lower case; flags map to `true`. */
  attrs: Record<string, string | true>
}

export function parseSetCookie(raw: string): SetCookie {
  const [pair = '', ...rest] = raw.split(';')
  const eq = pair.indexOf('=')
  const attrs: Record<string, string | true> = {}
  for (const part of rest) {
    const i = part.indexOf('=')
    if (i === -1) attrs[part.trim().toLowerCase()] = true
    else attrs[part.slice(0, i).trim().toLowerCase()] = part.slice(i + 1).trim()
  }
  return { raw, name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1), attrs }
}

/** Every `Set-Cookie` of a response, parsed. */
export function setCookies(res: Response): SetCookie[] {
  const header = res.headers['set-cookie'] as string[] | string | undefined
  const list = header === undefined ? [] : Array.isArray(header) ? header : [header]
  return list.map(parseSetCookie)
}

/** The raw `Set-Cookie` headers of a response (empty when none). */
export function rawSetCookies(res: Response): string[] {
  return setCookies(res).map((c) => c.raw)
}

/** The `Set-Cookie` for `name`, or undefined. */
export function cookieNamed(res: Response, name: string): SetCookie | undefined {
  return setCookies(res).find((c) => c.name === name)
}

/**
 * True when the cookie deletes itself: expiry in 1970 and, for the session
 * cookie, an empty value (`<name>.sig` carries the signature of the empty value).
 */
export function isClearing(cookie: SetCookie | undefined): boolean {
  if (cookie === undefined || !/1970/.test(String(cookie.attrs.expires))) return false
  return cookie.name.endsWith('.sig') || cookie.value === ''
}

/** `Set-Cookie` headers with the time-dependent `expires` masked, to compare two implementations. */
export function normalised(res: Response): string[] {
  return rawSetCookies(res).map((c) =>
    c.replace(/expires=([^;]*)/i, (_m, date: string) => (/1970/.test(date) ? 'expires=<1970>' : 'expires=<date>')),
  )
}

/** The warnings `process` emits until `dispose()`. */
export function captureWarnings(): { readonly list: (Error & { code?: string })[]; dispose(): void } {
  const list: (Error & { code?: string })[] = []
  const listener = (warning: Error): void => {
    list.push(warning)
  }
  process.on('warning', listener)
  return {
    list,
    dispose() {
      process.off('warning', listener)
    },
  }
}

/** Lets queued `process.nextTick`s and timers (warning events) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/**
 * The JSON a sealed cookie value opens to now; throws when it does not open,
 * so that two sides that both sealed something unreadable never compare equal.
 */
export function openedJson(sealer: Sealer, name: string, value: string): string {
  const json = sealer.open(name, value, Date.now())?.json
  if (json === undefined) throw new Error(`the sealed ${name} cookie does not open: ${value}`)
  return json
}
