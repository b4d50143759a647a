// Key rotation on each runtime: restarted with a new key first, the Fetch app
// loads a cookie of the old key and re-issues it under the new one, as the
// middleware does, and an Express app that no longer has the old key reads it.
import { describe, expect, it } from 'vitest'
import type { SessionMode } from '../../examples/fetch-app.ts'
import type { Served } from '../support/core-harness.js'
import type { Running } from './launch.ts'
import { allRuntimes, Browser, call, envOf, expectSameCookies, KEYS, serveTwin, settingsOf } from './support.ts'

const ROTATED: readonly SessionMode[] = ['signed', 'encrypted']

describe.each(allRuntimes().map((r) => [`${r.name} (${r.version})`, r] as const))('%s', (_label, runtime) => {
  it.each(ROTATED)('%s: a cookie of the old key is re-issued under the new key', async (mode) => {
    const rotated = settingsOf(mode, [KEYS.new, KEYS.old])
    const browser = new Browser()
    const before = await runtime.start(envOf(settingsOf(mode, [KEYS.old])))
    try {
      await browser.get(before.url, '/')
      await browser.post(before.url, '/login', { user: 'hal' })
    } finally {
      await before.stop()
    }
    const oldCookie = browser.jar.header()

    // Restarted with the new key first; an Express app rotated the same way, and one with the new key only.
    const open: (Running | Served)[] = []
    try {
      const app = await runtime.start(envOf(rotated))
      open.push(app)
      const [express, newOnly] = await Promise.all([serveTwin(rotated), serveTwin(settingsOf(mode, [KEYS.new]))])
      open.push(express, newOnly)

      const [fromApp, fromExpress] = await Promise.all([call(app.url, '/session', oldCookie), call(express.url, '/session', oldCookie)])
      expect(fromApp.body).toEqual({ views: 1, user: 'hal' })
      expect(fromApp.setCookie.length).toBeGreaterThan(0)
      expectSameCookies(mode, fromApp.setCookie, fromExpress.setCookie)

      browser.jar.take(fromApp.setCookie)
      const read = await browser.get(newOnly.url, '/session')
      expect(read.body).toEqual({ views: 1, user: 'hal' })
      expect(read.setCookie).toEqual([])
      // Under the new key already: the rotated runtime reads it without writing.
      const again = await browser.get(app.url, '/session')
      expect(again.body).toEqual({ views: 1, user: 'hal' })
      expect(again.setCookie).toEqual([])
    } finally {
      await Promise.all(open.map((s) => ('stop' in s ? s.stop() : s.close())))
    }
  })
})
