// Scenario 4: key rotation, with the app restarted on the same port as a deploy would,
// and the browser restarted too (a new context from the saved storage state, which
// keeps only the cookies that have an expiry).
import { createHmac } from 'node:crypto'
import oracle from 'cookie-session-2'
import type { BrowserContext, Page } from 'playwright-core'
import { afterEach, describe, expect, test } from 'vitest'
import { sessionApp } from './apps.js'
import { jar, type Site, serve, useBrowser } from './chromium.js'

const OLD = 'old key, retiring'
const NEW = 'new key, signing from now on'

/** What keygrip signs `name=value` with `key` to: HMAC-SHA1, base64url without padding. */
function signature(key: string, name: string, value: string): string {
  return createHmac('sha1', key).update(`${name}=${value}`).digest('base64url')
}

let context: BrowserContext
let page: Page
let site: Site | undefined

const browser = useBrowser((c, p) => {
  context = c
  page = p
})
afterEach(async () => {
  await site?.close()
  site = undefined
  // A context opened by restartBrowser (useBrowser closes the one it opened).
  await context.close()
})

/** Stops the running app, if any, and starts it again with `keys`, on the same port. */
async function deploy(keys: string[], options = {}, factory?: Parameters<typeof sessionApp>[1]): Promise<Site> {
  const port = site?.port ?? 0
  await site?.close()
  site = await serve(sessionApp({ keys, ...options }, factory), port)
  return site
}

/**
 * Closes the browser's context and opens a new one from its saved storage
 * state, as a browser restart does: cookies without an expiry are gone.
 */
async function restartBrowser(): Promise<void> {
  const state = await context.storageState()
  await context.close()
  context = await browser().newContext({ storageState: { ...state, cookies: state.cookies.filter((c) => c.expires !== -1) } })
  page = await context.newPage()
}

async function sessionCookies(url: string): Promise<{ value: string; sig: string; sigExpires: number }> {
  const cookies = await jar(context, url)
  return {
    value: cookies.get('session')!.value,
    sig: cookies.get('session.sig')!.value,
    sigExpires: cookies.get('session.sig')!.expires,
  }
}

describe('key rotation', () => {
  test('keys [new, old]: the session survives and a write re-signs it with the new key', async () => {
    let app = await deploy([OLD])
    await page.goto(`${app.url}/`)
    await page.goto(`${app.url}/`)
    expect(await page.textContent('#views')).toBe('2')
    const before = await sessionCookies(app.url)
    expect(before.sig).toBe(signature(OLD, 'session', before.value))

    app = await deploy([NEW, OLD])
    await page.goto(`${app.url}/`)
    expect(await page.textContent('#views')).toBe('3')
    const after = await sessionCookies(app.url)
    expect(after.value).not.toBe(before.value)
    expect(after.sig).toBe(signature(NEW, 'session', after.value))
    expect(after.sig).not.toBe(signature(OLD, 'session', after.value))
  })

  test('keys [new, old]: a request that only reads the session re-signs the unchanged value with the new key', async () => {
    let app = await deploy([OLD], { maxAge: 60 * 60 * 1000 })
    await page.goto(`${app.url}/set?user=alice`)
    const before = await sessionCookies(app.url)

    app = await deploy([NEW, OLD], { maxAge: 60 * 60 * 1000 })
    await page.goto(`${app.url}/peek`)
    expect(await page.textContent('#session')).toBe('{"user":"alice"}')
    expect(await page.textContent('#is-new')).toBe('false')
    const after = await sessionCookies(app.url)
    expect(after.value).toBe(before.value)
    expect(after.sig).toBe(signature(NEW, 'session', before.value))
    // The pair is re-issued with the app's maxAge: the signature lasts as long as the value.
    expect(after.sigExpires).toBeGreaterThan(Date.now() / 1000 + 3600 - 30)
    expect((await jar(context, app.url)).get('session')!.expires).toBeGreaterThan(Date.now() / 1000 + 3600 - 30)

    // Once every browser re-signed, the old key can go.
    app = await deploy([NEW], { maxAge: 60 * 60 * 1000 })
    await page.goto(`${app.url}/peek`)
    expect(await page.textContent('#session')).toBe('{"user":"alice"}')
  })

  test('keys [new, old] with rolling: true: the re-signed signature keeps the maxAge lifetime', async () => {
    let app = await deploy([OLD], { maxAge: 60 * 60 * 1000, rolling: true })
    await page.goto(`${app.url}/set?user=alice`)
    const before = await sessionCookies(app.url)

    app = await deploy([NEW, OLD], { maxAge: 60 * 60 * 1000, rolling: true })
    await page.goto(`${app.url}/noop`)
    const after = await sessionCookies(app.url)
    expect(after.value).toBe(before.value)
    expect(after.sig).toBe(signature(NEW, 'session', before.value))
    expect(after.sigExpires).toBeGreaterThan(Date.now() / 1000 + 3600 - 30)
  })

  test('keys [new] alone: the old signature no longer verifies and the browser gets a new session', async () => {
    let app = await deploy([OLD])
    await page.goto(`${app.url}/`)
    await page.goto(`${app.url}/`)
    expect(await page.textContent('#views')).toBe('2')

    app = await deploy([NEW])
    await page.goto(`${app.url}/`)
    // The browser sent its cookies, but the server started over.
    expect(await page.textContent('#cookies')).toBe('session,session.sig')
    expect(await page.textContent('#views')).toBe('1')
    const after = await sessionCookies(app.url)
    expect(JSON.parse(Buffer.from(after.value, 'base64').toString())).toEqual({ views: 1 })
    expect(after.sig).toBe(signature(NEW, 'session', after.value))
  })

  for (const [label, factory, survives] of [
    ['this package', undefined, true],
    ['cookie-session 2.1.1', oracle as never, false],
  ] as const) {
    test(`keys [new, old] with maxAge, one read, then a browser restart: with ${label} the user is ${survives ? 'still' : 'no longer'} logged in`, async () => {
      const options = { maxAge: 60 * 60 * 1000 }
      let app = await deploy([OLD], options, factory)
      await page.goto(`${app.url}/set?user=alice`)

      app = await deploy([NEW, OLD], options, factory)
      await page.goto(`${app.url}/peek`)
      expect(await page.textContent('#session')).toBe('{"user":"alice"}')

      await restartBrowser()
      await page.goto(`${app.url}/peek`)
      if (survives) {
        expect(await page.textContent('#cookies')).toBe('session,session.sig')
        expect(await page.textContent('#session')).toBe('{"user":"alice"}')
        expect(await page.textContent('#is-new')).toBe('false')
      } else {
        // 2.1.1's bare .sig ended with the browser session; the value outlived it.
        expect(await page.textContent('#cookies')).toBe('session')
        expect(await page.textContent('#session')).toBe('{}')
        expect(await page.textContent('#is-new')).toBe('true')
      }
    })
  }
})
