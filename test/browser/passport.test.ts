// Scenario 7: Passport 0.7 login through the HTML form of examples/passport.ts.
// Passport calls req.session.regenerate() and save() on login and logout.
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createApp } from '../../examples/passport.js'
import { jar, type Site, serve, useBrowser } from './chromium.js'

let site: Site
let context: BrowserContext
let page: Page

useBrowser((c, p) => {
  context = c
  page = p
})
beforeAll(async () => {
  site = await serve(createApp())
})
afterAll(async () => {
  await site?.close()
})

async function logIn(username: string, password: string): Promise<void> {
  await page.goto(`${site.url}/login`)
  await page.fill('input[name="username"]', username)
  await page.fill('input[name="password"]', password)
  await Promise.all([page.waitForURL(/\/(profile|login\?failed=1)$/), page.click('button[type="submit"]')])
}

describe('Passport example', () => {
  test('log in through the form, reach the profile, log out, anonymous again', async () => {
    await page.goto(`${site.url}/`)
    expect(await page.textContent('#name')).toBe('Anonymous.')
    // The protected page sends an anonymous visitor to the login form.
    await page.goto(`${site.url}/profile`)
    expect(new URL(page.url()).pathname).toBe('/login')
    expect(await context.cookies(site.url)).toEqual([])

    await logIn('alice', 'wonderland')
    expect(new URL(page.url()).pathname).toBe('/profile')
    expect(await page.textContent('#profile')).toBe('Hello, Alice.')
    const cookies = await jar(context, site.url)
    expect([...cookies.keys()].sort()).toEqual(['session', 'session.sig'])
    expect(cookies.get('session')?.httpOnly).toBe(true)
    // Only the user id goes into the cookie.
    expect(JSON.parse(Buffer.from(cookies.get('session')!.value, 'base64').toString())).toEqual({ passport: { user: 1 } })

    await page.goto(`${site.url}/`)
    expect(await page.textContent('#name')).toBe('Alice')

    await page.goto(`${site.url}/profile`)
    await Promise.all([page.waitForURL(`${site.url}/`), page.click('form[action="/logout"] button')])
    expect(await page.textContent('#name')).toBe('Anonymous.')
    expect(await context.cookies(site.url)).toEqual([])
    await page.goto(`${site.url}/profile`)
    expect(new URL(page.url()).pathname).toBe('/login')
  })

  test('a wrong password leads back to the form, with no session in the jar', async () => {
    await logIn('alice', 'looking-glass')
    expect(new URL(page.url()).search).toBe('?failed=1')
    expect(await page.textContent('#error')).toBe('Wrong user name or password.')
    expect(await context.cookies(site.url)).toEqual([])
  })
})
