// The benchmark's server: one Express 5 app with one session variant, started by bench/run.mjs and bench/profile.mjs.
//
//   node bench/server.mjs <variant>     (variants: see VARIANTS below)
//
// Listens on 127.0.0.1 on a free port and prints `listening <port>`. When
// started with an IPC channel, it answers any message with its own CPU time
// so far, process.cpuUsage() (`{ user, system }` in µs, all its threads), so
// the driver can take the CPU time spent over a load window.
// Routes:
//   GET /read       handler reads a key of a valid signed session
//   GET /write      handler increments a counter in the session
//   GET /new        first visit (no cookie): handler sets a key in a new session
//   GET /destroy    handler sets req.session = null
//   GET /untouched  handler never touches the session (the cost of attaching it)
//   GET /__seed     not measured: puts SESSION in a new session, so that the
//                   driver gets the cookie each variant reads (2.1.1's is
//                   COOKIE_HEADER's)
import { fileURLToPath } from 'node:url'
import express from 'express'
import { ENCRYPTION_KEYS, KEYS, NAME, SESSION } from './fixtures.mjs'

/** The built package (`npm run build`), or another build named by BENCH_THIS_DIST (a path to its index.js). */
const THIS = process.env.BENCH_THIS_DIST
  ? new URL(process.env.BENCH_THIS_DIST, `file://${process.cwd()}/`).href
  : new URL('../dist/index.js', import.meta.url).href

/**
 * Each variant's session middleware; `none` has none. Adding a variant is one
 * line here (and its name in BENCH_VARIANTS for bench/run.mjs), e.g. the
 * built package with other options.
 */
export const VARIANTS = {
  none: null,
  v2: async () => (await import('cookie-session-2')).default({ name: NAME, keys: KEYS }),
  this: async () => (await import(THIS)).default({ name: NAME, keys: KEYS }),
  sha256: async () => (await import(THIS)).default({ name: NAME, keys: KEYS, algorithm: 'sha256' }),
  encrypted: async () => (await import(THIS)).default({ name: NAME, keys: ENCRYPTION_KEYS, encrypt: true }),
  // The least a cookie session can cost on each path, with 2.1.1's bytes (bench/floor.mjs).
  floor: async () => (await import('./floor.mjs')).floor(),
}

export async function createApp(variant) {
  if (!(variant in VARIANTS)) throw new Error(`unknown variant ${variant}; one of ${Object.keys(VARIANTS).join(', ')}`)
  const app = express()
  app.set('etag', false)
  app.set('x-powered-by', false)
  const make = VARIANTS[variant]
  if (make) {
    app.use(await make())
  } else {
    // No middleware: every request sees one shared plain object through
    // Express's request prototype, so the handlers do the same work and the
    // baseline costs nothing per request beyond them.
    app.request.session = { ...SESSION }
  }
  app.get('/read', (req, res) => {
    res.send(String(req.session.userId))
  })
  app.get('/write', (req, res) => {
    req.session.n = (req.session.n || 0) + 1
    res.send(String(req.session.n))
  })
  app.get('/new', (req, res) => {
    req.session.userId = 'u_5f1c2a9b8e'
    res.send('ok')
  })
  app.get('/destroy', (req, res) => {
    req.session = null
    res.send('bye')
  })
  app.get('/untouched', (_req, res) => {
    res.send('ok')
  })
  // Last, so that the routes above do not pay for it.
  app.get('/__seed', (req, res) => {
    if (make) Object.assign(req.session, SESSION)
    res.send('ok')
  })
  return app
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const app = await createApp(process.argv[2])
  const server = app.listen(0, '127.0.0.1', () => {
    process.stdout.write(`listening ${server.address().port}\n`)
  })
  server.keepAliveTimeout = 60_000
  process.on('message', () => process.send(process.cpuUsage()))
  process.on('disconnect', () => process.exit(0))
  process.on('SIGTERM', () => process.exit(0))
}
