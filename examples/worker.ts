// The Fetch app (examples/fetch-app.ts) as a Cloudflare Worker. cookie-session
// uses node:crypto, which Workers have with the `nodejs_compat` flag (the full
// module since compatibility date 2025-04-01; the flag is on by default from
// 2026-08-04). With wrangler: examples/wrangler.toml; with workerd alone:
// examples/worker.capnp. SESSION_KEYS is a secret (`wrangler secret put SESSION_KEYS`).
import { createApp, settingsFrom } from './fetch-app.ts'

interface Env {
  SESSION_KEYS: string
  SESSION_MODE?: string
  SESSION_ACCEPT_SIGNED_KEYS?: string
}

/** The app, made on the first request (bindings arrive with it) and again only if they change. */
let app: { bindings: string; handle: (request: Request) => Promise<Response> } | undefined

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    const bindings = JSON.stringify([env.SESSION_KEYS, env.SESSION_MODE, env.SESSION_ACCEPT_SIGNED_KEYS])
    if (app?.bindings !== bindings) app = { bindings, handle: createApp(settingsFrom({ ...env })) }
    return app.handle(request)
  },
}
