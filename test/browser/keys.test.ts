// Scenario 4: key rotation, with the app restarted on the same port as a deploy would.
import { createHmac } from 'node:crypto'
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

useBrowser((c, p) => {
  context = c
  page = p
})
afterEach(async () => {
  await site?.close()
  site = undefined
})

/** Stops the running app, if any, and starts it again with `keys`, on the same port. */
async function deploy(keys: string[], options = {}): Promise<Site> {
  const port = site?.port ?? 0
  await site?.close()
  site = await serve(sessionApp({ keys, ...options }), port)
  return site
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
    // As in 2.1.1: `cookies` re-signs with a bare `session.sig` (path=/; httponly), without the
    // app's maxAge (nor domain, sameSite, secure...), so the jar now holds a value that lasts an
    // hour next to a signature that ends with the browser session; once the browser closes, the
    // value is orphaned and the session lost. Any write of the session (or rolling: true, below)
    // sends the pair again with the options. If src ever rewrites the pair on re-signing, this
    // expectation becomes `> now + 3600 - 30`.
    expect(after.sigExpires).toBe(-1)
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
})
