// Scenario 1: the README's quickstart (examples/quickstart.ts) in a real browser.
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { app } from '../../examples/quickstart.js'
import { jar, type Site, serve, useBrowser } from './chromium.js'

let site: Site
let context: BrowserContext
let page: Page

useBrowser((c, p) => {
  context = c
  page = p
})
beforeAll(async () => {
  site = await serve(app)
})
afterAll(async () => {
  await site?.close()
})

function decodeSession(value: string | undefined): unknown {
  return JSON.parse(Buffer.from(value ?? '', 'base64').toString('utf8'))
}

describe('quickstart example', () => {
  test('counts views 1, 2, 3 across navigations, in a signed HttpOnly cookie that lasts 24 hours', async () => {
    for (const n of [1, 2, 3]) {
      await page.goto(`${site.url}/`)
      expect(await page.textContent('#views')).toBe(`You have viewed this page ${n} times.`)
    }
    const cookies = await jar(context, site.url)
    expect([...cookies.keys()].sort()).toEqual(['session', 'session.sig'])
    const session = cookies.get('session')!
    expect(decodeSession(session.value)).toEqual({ views: 3 })
    expect(session.httpOnly).toBe(true)
    expect(cookies.get('session.sig')!.httpOnly).toBe(true)
    // maxAge: 24 hours from the last write.
    const day = 24 * 60 * 60
    expect(session.expires).toBeGreaterThan(Date.now() / 1000 + day - 30)
    expect(session.expires).toBeLessThan(Date.now() / 1000 + day + 30)
  })

  test('/login stores the user; /logout leaves no session cookie in the jar and the count starts over', async () => {
    await page.goto(`${site.url}/`)
    await page.goto(`${site.url}/login?user=carol`)
    expect(await page.textContent('#user')).toBe('Logged in as carol.')
    expect(decodeSession((await jar(context, site.url)).get('session')?.value)).toEqual({ views: 1, user: 'carol' })

    await page.goto(`${site.url}/`)
    expect(await page.textContent('#views')).toBe('carol has viewed this page 2 times.')

    await page.goto(`${site.url}/logout`)
    expect(await page.textContent('#user')).toBe('Logged out.')
    expect(await context.cookies(site.url)).toEqual([])

    await page.goto(`${site.url}/`)
    expect(await page.textContent('#views')).toBe('You have viewed this page 1 times.')
  })
})
