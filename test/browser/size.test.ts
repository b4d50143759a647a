// Scenario 5: the 4096-byte limit on a cookie's name plus value, and what happens
// to the session when the value cookie goes over it (COOKIE_SESSION_TOO_LARGE).
//
// The value is base64, whose length is always a multiple of 4, so one name cannot
// give both 4096 and 4097: the same 4092-character value goes under a 4-byte name
// ("sess", 4096 bytes) and under a 5-byte one ("sess5", 4097 bytes).
import { createHmac } from 'node:crypto'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { dataOfEncodedLength, sessionApp } from './apps.js'
import { jar, type Site, serve, useBrowser } from './chromium.js'

const KEY = 'browser test key'
const VALUE_LENGTH = 4092
const sign = (name: string, value: string) => createHmac('sha1', KEY).update(`${name}=${value}`).digest('base64url')

let context: BrowserContext
let page: Page
let site: Site | undefined
const warnings: string[] = []
const onWarning = (warning: Error & { code?: string }) => {
  if (warning.code) warnings.push(warning.code)
}

useBrowser((c, p) => {
  context = c
  page = p
  warnings.length = 0
})
beforeAll(() => {
  process.on('warning', onWarning)
})
afterAll(() => {
  process.off('warning', onWarning)
})
afterEach(async () => {
  await site?.close()
  site = undefined
})

/** process.emitWarning delivers on the next tick. */
const warningsSoFar = async () => {
  await new Promise((resolve) => setImmediate(resolve))
  return [...warnings]
}

describe('cookie size', () => {
  test('the data used below encodes to exactly 4092 characters', () => {
    const encoded = Buffer.from(JSON.stringify(dataOfEncodedLength(VALUE_LENGTH))).toString('base64')
    expect(encoded).toHaveLength(VALUE_LENGTH)
    expect(encoded).not.toContain('=')
  })

  test('name plus value of exactly 4096 bytes: Chromium keeps it and the session comes back whole', async () => {
    site = await serve(sessionApp({ name: 'sess', keys: [KEY] }))
    await page.goto(`${site.url}/big?length=${VALUE_LENGTH}`)
    expect(await page.textContent('#big')).toBe('stored')
    expect(await warningsSoFar()).toEqual([])

    const cookies = await jar(context, site.url)
    const value = cookies.get('sess')?.value ?? ''
    expect('sess'.length + value.length).toBe(4096)
    expect(cookies.get('sess.sig')?.value).toBe(sign('sess', value))

    await page.goto(`${site.url}/peek`)
    expect(await page.textContent('#is-new')).toBe('false')
    expect(JSON.parse((await page.textContent('#session')) ?? '')).toEqual(dataOfEncodedLength(VALUE_LENGTH))
  })

  test('4097 bytes: Chromium drops the value but keeps the new signature, and the next request has lost the session', async () => {
    site = await serve(sessionApp({ name: 'sess5', keys: [KEY] }))
    // A small session first, as an app's session would be before it grew.
    await page.goto(`${site.url}/set?user=alice`)
    const small = (await jar(context, site.url)).get('sess5')!.value

    await page.goto(`${site.url}/big?length=${VALUE_LENGTH}`)
    expect(await page.textContent('#big')).toBe('stored')
    expect(await warningsSoFar()).toEqual(['COOKIE_SESSION_TOO_LARGE'])

    // The jar: the old value, next to the signature of the value it never stored.
    const big = Buffer.from(JSON.stringify(dataOfEncodedLength(VALUE_LENGTH))).toString('base64')
    expect('sess5'.length + big.length).toBe(4097)
    let cookies = await jar(context, site.url)
    expect(cookies.get('sess5')?.value).toBe(small)
    expect(cookies.get('sess5.sig')?.value).toBe(sign('sess5', big))
    expect(cookies.get('sess5.sig')?.value).not.toBe(sign('sess5', small))

    // Next request: the old value fails the new signature, so the server starts a new, empty
    // session: neither the big data nor the small data before it survive.
    await page.goto(`${site.url}/peek`)
    expect(await page.textContent('#cookies')).toBe('sess5,sess5.sig')
    expect(await page.textContent('#is-new')).toBe('true')
    expect(await page.textContent('#session')).toBe('{}')
    // The server also cleared the bad signature; the orphaned value stays until it expires
    // (here, with the browser session), and without its signature it is ignored.
    cookies = await jar(context, site.url)
    expect([...cookies.keys()]).toEqual(['sess5'])
    await page.goto(`${site.url}/peek`)
    expect(await page.textContent('#is-new')).toBe('true')
    expect(await page.textContent('#session')).toBe('{}')
  })
})
