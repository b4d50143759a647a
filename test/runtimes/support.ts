// What the runtime tests share: the keys and settings of each mode, the
// Express twin of the Fetch app (cookieSession() with the same options), and
// a client that sends real HTTP requests with a browser's cookie jar.
import { randomBytes } from 'node:crypto'
import type { RequestListener } from 'node:http'
import cookieSession from 'cookie-session'
import express from 'express'
import { expect, inject } from 'vitest'
import { type AppSettings, type SessionMode, sessionOptions } from '../../examples/fetch-app.ts'
import { expiryTimes, Jar, type Served, serve, withoutTimes } from '../support/core-harness.js'
import { type AppEnv, type Runtime, runtimes } from './launch.ts'

/** Fresh keys for each run: 32 random bytes, as base64url text (43 characters). */
const key = () => randomBytes(32).toString('base64url')
export const KEYS = {
  /** Signs in `signed` mode; the old signing key that `encrypted+acceptSigned` still accepts. */
  signing: 'an old signing key: short as many are',
  /** Seals in the encrypted modes. */
  sealing: key(),
  /** Rotation: the key that was, and the key that replaces it. */
  old: key(),
  new: key(),
}

export const MODES: readonly SessionMode[] = ['signed', 'encrypted', 'encrypted+acceptSigned', 'signed+compress']

/** The settings of each mode; `keys` replaces the mode's own keys (rotation). */
export function settingsOf(mode: SessionMode, keys?: string[]): AppSettings {
  return {
    mode,
    keys: keys ?? [mode.startsWith('signed') ? KEYS.signing : KEYS.sealing],
    acceptSignedKeys: mode === 'encrypted+acceptSigned' ? [KEYS.signing] : [],
  }
}

/** The same settings as the environment of an example. */
export function envOf(settings: AppSettings): AppEnv {
  return {
    SESSION_KEYS: settings.keys.join(','),
    SESSION_MODE: settings.mode,
    SESSION_ACCEPT_SIGNED_KEYS: settings.acceptSignedKeys.join(','),
  }
}

/** Every runtime of the suite, with the binaries the global setup found. */
export function allRuntimes(): Runtime[] {
  return runtimes({ bun: inject('bun'), deno: inject('deno'), workerd: inject('workerd'), workerBundle: inject('workerBundle') })
}

/** The Fetch app's routes (examples/fetch-app.ts) as an Express 5 app with the middleware. */
export function expressTwin(settings: AppSettings): express.Express {
  const app = express()
  app.use(cookieSession(sessionOptions(settings)))
  app.get('/', (req, res) => {
    req.session!.views = (req.session!.views ?? 0) + 1
    res.json(req.session)
  })
  app.get('/session', (req, res) => {
    res.json(req.session)
  })
  app.post('/login', express.urlencoded({ extended: false }), (req, res) => {
    req.session!.user = String(req.body.user)
    res.json(req.session)
  })
  app.post('/logout', (req, res) => {
    req.session = null
    res.json({})
  })
  return app
}

/** Serves the Express twin of `settings` on 127.0.0.1. */
export function serveTwin(settings: AppSettings): Promise<Served> {
  return serve(expressTwin(settings) as unknown as RequestListener)
}

/** One response, as the tests look at it. */
export interface Reply {
  readonly status: number
  readonly body: unknown
  readonly setCookie: string[]
}

/** Sends one request: a GET, or a POST of `form`; `cookie` is the Cookie header. */
export async function call(base: string, path: string, cookie?: string, form?: Record<string, string>): Promise<Reply> {
  const headers: Record<string, string> = cookie ? { cookie } : {}
  const res = await fetch(base + path, {
    method: form ? 'POST' : 'GET',
    headers,
    body: form ? new URLSearchParams(form) : undefined,
    redirect: 'manual',
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : undefined, setCookie: res.headers.getSetCookie() }
}

/** A browser: one cookie jar, whatever server (Express or a runtime) it talks to. */
export class Browser {
  readonly jar = new Jar()

  async get(base: string, path: string): Promise<Reply> {
    return this.#take(await call(base, path, this.jar.header() || undefined))
  }

  async post(base: string, path: string, form: Record<string, string> = {}): Promise<Reply> {
    return this.#take(await call(base, path, this.jar.header() || undefined, form))
  }

  #take(reply: Reply): Reply {
    this.jar.take(reply.setCookie)
    return reply
  }
}

/** Set-Cookie lines with each cookie's value left out: the attributes that must match even when values cannot (sealing draws a random IV). */
export function attributesOnly(setCookie: readonly string[]): string[] {
  return setCookie.map((line) => line.replace(/^([^=]+)=[^;]*/, '$1=<value>').replace(/; expires=[^;]+/, '; expires=<t>'))
}

/**
 * Asserts that two responses set the same cookies: byte for byte when signed,
 * the same names and attributes when sealed (each seal draws a random IV), and
 * expiry dates within the 2 s two requests may fall apart.
 */
export function expectSameCookies(mode: SessionMode, runtime: string[], express: string[]): void {
  if (mode.startsWith('signed')) expect(withoutTimes(runtime)).toEqual(withoutTimes(express))
  else expect(attributesOnly(runtime)).toEqual(attributesOnly(express))
  const [a, b] = [expiryTimes(runtime), expiryTimes(express)]
  expect(a.map((t) => t === undefined)).toEqual(b.map((t) => t === undefined))
  for (const [i, t] of a.entries()) {
    if (t !== undefined) expect(Math.abs(t - (b[i] as number))).toBeLessThanOrEqual(2000)
  }
}
