// Scenario 6: SameSite, with two sites. 127.0.0.1 and localhost are different
// sites (the site is the scheme plus the registrable domain, or the host when it
// has none; the port does not count), so one server on the loopback serves both:
// the app as http://127.0.0.1:<port>, and a launch pad as http://localhost:<port>
// whose link and form lead cross-site to the app.
import type { CookieSessionOptions } from 'cookie-session'
import type { BrowserContext, Page } from 'playwright-core'
import { afterEach, describe, expect, test } from 'vitest'
import { sessionApp } from './apps.js'
import { type Site, serve, useBrowser } from './chromium.js'

let context: BrowserContext
let page: Page
let site: Site | undefined

useBrowser((c, p) => {
  context = c
  page = p
})
afterEach(async () => {
  await site?.close()
  site = undefined
})

/** Starts the app, logs in on 127.0.0.1 (same-site), and returns the app's URL. */
async function loggedIn(options: CookieSessionOptions): Promise<Site> {
  site = await serve(sessionApp({ keys: ['browser test key'], ...options }))
  await page.goto(`${site.url}/set?user=alice`)
  return site
}

/** What the app saw after arriving at /peek from `padOrigin`, by link (GET) or by form (POST). */
async function arrive(app: Site, padOrigin: string, how: 'link' | 'form'): Promise<{ session: string; cookies: string }> {
  await page.goto(`${padOrigin}/pad?target=${encodeURIComponent(`${app.url}/peek`)}`)
  await Promise.all([page.waitForURL(`${app.url}/peek`), page.click(how === 'link' ? '#go' : '#submit')])
  expect(await page.textContent('#method')).toBe(how === 'link' ? 'GET' : 'POST')
  return { session: (await page.textContent('#session')) ?? '', cookies: (await page.textContent('#cookies')) ?? '' }
}

/** What the app saw when embedded, from `padOrigin`, in an iframe. */
async function embedded(app: Site, padOrigin: string): Promise<{ session: string; cookies: string }> {
  await page.goto(`${padOrigin}/frame?target=${encodeURIComponent(`${app.url}/peek`)}`)
  const frame = page.frameLocator('#frame')
  return {
    session: (await frame.locator('#session').textContent()) ?? '',
    cookies: (await frame.locator('#cookies').textContent()) ?? '',
  }
}

const SENT = { session: '{"user":"alice"}', cookies: 'session,session.sig' }
const NOT_SENT = { session: '{}', cookies: '' }

/** The session cookie as Chromium stores it, read over CDP: Playwright reports a missing SameSite as "Lax". */
async function storedSameSite(url: string): Promise<string | undefined> {
  const cdp = await context.newCDPSession(page)
  const { cookies } = (await cdp.send('Network.getCookies', { urls: [url] })) as {
    cookies: { name: string; sameSite?: string }[]
  }
  await cdp.detach()
  return cookies.find((c) => c.name === 'session')?.sameSite ?? 'absent'
}

describe('SameSite', () => {
  test('strict: sent on same-site navigation, not on a cross-site top-level navigation', async () => {
    const app = await loggedIn({ sameSite: 'strict' })
    expect(await storedSameSite(app.url)).toBe('Strict')
    expect(await arrive(app, app.url, 'link')).toEqual(SENT)
    expect(await arrive(app, app.otherSiteUrl, 'link')).toEqual(NOT_SENT)
  })

  test('lax: sent on a cross-site GET navigation, not on a cross-site form POST', async () => {
    const app = await loggedIn({ sameSite: 'lax' })
    expect(await storedSameSite(app.url)).toBe('Lax')
    expect(await arrive(app, app.otherSiteUrl, 'link')).toEqual(SENT)
    expect(await arrive(app, app.otherSiteUrl, 'form')).toEqual(NOT_SENT)
    expect(await arrive(app, app.url, 'form')).toEqual(SENT)
  })

  test('lax: not sent on a cross-site subresource request (iframe)', async () => {
    const app = await loggedIn({ sameSite: 'lax' })
    expect(await embedded(app, app.url)).toEqual(SENT)
    expect(await embedded(app, app.otherSiteUrl)).toEqual(NOT_SENT)
  })

  // With no sameSite option the cookie carries no SameSite attribute, as 2.1.1 wrote it.
  // Chromium then applies "Lax by default": the cookie is sent on a cross-site top-level GET
  // navigation but not on a cross-site subresource request, like a Lax cookie (a cookie with no
  // restriction would be eligible for the iframe too). The one difference from Lax is Chromium's
  // "Lax+POST" mitigation: for the first two minutes after a cookie without SameSite was set,
  // it is also sent on a cross-site top-level POST. This test runs within seconds of login, so
  // the cross-site form POST does carry the session; after two minutes it would not (not waited
  // for here: too slow). Apps that take cross-site POSTs seriously should set sameSite.
  test('default: no SameSite attribute, as 2.1.1; Chromium treats it as Lax, plus POST for two minutes', async () => {
    const app = await loggedIn({})
    expect(await storedSameSite(app.url)).toBe('absent')
    expect(await arrive(app, app.otherSiteUrl, 'link')).toEqual(SENT)
    expect(await embedded(app, app.otherSiteUrl)).toEqual(NOT_SENT)
    expect(await arrive(app, app.otherSiteUrl, 'form')).toEqual(SENT)
  })
})
