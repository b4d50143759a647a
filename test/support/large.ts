// Shared by the large-session tests (compression, chunks): session data of a
// given size, an app that fills and reports it, and a browser-like client.
import { createHash } from 'node:crypto'
import type { CookieSessionOptions } from 'cookie-session'
import { Jar, type Sent, send, serve } from './core-harness.js'
import { sessionFor } from './fetch-door-host.js'
import { type Handler, type Host, sendJson } from './hosts.js'

/** Keys of at least 32 bytes: good for signing and for encrypting. */
export const KEY_NEW = `${'N'.repeat(16)} the newest key, 32+ bytes`
export const KEY_OLD = `${'O'.repeat(16)} an older key, 32+ bytes`

/** `length` characters that do not compress (a fixed pseudo-random sequence from `seed`). */
export function noise(length: number, seed = 1): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  let x = seed * 2654435761 || 1
  let out = ''
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out += alphabet[(x >>> 0) % 64]
  }
  return out
}

/** About `bytes` of repetitive JSON (a shopping cart): what compresses well. */
export function cart(bytes: number): { sku: string; qty: number; note: string }[] {
  const items: { sku: string; qty: number; note: string }[] = []
  let size = 2
  while (size < bytes) {
    const item = { sku: `SKU-${1000 + (items.length % 40)}`, qty: 1 + (items.length % 3), note: 'gift wrap, no receipt' }
    items.push(item)
    size += JSON.stringify(item).length + 1
  }
  return items
}

/** A short fingerprint of session data, to compare what was stored with what comes back. */
export function digest(data: unknown): string {
  return createHash('sha256').update(JSON.stringify(data)).digest('base64url').slice(0, 16)
}

/**
 * The app: reports the session it read (`isNew`, keys, `digest` of its data),
 * then `/fill?n=&seed=` stores `n` characters of noise, `/cart?n=` about `n`
 * bytes of repetitive JSON, `/small` a tiny session, `/destroy` nulls it,
 * `/touch` changes a counter, `/peek` only reads.
 */
export const app: Handler = (req, res) => {
  const url = new URL(req.url, 'http://x')
  const session = req.session
  const seen = { isNew: session.isNew, keys: Object.keys(session), digest: digest(session) }
  const n = Number(url.searchParams.get('n') ?? 0)
  switch (url.pathname) {
    case '/fill':
      req.session = { blob: noise(n, Number(url.searchParams.get('seed') ?? 1)) }
      break
    case '/cart':
      req.session = { cart: cart(n) }
      break
    case '/small':
      req.session = { blob: 'x' }
      break
    case '/destroy':
      req.session = null
      break
    case '/touch':
      session.touched = (session.touched ?? 0) + 1
      break
  }
  sendJson(res, seen)
}

/** What a fill stores, to compare with `digest` in a later response. */
export const filled = (n: number, seed = 1) => digest({ blob: noise(n, seed) })

/** A browser: one cookie jar, requests with its cookies, responses into it. */
export interface Browser {
  get(path: string): Promise<Sent>
  readonly jar: Jar
  /** The request's Cookie header as the browser would send it. */
  header(): string
}

/** Serves `app` behind the session middleware of `host` for `options`, runs `body` with a fresh browser, closes. */
export async function withBrowser(
  host: Host,
  options: CookieSessionOptions,
  body: (browser: Browser) => Promise<void>,
  handler: Handler = app,
): Promise<void> {
  const served = await serve(host.create(sessionFor(host, options), handler))
  const jar = new Jar()
  try {
    await body({
      jar,
      header: () => jar.header(),
      async get(path) {
        const sent = await send(served, path, { cookie: jar.header() })
        jar.take(sent.setCookie)
        return sent
      },
    })
  } finally {
    await served.close()
  }
}

/** Sends one request with `cookie` to an app behind the session middleware of `host` for `options`. */
export async function once(host: Host, options: CookieSessionOptions, path: string, cookie: string): Promise<Sent> {
  const served = await serve(host.create(sessionFor(host, options), app))
  try {
    return await send(served, path, { cookie })
  } finally {
    await served.close()
  }
}

/** The names in Set-Cookie lines, in order. */
export const names = (setCookie: readonly string[]) => setCookie.map((c) => c.slice(0, c.indexOf('=')))

/** The names of the cookies a response clears (empty value, expired). */
export const cleared = (setCookie: readonly string[]) =>
  setCookie.filter((c) => /expires=Thu, 01 Jan 1970/i.test(c)).map((c) => c.slice(0, c.indexOf('=')))

/** A Cookie header from name-value pairs, in order. */
export const cookieOf = (pairs: readonly (readonly [string, string])[]) => pairs.map(([k, v]) => `${k}=${v}`).join('; ')
