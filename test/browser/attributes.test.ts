// Scenarios 2, 3 and 8: what the cookie attributes make Chromium do.
import type { CookieSessionOptions } from 'cookie-session'
import type { BrowserContext, Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { sessionApp } from './apps.js'
import { jar, type Site, serve, useBrowser } from './chromium.js'

const browser = useBrowser()

/** Runs `body` against a fresh app with `options`, in a fresh browser context. */
async function withApp(
  options: CookieSessionOptions,
  body: (site: Site, context: BrowserContext, page: Page) => Promise<void>,
): Promise<void> {
  const site = await serve(sessionApp({ keys: ['browser test key'], ...options }))
  const context = await browser().newContext()
  try {
    await body(site, context, await context.newPage())
  } finally {
    await context.close()
    await site.close()
  }
}

const now = () => Date.now() / 1000

describe('HttpOnly', () => {
  test('by default the session is in the jar as HttpOnly and invisible to document.cookie', async () => {
    await withApp({}, async (site, context, page) => {
      await page.goto(`${site.url}/set?user=alice`)
      const cookies = await jar(context, site.url)
      expect(cookies.get('session')?.httpOnly).toBe(true)
      expect(cookies.get('session.sig')?.httpOnly).toBe(true)
      // A cookie scripts can see, next to the session, so that an empty document.cookie means something.
      await page.evaluate("document.cookie = 'visible=yes; path=/'")
      expect(await page.evaluate('document.cookie')).toBe('visible=yes')
      // ...and the browser still sends the session to the server.
      await page.goto(`${site.url}/peek`)
      expect(await page.textContent('#session')).toBe('{"user":"alice"}')
    })
  })

  test('with httpOnly: false, document.cookie shows the session and its signature', async () => {
    await withApp({ httpOnly: false }, async (site, context, page) => {
      await page.goto(`${site.url}/set?user=alice`)
      const cookies = await jar(context, site.url)
      expect(cookies.get('session')?.httpOnly).toBe(false)
      const visible = (await page.evaluate<string>('document.cookie')).split('; ').sort()
      expect(visible).toEqual([`session.sig=${cookies.get('session.sig')?.value}`, `session=${cookies.get('session')?.value}`])
    })
  })
})

/** The page shows that the browser sent the session back, valid and unchanged. */
async function expectSessionSentBack(site: Site, page: Page): Promise<void> {
  await page.goto(`${site.url}/peek`)
  expect(await page.textContent('#session')).toBe('{"user":"alice"}')
  expect(await page.textContent('#is-new')).toBe('false')
}

describe('expiry', () => {
  test('with maxAge, both cookies expire about now + maxAge', async () => {
    await withApp({ maxAge: 60 * 60 * 1000 }, async (site, context, page) => {
      const before = now()
      await page.goto(`${site.url}/set?user=alice`)
      const after = now()
      for (const name of ['session', 'session.sig']) {
        const { expires } = (await jar(context, site.url)).get(name)!
        // Expires has whole seconds, and Chromium shifts it by the skew it measures from the Date
        // header: allow one second on each side.
        expect(expires).toBeGreaterThanOrEqual(Math.floor(before) + 3600 - 1)
        expect(expires).toBeLessThanOrEqual(Math.ceil(after) + 3600 + 1)
      }
      await expectSessionSentBack(site, page)
    })
  })

  test('with expires, both cookies expire at that date', async () => {
    // Within Chromium's 400-day cap on cookie lifetimes, and in whole seconds as Expires carries them.
    const expires = new Date(Math.floor(Date.now() / 1000 + 30 * 24 * 60 * 60) * 1000)
    await withApp({ expires }, async (site, context, page) => {
      await page.goto(`${site.url}/set?user=alice`)
      // Chromium stores Expires shifted by the server's clock skew, which it measures from the
      // Date header (whole seconds), so the jar holds the date give or take under a second.
      for (const name of ['session', 'session.sig']) {
        const stored = (await jar(context, site.url)).get(name)!.expires
        expect(Math.abs(stored - expires.getTime() / 1000)).toBeLessThan(1)
      }
      await expectSessionSentBack(site, page)
    })
  })

  test('with neither, both are browser-session cookies (expires -1)', async () => {
    await withApp({}, async (site, context, page) => {
      await page.goto(`${site.url}/set?user=alice`)
      const cookies = await jar(context, site.url)
      expect(cookies.get('session')?.expires).toBe(-1)
      expect(cookies.get('session.sig')?.expires).toBe(-1)
      await expectSessionSentBack(site, page)
    })
  })
})

describe('rolling', () => {
  /** The jar's expiry of the session after /set, and after a later /noop that never touches the session. */
  async function expiriesAcrossUntouchedRequest(options: CookieSessionOptions): Promise<[number, number, string]> {
    let result: [number, number, string] = [0, 0, '']
    await withApp({ maxAge: 60_000, ...options }, async (site, context, page) => {
      await page.goto(`${site.url}/set?user=alice`)
      const first = (await jar(context, site.url)).get('session')!.expires
      // Expires has whole seconds: wait long enough for the expiry to move by at least one.
      await new Promise((resolve) => setTimeout(resolve, 1500))
      await page.goto(`${site.url}/noop`)
      const shown = (await page.textContent('#noop')) ?? ''
      const cookies = await jar(context, site.url)
      result = [first, cookies.get('session')!.expires, shown]
      // The session still holds its data and verifies.
      await expectSessionSentBack(site, page)
    })
    return result
  }

  test('rolling: true re-sends the session on a request that never touched it: the expiry moves forward', async () => {
    const [first, second, shown] = await expiriesAcrossUntouchedRequest({ rolling: true })
    expect(shown).toBe('untouched')
    expect(second).toBeGreaterThanOrEqual(first + 1)
  })

  test('without rolling, the same request leaves the expiry where it was', async () => {
    const [first, second] = await expiriesAcrossUntouchedRequest({})
    expect(second).toBe(first)
  })
})
