// Encrypted sessions in Chromium: the jar holds one cookie whose value shows
// neither the session's JSON nor its base64; the session survives navigation,
// a key rotation (re-sealed on a read) and the move from signed cookies.
import type { BrowserContext, Page } from 'playwright-core'
import { afterEach, describe, expect, test } from 'vitest'
import { sessionApp } from './apps.js'
import { jar, type Site, serve, useBrowser } from './chromium.js'

const OLD = 'the old encryption key, 32 bytes or more'
const NEW = 'the new encryption key, 32 bytes or more'
const SIGNING = 'short signing key'

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

/** Stops the running app, if any, and starts it again with `options`, on the same port. */
async function deploy(options: Parameters<typeof sessionApp>[0]): Promise<Site> {
  const port = site?.port ?? 0
  await site?.close()
  site = await serve(sessionApp(options), port)
  return site
}

/** Every spelling of `text` a reader of the cookie could look for: itself, base64 and base64url of it, at each byte offset. */
function spellings(text: string): string[] {
  const out = [text, encodeURIComponent(text)]
  for (let i = 0; i < 3; i++) {
    const bytes = Buffer.from(text).subarray(i)
    // The characters that depend only on these bytes (not on what follows).
    const whole = Math.floor(bytes.length / 3) * 4
    out.push(bytes.toString('base64').slice(2, whole), bytes.toString('base64url').slice(2, whole))
  }
  return out.filter((s) => s.length >= 6)
}

describe('encrypted sessions in the browser', () => {
  test("the jar's value holds neither the JSON nor its base64; the session survives navigation and a key rotation", async () => {
    const maxAge = 60 * 60 * 1000
    let app = await deploy({ keys: [OLD], encrypt: true, maxAge })
    await page.goto(`${app.url}/set?user=alice&role=admin`)
    await page.goto(`${app.url}/`)
    await page.goto(`${app.url}/`)
    expect(await page.textContent('#views')).toBe('2')
    await page.goto(`${app.url}/noop`)
    await page.goto(`${app.url}/peek`)
    const json = await page.textContent('#session')
    expect(JSON.parse(json!)).toEqual({ user: 'alice', role: 'admin', views: 2 })

    const cookies = await jar(context, app.url)
    expect([...cookies.keys()]).toEqual(['session'])
    const sealed = cookies.get('session')!
    expect(sealed.value.startsWith('e2.')).toBe(true)
    expect(sealed.httpOnly).toBe(true)
    expect(sealed.expires).toBeGreaterThan(Date.now() / 1000 + 3600 - 30)
    for (const s of [...spellings(json!), ...spellings('"alice"'), ...spellings('"admin"'), ...spellings('"views"')]) {
      expect(sealed.value, s).not.toContain(s)
    }

    // Rotation: [new, old] opens the old seal and re-seals it on a request that only reads.
    app = await deploy({ keys: [NEW, OLD], encrypt: true, maxAge })
    await page.goto(`${app.url}/peek`)
    expect(await page.textContent('#is-new')).toBe('false')
    const resealed = (await jar(context, app.url)).get('session')!
    expect(resealed.value).not.toBe(sealed.value)
    expect(resealed.expires).toBeGreaterThan(Date.now() / 1000 + 3600 - 30)

    // The old key can go: the browser's cookie is sealed with the new one.
    app = await deploy({ keys: [NEW], encrypt: true, maxAge })
    await page.goto(`${app.url}/`)
    expect(await page.textContent('#views')).toBe('3')
    await page.goto(`${app.url}/peek`)
    expect(JSON.parse((await page.textContent('#session'))!)).toMatchObject({ user: 'alice', views: 3 })
  })

  test('acceptSigned moves a signed session: the browser ends with the sealed cookie alone', async () => {
    let app = await deploy({ keys: [SIGNING], maxAge: 60_000 })
    await page.goto(`${app.url}/set?user=bob`)
    expect([...(await jar(context, app.url)).keys()].sort()).toEqual(['session', 'session.sig'])

    app = await deploy({ keys: [NEW], encrypt: true, acceptSigned: [SIGNING], maxAge: 60_000 })
    await page.goto(`${app.url}/peek`)
    expect(await page.textContent('#session')).toBe('{"user":"bob"}')
    const cookies = await jar(context, app.url)
    expect([...cookies.keys()]).toEqual(['session'])
    expect(cookies.get('session')!.value.startsWith('e2.')).toBe(true)

    // Step two: acceptSigned dropped; the moved session still loads.
    app = await deploy({ keys: [NEW], encrypt: true, maxAge: 60_000 })
    await page.goto(`${app.url}/peek`)
    expect(await page.textContent('#session')).toBe('{"user":"bob"}')
    expect(await page.textContent('#cookies')).toBe('session')
  })
})
