// The Fetch app (examples/fetch-app.ts) on Bun: `SESSION_KEYS=... bun examples/bun.ts`.
// Bun implements node:crypto, so cookie-session/fetch runs as it is.
import { createApp, settingsFrom } from './fetch-app.ts'

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: Number(process.env.PORT ?? 3000),
  fetch: createApp(settingsFrom(process.env)),
})
console.log(`listening on http://127.0.0.1:${server.port}`)
