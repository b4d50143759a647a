// One Express 5 app for one variant of the HTTP benchmark (bench/http.mjs).
//   node bench/server.mjs <none|none-dict|v2|v2-dict|this>
// Listens on 127.0.0.1 on a free port and prints `listening <port>` on stdout.
// Routes:
//   GET /read     handler reads a key of a valid signed session
//   GET /write    handler increments a counter in the session
//   GET /new      first visit: handler sets a key in a new session
//   GET /destroy  handler sets req.session = null
//   GET /untouched  handler never touches the session (the cost of attaching it)
// The "none" variant has the same routes and handlers working on one shared
// plain object and no middleware, so the difference is the session middleware
// alone; "none-dict" the same behind a middleware that only does what this
// package does first to req and res (see toDictionaryModeIfUnshared below).
import { fileURLToPath } from 'node:url'
import express from 'express'
import { KEYS, NAME, SESSION } from './fixtures.mjs'
import { thisDist } from './mock.mjs'

/** A key nothing else uses, as in src/hidden-class.ts. */
const PROBE = Symbol('bench.probe')
const PROBE_DESCRIPTOR = Object.freeze({ configurable: true, value: undefined })

/**
 * What this package does to `req` and `res` before attaching anything
 * (src/hidden-class.ts, not exported, so repeated here): on Express it turns
 * them into dictionary-mode objects, which makes the rest of the request
 * cheaper too. The "-dict" variants do it in front of no session or of 2.1.1,
 * so that this package's own cost can be told from that side effect.
 */
function toDictionaryModeIfUnshared(object) {
  if (Reflect.defineProperty(object, PROBE, PROBE_DESCRIPTOR)) Reflect.deleteProperty(object, PROBE)
}

/** `inner` (or nothing) behind the same conversion, in one middleware as in this package. */
function inDictionaryMode(inner) {
  return (req, res, next) => {
    toDictionaryModeIfUnshared(req)
    toDictionaryModeIfUnshared(res)
    if (inner) inner(req, res, next)
    else next()
  }
}

/**
 * The Express app of one variant: none, v2 (cookie-session 2.1.1), this
 * (dist/), or none-dict and v2-dict (those two behind {@link inDictionaryMode}).
 */
export async function createApp(variant) {
  let middleware
  if (variant === 'this') {
    // The built package (npm run bench builds first).
    middleware = (await import(thisDist())).default
  } else if (variant === 'v2') {
    middleware = (await import('cookie-session-2')).default
  } else if (variant === 'v2-dict') {
    const v2 = (await import('cookie-session-2')).default
    middleware = (options) => inDictionaryMode(v2(options))
  } else if (variant === 'none-dict') {
    middleware = () => inDictionaryMode()
  } else if (variant !== 'none') {
    throw new Error(`unknown variant ${variant}`)
  }

  const app = express()
  app.set('etag', false)
  app.set('x-powered-by', false)

  // CPU time used by this process so far (µs), for the CPU-per-request figures;
  // before the session middleware so that it does not count.
  app.get('/__cpu', (_req, res) => {
    const { user, system } = process.cpuUsage()
    res.send(String(user + system))
  })

  if (variant === 'none-dict') {
    app.use(middleware())
    app.request.session = { ...SESSION }
  } else if (middleware) {
    app.use(middleware({ name: NAME, keys: KEYS }))
  } else {
    // No middleware at all: every request sees one shared plain object
    // through Express's request prototype, so the baseline costs nothing per
    // request beyond the handlers themselves.
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
  // Never touches the session: what attaching req.session and the header hook costs.
  app.get('/untouched', (_req, res) => {
    res.send('ok')
  })
  app.get('/destroy', (req, res) => {
    req.session = null
    res.send('bye')
  })
  return app
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const app = await createApp(process.argv[2])
  const server = app.listen(0, '127.0.0.1', () => {
    process.stdout.write(`listening ${server.address().port}\n`)
  })
  server.keepAliveTimeout = 60_000
  process.on('SIGTERM', () => server.close(() => process.exit(0)))
  process.on('disconnect', () => process.exit(0))
}
