// One Express 5 app for one variant of the HTTP benchmark (bench/http.mjs).
//   node bench/server.mjs <none|v2|this>
// Listens on 127.0.0.1 on a free port and prints `listening <port>` on stdout.
// Routes:
//   GET /read     handler reads a key of a valid signed session
//   GET /write    handler increments a counter in the session
//   GET /new      first visit: handler sets a key in a new session
//   GET /destroy  handler sets req.session = null
//   GET /untouched  handler never touches the session (the cost of attaching it)
// The "none" variant has the same routes and handlers working on one shared
// plain object and no middleware, so the difference is the session middleware alone.
import { fileURLToPath } from 'node:url'
import express from 'express'
import onHeaders from 'on-headers'
import { KEYS, NAME, SESSION } from './fixtures.mjs'
import { thisDist } from './mock.mjs'

/**
 * The least any cookie-session can do per request: the three properties its
 * interface puts on req and res (own `req.sessionOptions` and `req.session`,
 * on-headers' `res.writeHead`), with one shared accessor and a shared no-op
 * hook behind them, and no session work at all. Its handlers see the same
 * shared plain object as the "none" variant.
 */
function attachOnly(options) {
  const shared = { ...SESSION }
  const accessor = {
    configurable: true,
    enumerable: true,
    get: () => shared,
    set() {},
  }
  const noop = () => {}
  return (req, res, next) => {
    req.sessionOptions = Object.create(options)
    Object.defineProperty(req, 'session', accessor)
    onHeaders(res, noop)
    next()
  }
}

/** The Express app of one variant: none, v2 (cookie-session 2.1.1), this (dist/) or attach (see {@link attachOnly}). */
export async function createApp(variant) {
  let middleware
  if (variant === 'this') {
    // The built package (npm run bench builds first).
    middleware = (await import(thisDist())).default
  } else if (variant === 'v2') {
    middleware = (await import('cookie-session-2')).default
  } else if (variant === 'attach') {
    middleware = attachOnly
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

  if (middleware) {
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
