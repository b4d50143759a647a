// Sessions crossing between an Express 5 app with the middleware and the Fetch
// app served by each runtime (Node.js, Hono on Node.js, Bun, Deno, workerd), in
// each mode, over real HTTP on 127.0.0.1: one browser's cookie jar, both servers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SessionMode } from '../../examples/fetch-app.ts'
import type { Served } from '../support/core-harness.js'
import type { Running } from './launch.ts'
import { allRuntimes, Browser, call, envOf, expectSameCookies, MODES, serveTwin, settingsOf } from './support.ts'

describe.each(allRuntimes().map((r) => [`${r.name} (${r.version})`, r] as const))('%s', (_label, runtime) => {
  const served = new Map<SessionMode, { app: Running; express: Served }>()
  /** Why a mode did not start: each of its tests fails with it (a failing hook would only skip them). */
  const failed = new Map<SessionMode, unknown>()

  beforeAll(async () => {
    await Promise.all(
      MODES.map(async (mode) => {
        const express = await serveTwin(settingsOf(mode))
        try {
          served.set(mode, { app: await runtime.start(envOf(settingsOf(mode))), express })
        } catch (err) {
          failed.set(mode, err)
          await express.close()
        }
      }),
    )
  })
  afterAll(() => Promise.all([...served.values()].flatMap(({ app, express }) => [app.stop(), express.close()])))

  const both = (mode: SessionMode) => {
    const s = served.get(mode)
    if (s === undefined) throw failed.get(mode) ?? new Error(`${runtime.name} did not start in ${mode} mode`)
    return { app: s.app.url, express: s.express.url }
  }

  describe.each(MODES)('%s', (mode) => {
    it('counts views across: Express, the runtime, Express, the runtime', async () => {
      const { app, express } = both(mode)
      const browser = new Browser()
      expect((await browser.get(express, '/')).body).toEqual({ views: 1 })
      const second = await browser.get(app, '/')
      expect(second.body).toEqual({ views: 2 })
      expect(second.setCookie.length).toBeGreaterThan(0)
      expect((await browser.get(express, '/')).body).toEqual({ views: 3 })
      expect((await browser.get(app, '/')).body).toEqual({ views: 4 })
      // Read without a change: the session is there, and nothing is written.
      const read = await browser.get(express, '/session')
      expect(read.body).toEqual({ views: 4 })
      expect(read.setCookie).toEqual([])
      expect((await browser.get(app, '/session')).setCookie).toEqual([])
    })

    it('logs in on the runtime and out on Express, and the other way round', async () => {
      const { app, express } = both(mode)
      const browser = new Browser()
      // A long, repetitive name: signed+compress writes it deflated, so both sides inflate it too.
      const bob = 'bob '.repeat(60)
      const login = await browser.post(app, '/login', { user: bob })
      expect(login.body).toEqual({ user: bob })
      if (mode === 'signed+compress') expect(login.setCookie[0]).toMatch(/^session=_/)
      expect((await browser.get(express, '/')).body).toEqual({ user: bob, views: 1 })
      const out = await browser.post(express, '/logout')
      expect(out.setCookie.every((line) => line.includes('expires=Thu, 01 Jan 1970'))).toBe(true)
      expect(browser.jar.cookies.size).toBe(0)
      expect((await browser.get(app, '/')).body).toEqual({ views: 1 })

      const ann = 'ann '.repeat(60)
      expect((await browser.post(express, '/login', { user: ann })).body).toEqual({ views: 1, user: ann })
      expect((await browser.get(app, '/session')).body).toEqual({ views: 1, user: ann })
      const cookie = browser.jar.header()
      const [runtimeOut, expressOut] = await Promise.all([call(app, '/logout', cookie, {}), call(express, '/logout', cookie, {})])
      expect(runtimeOut.setCookie.length).toBeGreaterThan(0)
      expect(runtimeOut.setCookie).toEqual(expressOut.setCookie)
    })

    it('sets the cookies the middleware sets for the same request', async () => {
      const { app, express } = both(mode)
      const browser = new Browser()
      await browser.post(express, '/login', { user: 'cy' })
      const cookie = browser.jar.header()
      for (const [path, form] of [['/', undefined], ['/login', { user: 'dee' }]] as const) {
        const [fromApp, fromExpress] = await Promise.all([call(app, path, cookie, form), call(express, path, cookie, form)])
        expect(fromApp.body).toEqual(fromExpress.body)
        expect(fromApp.setCookie.length).toBeGreaterThan(0)
        expectSameCookies(mode, fromApp.setCookie, fromExpress.setCookie)
      }
    })

    it('starts a new session for a tampered cookie, as the middleware does', async () => {
      const { app, express } = both(mode)
      const browser = new Browser()
      await browser.post(express, '/login', { user: 'eve' })
      const [name, value] = [...browser.jar.cookies][0] as [string, string]
      const last = value.at(-2) === 'A' ? 'B' : 'A'
      browser.jar.cookies.set(name, `${value.slice(0, -2)}${last}${value.at(-1)}`)
      const cookie = browser.jar.header()
      const [fromApp, fromExpress] = await Promise.all([call(app, '/', cookie), call(express, '/', cookie)])
      expect(fromApp.body).toEqual({ views: 1 })
      expect(fromExpress.body).toEqual({ views: 1 })
    })
  })

  describe('the move from signed to encrypted (encrypted+acceptSigned)', () => {
    it('a signed cookie from Express is loaded by the runtime and replaced with an encrypted one', async () => {
      const browser = new Browser()
      await browser.post(both('signed').express, '/login', { user: 'flo' })
      expect(browser.jar.cookies.has('session.sig')).toBe(true)
      const cookie = browser.jar.header()
      const { app, express } = both('encrypted+acceptSigned')
      const [fromApp, fromExpress] = await Promise.all([call(app, '/', cookie), call(express, '/', cookie)])
      expect(fromApp.body).toEqual({ user: 'flo', views: 1 })
      expect(fromApp.setCookie[0]).toMatch(/^session=e2\./)
      expectSameCookies('encrypted', fromApp.setCookie, fromExpress.setCookie)
      browser.jar.take(fromApp.setCookie)
      expect([...browser.jar.cookies.keys()]).toEqual(['session'])
      // Sealed with the key that `encrypted` (no acceptSigned) uses: Express in that mode opens it.
      expect((await browser.get(both('encrypted').express, '/session')).body).toEqual({ user: 'flo', views: 1 })
    })

    it('a signed cookie from the runtime is loaded by Express and replaced with an encrypted one', async () => {
      const browser = new Browser()
      await browser.post(both('signed').app, '/login', { user: 'gus' })
      const moved = await browser.get(both('encrypted+acceptSigned').express, '/')
      expect(moved.body).toEqual({ user: 'gus', views: 1 })
      expect([...browser.jar.cookies.keys()]).toEqual(['session'])
      expect((await browser.get(both('encrypted').app, '/session')).body).toEqual({ user: 'gus', views: 1 })
    })
  })
})
