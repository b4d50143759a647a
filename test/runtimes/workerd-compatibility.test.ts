// What a Worker needs for cookie-session: node:crypto from the nodejs_compat
// flag, which is on by default from compatibility date 2026-08-04. (The example's
// own config, date 2025-04-01 with the flag, serves the crossing and rotation tests.)
import { inject, describe, expect, it } from 'vitest'
import { startWorkerd } from './launch.ts'
import { Browser, envOf, serveTwin, settingsOf } from './support.ts'

const paths = { bun: inject('bun'), deno: inject('deno'), workerd: inject('workerd'), workerBundle: inject('workerBundle') }
const withoutFlag = (capnp: string) => capnp.replace(/compatibilityFlags = \["nodejs_compat"\],/, '')
const dated = (date: string) => (capnp: string) => capnp.replace(/compatibilityDate = "[^"]*"/, `compatibilityDate = "${date}"`)

describe('workerd', () => {
  it('does not start the worker without nodejs_compat before 2026-08-04', async () => {
    const settings = settingsOf('encrypted')
    await expect(startWorkerd(paths, envOf(settings), withoutFlag)).rejects.toThrow(/No such module "node:(util|crypto)"/)
  })

  it('serves it without the flag from compatibility date 2026-08-04, reading the middleware\'s cookie', async () => {
    const settings = settingsOf('encrypted')
    const [app, express] = await Promise.all([
      startWorkerd(paths, envOf(settings), (capnp) => dated('2026-08-04')(withoutFlag(capnp))),
      serveTwin(settings),
    ])
    try {
      const browser = new Browser()
      expect((await browser.get(express.url, '/')).body).toEqual({ views: 1 })
      expect((await browser.get(app.url, '/')).body).toEqual({ views: 2 })
      expect((await browser.get(express.url, '/')).body).toEqual({ views: 3 })
    } finally {
      await Promise.all([app.stop(), express.close()])
    }
  })
})
