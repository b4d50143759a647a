// The Fetch app (examples/fetch-app.ts) on Deno:
//   SESSION_KEYS=... deno run --allow-net=127.0.0.1 --allow-env examples/deno.ts
// Deno implements node:crypto. --allow-env: the app reads SESSION_*, and the
// `debug` package that cookie-session logs through reads the whole environment
// when it loads (without it Deno stops there with "NotCapable: Requires env access").
import { createApp, settingsFrom } from './fetch-app.ts'

Deno.serve(
  {
    hostname: '127.0.0.1',
    port: Number(Deno.env.get('PORT') ?? 3000),
    onListen: ({ hostname, port }) => console.log(`listening on http://${hostname}:${port}`),
  },
  createApp(settingsFrom(Deno.env.toObject())),
)
