// Shared helpers of the core test files: run one scenario against this package
// and against cookie-session 2.1.1 (the oracle) on the same host, over real
// HTTP on 127.0.0.1, and compare what goes over the wire.
import type { RequestListener, Server } from 'node:http'
import { format } from 'node:util'
import createDebug from 'debug'
import { createServer as createHttpServer } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import oracle from 'cookie-session-2'
import cookieSession from 'cookie-session'
import Keygrip from 'keygrip'
import request from 'supertest'
import { expect } from 'vitest'
import type { Handler, Host, Middleware } from './hosts.js'

/** A self-signed certificate for 127.0.0.1 (test only, valid until 2126). */
export const TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgWdZ1UTk1MP46WvMs
98fUPCUBEQVcqbn5CQYNSebjt+ehRANCAATpkF/nU2MShFL0ZGldkGy+xpxRMcis
oLRs0EMvVcBuy9GWNu5dtH9WscJCI190+4CanQAVn19dEAOc5forA2nD
-----END PRIVATE KEY-----
`
export const TLS_CERT = `-----BEGIN CERTIFICATE-----
MIIBkTCCATagAwIBAgIUEynO1QUSPAOX8lfplGBmELmEcyEwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyNjIyMzgxNVoYDzIxMjYxMTAy
MjIzODE1WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAATpkF/nU2MShFL0ZGldkGy+xpxRMcisoLRs0EMvVcBuy9GWNu5dtH9W
scJCI190+4CanQAVn19dEAOc5forA2nDo2QwYjAdBgNVHQ4EFgQUZgDleCSm2QZy
l4lFc8iZB9I4e30wHwYDVR0jBBgwFoAUZgDleCSm2QZyl4lFc8iZB9I4e30wDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0kAMEYC
IQDBAd/P7BxDhffCflLzcEL3ItaoSyn41wJnXxOCWnh++AIhAK/44v+iy8eLYD99
xe9gEZ/PwP+O5JUsJ3EYREfNV1ut
-----END CERTIFICATE-----
`

export type Factory = (options?: any) => Middleware
/** The two implementations under comparison. */
export const implementations: Readonly<Record<'ours' | 'oracle', Factory>> = {
  ours: cookieSession as unknown as Factory,
  oracle: oracle as unknown as Factory,
}

export interface Served {
  readonly url: string
  readonly https: boolean
  close(): Promise<void>
}

/** Serves `listener` on 127.0.0.1 (HTTP, or HTTPS with the test certificate). */
export async function serve(listener: RequestListener, https = false): Promise<Served> {
  const server: Server = https ? createHttpsServer({ key: TLS_KEY, cert: TLS_CERT }, listener) : createHttpServer(listener)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return {
    url: `${https ? 'https' : 'http'}://127.0.0.1:${address.port}`,
    https,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}

/** What came back from one request. */
export interface Sent {
  readonly status: number
  readonly text: string
  /** Parsed JSON body, when there is one. */
  readonly body: any
  readonly setCookie: string[]
  /** The Date header, in ms. */
  readonly date: number
  /** All response headers, lower-cased. */
  readonly headers: Record<string, unknown>
}

export interface SendOptions {
  /** The Cookie header to send. */
  cookie?: string
  headers?: Record<string, string>
}

/** One GET request through supertest. */
export async function send(served: Served, path: string, options: SendOptions = {}): Promise<Sent> {
  let test = request(served.url).get(path)
  if (served.https) test = test.ca(TLS_CERT)
  if (options.cookie !== undefined) test = test.set('Cookie', options.cookie)
  for (const [k, v] of Object.entries(options.headers ?? {})) test = test.set(k, v)
  const res = await test
  const raw = res.headers['set-cookie'] as string[] | string | undefined
  return {
    status: res.status,
    text: res.text,
    body: /json/.test(String(res.headers['content-type'])) ? JSON.parse(res.text) : undefined,
    setCookie: raw === undefined ? [] : Array.isArray(raw) ? raw : [raw],
    date: Date.parse(String(res.headers.date)),
    headers: res.headers,
  }
}

const EXPIRES = /; expires=([^;]+)/i

/** The expiry times (ms) of the cookies, `undefined` for a cookie without one. */
export function expiryTimes(setCookie: readonly string[]): (number | undefined)[] {
  return setCookie.map((c) => {
    const m = EXPIRES.exec(c)
    return m ? Date.parse(m[1] as string) : undefined
  })
}

/** Set-Cookie headers with the `expires` date replaced by a marker. */
export function withoutTimes(setCookie: readonly string[]): string[] {
  return setCookie.map((c) => c.replace(EXPIRES, (_m, d: string) => (Date.parse(d) === 0 ? '; expires=<epoch>' : '; expires=<t>')))
}

/**
 * Asserts two responses are the same on the wire: status, body and every
 * Set-Cookie header in order, the expiry dates allowed to differ by the time
 * between the two requests (they are made one after the other, so a second
 * boundary, or a slow machine, may fall in between).
 */
export function expectSame(ours: Sent, theirs: Sent): void {
  expect(ours.status).toBe(theirs.status)
  expect(ours.text).toBe(theirs.text)
  expect(withoutTimes(ours.setCookie)).toEqual(withoutTimes(theirs.setCookie))
  const a = expiryTimes(ours.setCookie)
  const b = expiryTimes(theirs.setCookie)
  a.forEach((t, i) => {
    const u = b[i]
    if (t === undefined || u === undefined) expect(t).toBe(u)
    else expect(Math.abs(t - u)).toBeLessThanOrEqual(2000)
  })
}

/** A browser's cookie store, reduced to what these tests need. */
export class Jar {
  readonly cookies = new Map<string, string>()

  /** Takes the cookies of a response: stores them, or drops the expired ones. */
  take(setCookie: readonly string[]): void {
    for (const c of setCookie) {
      const pair = c.split(';')[0] as string
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq)
      const m = EXPIRES.exec(c)
      if (m && Date.parse(m[1] as string) <= Date.now()) this.cookies.delete(name)
      else this.cookies.set(name, pair.slice(eq + 1))
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }
}

export interface Both {
  readonly ours: Served
  readonly oracle: Served
  /**
   * Sends the same request to both apps, asserts identical responses and
   * returns them. With `jar: true`, each app gets the cookies of its own
   * previous responses (as a browser would send them).
   */
  get(path: string, options?: SendOptions & { jar?: boolean }): Promise<{ ours: Sent; oracle: Sent }>
  /** Sends the same request to both apps without comparing them. */
  raw(path: string, options?: SendOptions & { jar?: boolean }): Promise<{ ours: Sent; oracle: Sent }>
  readonly jars: { readonly ours: Jar; readonly oracle: Jar }
}

/**
 * Builds the app on `host` twice, once with each implementation, each with
 * its own options object from `makeOptions` (both fill defaults into it),
 * runs `body`, then closes both servers.
 */
export async function withBoth(
  host: Host,
  makeOptions: () => object | undefined,
  handler: Handler,
  body: (both: Both) => Promise<void>,
  https = false,
): Promise<void> {
  const ours = await serve(host.create(implementations.ours(makeOptions()), handler), https)
  const theirs = await serve(host.create(implementations.oracle(makeOptions()), handler), https)
  const jars = { ours: new Jar(), oracle: new Jar() }
  const raw: Both['raw'] = async (path, options = {}) => {
    const one = async (served: Served, jar: Jar) => {
      const cookie = options.jar ? [jar.header(), options.cookie].filter(Boolean).join('; ') : options.cookie
      const sent = await send(served, path, { ...options, cookie })
      if (options.jar) jar.take(sent.setCookie)
      return sent
    }
    return { ours: await one(ours, jars.ours), oracle: await one(theirs, jars.oracle) }
  }
  try {
    await body({
      ours,
      oracle: theirs,
      jars,
      raw,
      async get(path, options) {
        const res = await raw(path, options)
        expectSame(res.ours, res.oracle)
        return res
      },
    })
  } finally {
    await Promise.all([ours.close(), theirs.close()])
  }
}

/** Builds an app (from `build`) with this package and with 2.1.1, sends one GET to each and returns both responses. */
export async function sideBySide(
  build: (factory: Factory) => RequestListener,
  path = '/',
  options: SendOptions = {},
): Promise<{ ours: Sent; oracle: Sent }> {
  const results: Sent[] = []
  for (const factory of [implementations.ours, implementations.oracle]) {
    const served = await serve(build(factory))
    try {
      results.push(await send(served, path, options))
    } finally {
      await served.close()
    }
  }
  return { ours: results[0] as Sent, oracle: results[1] as Sent }
}

/** Base64 JSON, as both versions write a session. */
export function b64(data: unknown): string {
  return Buffer.from(JSON.stringify(data)).toString('base64')
}

/** A `Cookie` header carrying `value` under `name`, signed with `key` (keygrip). */
export function signedCookie(value: string, key: string | Buffer = 'k1', name = 'session'): string {
  return `${name}=${value}; ${name}.sig=${new Keygrip([key as string]).sign(`${name}=${value}`)}`
}

/** A signed session cookie holding `data`. */
export function sessionCookie(data: unknown, key: string | Buffer = 'k1', name = 'session'): string {
  return signedCookie(b64(data), key, name)
}

/** The value of cookie `name` in a list of Set-Cookie headers. */
export function cookieValue(setCookie: readonly string[], name = 'session'): string | undefined {
  const c = setCookie.find((h) => h.startsWith(`${name}=`))
  return c === undefined ? undefined : (c.split(';')[0] as string).slice(name.length + 1)
}

/** Decodes a session cookie value. */
export function decodeValue(value: string | undefined): unknown {
  return value === undefined ? undefined : JSON.parse(Buffer.from(value, 'base64').toString('utf8'))
}

/** The session's flags and data, as a handler reports them. */
export function describeSession(session: any): unknown {
  if (session === null) return null
  return {
    isNew: session.isNew,
    isChanged: session.isChanged,
    isPopulated: session.isPopulated,
    keys: Object.keys(session),
    json: JSON.stringify(session),
  }
}

/**
 * Runs `body` with the `cookie-session` debug namespace enabled and returns
 * what was logged (namespace and formatted text), restoring the debug state.
 */
export async function captureDebug(body: () => unknown): Promise<{ namespace: string; text: string }[]> {
  const previous = createDebug.disable()
  const seen: { namespace: string; text: string }[] = []
  const originalLog = createDebug.log
  createDebug.log = function (this: { namespace: string }, ...args: unknown[]) {
    seen.push({ namespace: this.namespace, text: format(...args) })
  }
  try {
    createDebug.enable('cookie-session')
    await body()
  } finally {
    createDebug.log = originalLog
    createDebug.disable()
    if (previous) createDebug.enable(previous)
  }
  return seen
}
