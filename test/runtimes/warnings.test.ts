// The middleware's warnings on each runtime: a session too large for a browser
// to keep still goes out, with COOKIE_SESSION_TOO_LARGE in the process's output,
// and the request never fails because of it. (workerd's `process` has no
// emitWarning before compatibility date 2025-09-15; the example's config is older,
// so there the warning goes through console.warn.)
import { describe, expect, it, vi } from 'vitest'
import { allRuntimes, call, envOf, settingsOf } from './support.ts'

describe.each(allRuntimes().map((r) => [`${r.name} (${r.version})`, r] as const))('%s', (_label, runtime) => {
  it('sends a session too large for a browser and warns', async () => {
    const app = await runtime.start(envOf(settingsOf('signed')))
    try {
      const big = await call(app.url, '/login', undefined, { user: 'x'.repeat(5000) })
      expect(big.status).toBe(200)
      expect(big.setCookie[0]?.length).toBeGreaterThan(5000)
      // Written by the process as it answered; it may reach the pipe just after the response.
      await vi.waitFor(() => expect(app.output()).toContain('[COOKIE_SESSION_TOO_LARGE]'), { timeout: 5_000 })
      expect(app.output()).toContain('the "session" cookie is 6691 bytes')
    } finally {
      await app.stop()
    }
  })
})
