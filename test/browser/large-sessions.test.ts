// Large sessions in Chromium: a session in chunks that survives a real browser
// restart (a persistent profile, closed and launched again), chunk cookies
// leaving the jar on shrink and destroy, and a compressed 20 KB session in one cookie.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import cookieSession, { type CookieSessionOptions } from 'cookie-session'
import express from 'express'
import { type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterEach, describe, expect, test } from 'vitest'
import { cart, digest, filled, KEY_NEW, noise } from '../support/large.js'
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumMissing, jar, type Site, serve } from './chromium.js'

/** The app: every route answers with what it read (`isNew`, keys, digest of the data) as JSON. */
function largeApp(options: CookieSessionOptions): express.Express {
  const app = express()
  app.use(cookieSession(options))
  app.get('/:action', (req, res) => {
    const seen = { isNew: req.session.isNew, keys: Object.keys(req.session), digest: digest(req.session) }
    const n = Number(req.query.n ?? 0)
    if (req.params.action === 'fill') req.session = { blob: noise(n, Number(req.query.seed ?? 1)) }
    if (req.params.action === 'cart') req.session = { cart: cart(n) }
    if (req.params.action === 'destroy') req.session = null
    res.json(seen)
  })
  return app
}

let site: Site | undefined
let profile: string | undefined
let context: BrowserContext | undefined

afterEach(async () => {
  await context?.close()
  await site?.close()
  if (profile) rmSync(profile, { recursive: true, force: true })
  context = site = profile = undefined
})

/** Launches Chromium on the persistent profile (its cookies on disk, as a real browser keeps them). */
async function launch(): Promise<Page> {
  const missing = chromiumMissing()
  if (missing !== undefined) throw new Error(missing)
  profile ??= mkdtempSync(join(tmpdir(), 'cookie-session-profile-'))
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS })
  return context.pages()[0] ?? (await context.newPage())
}

/** GETs `path` in the page and returns what the app answered. */
async function visit(page: Page, path: string): Promise<{ isNew: boolean; keys: string[]; digest: string }> {
  await page.goto(`${site?.url}${path}`)
  return JSON.parse((await page.textContent('body')) ?? '')
}

/** The names of the jar's cookies for the site, sorted. */
async function names(): Promise<string[]> {
  return [...(await jar(context as BrowserContext, site?.url as string)).keys()].sort()
}

describe('large sessions in Chromium', () => {
  test.each([
    { what: 'signed, a 9 KB session (12 KB of cookies)', options: { keys: [KEY_NEW], chunks: 3 }, n: 9000, sig: ['session.sig'] },
    { what: 'encrypted and compressed, a 10 KB session', options: { keys: [KEY_NEW], chunks: 3, encrypt: true, compress: true }, n: 10000, sig: [] },
  ])('$what is stored in three cookies, survives a browser restart and comes back whole', async ({ options, n, sig }) => {
    site = await serve(largeApp({ ...options, maxAge: 24 * 60 * 60 * 1000 }))
    let page = await launch()
    await visit(page, `/fill?n=${n}`)
    const cookies = await jar(context as BrowserContext, site.url)
    expect([...cookies.keys()].sort()).toEqual(['session', 'session.1', 'session.2', ...sig])
    for (const [name, cookie] of cookies) expect(name.length + cookie.value.length).toBeLessThanOrEqual(4096)

    // A real restart: the browser process ends, and a new one starts on the same profile.
    await context?.close()
    page = await launch()
    expect(await names()).toEqual(['session', 'session.1', 'session.2', ...sig])
    expect(await visit(page, '/peek')).toEqual({ isNew: false, keys: ['blob'], digest: filled(n) })
  })

  test('a shrink removes the extra chunk cookies from the jar, and destroy removes them all', async () => {
    site = await serve(largeApp({ keys: [KEY_NEW], chunks: 3 }))
    const page = await launch()
    await visit(page, '/fill?n=9000')
    expect(await names()).toEqual(['session', 'session.1', 'session.2', 'session.sig'])
    await visit(page, '/fill?n=5000&seed=2')
    expect(await names()).toEqual(['session', 'session.1', 'session.sig'])
    expect((await visit(page, '/peek')).digest).toBe(filled(5000, 2))
    await visit(page, '/fill?n=100&seed=3')
    expect(await names()).toEqual(['session', 'session.sig'])
    expect((await visit(page, '/peek')).digest).toBe(filled(100, 3))
    await visit(page, '/fill?n=9000')
    await visit(page, '/destroy')
    expect(await names()).toEqual([])
    expect((await visit(page, '/peek')).isNew).toBe(true)
  })

  test('a compressed 20 KB session of repetitive JSON fits in one cookie', async () => {
    site = await serve(largeApp({ keys: [KEY_NEW], compress: true }))
    const page = await launch()
    await visit(page, '/cart?n=20000')
    expect(JSON.stringify({ cart: cart(20000) }).length).toBeGreaterThanOrEqual(20000)
    const cookies = await jar(context as BrowserContext, site.url)
    expect([...cookies.keys()].sort()).toEqual(['session', 'session.sig'])
    expect((cookies.get('session')?.value.length ?? 0) + 'session'.length).toBeLessThan(4096)
    expect(await visit(page, '/peek')).toEqual({ isNew: false, keys: ['cart'], digest: digest({ cart: cart(20000) }) })
  })
})
