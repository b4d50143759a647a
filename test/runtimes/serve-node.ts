// The shared Fetch app (examples/fetch-app.ts) on Node.js through @hono/node-server's
// Request/Response bridge, without Hono's router: the runtime suite's Node.js target.
import { serve } from '@hono/node-server'
import { createApp, settingsFrom } from '../../examples/fetch-app.ts'

serve({ fetch: createApp(settingsFrom(process.env)), hostname: '127.0.0.1', port: Number(process.env.PORT ?? 0) }, ({ port }) =>
  console.log(`listening on http://127.0.0.1:${port}`),
)
