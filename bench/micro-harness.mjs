// One in-process measurement of bench/micro.mjs: one variant, one mode, one path, in a process of its own; prints one JSON line.
//
//   node bench/micro-harness.mjs <variant> <mode> <path> [iterations] [warm-up iterations]
//   e.g. node --cpu-prof bench/micro-harness.mjs this signed read 300000
//
// The Node.js door: per request, node:http's own IncomingMessage (over one
// Socket that is never connected) with the Cookie header, and a
// ServerResponse for it; the middleware alone, the path's handler as its
// `next`, then `res.writeHead(200)`, which runs the header hook. Nothing is
// written anywhere: the response has no socket and is never ended.
// The Fetch door: per request a Request with the Cookie header and a fresh
// Headers for the response; read(request), the handler, write(session, headers).
//
// First a check: the variant's cookie for the session (as the seed request
// writes it; 2.1.1's must be bench/fixtures.mjs's), then one request of the
// path, which must give the path's answer and set the session cookie exactly
// on write, new and destroy. Then the warm-up, then the timed loop: CPU time
// (process.cpuUsage(), all threads) divided by the iterations.
import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import { COOKIE_HEADER, ENCRYPTION_KEYS, KEYS, NAME, OTHER_COOKIE, SESSION } from './fixtures.mjs'

const dist = (file) => new URL(`../dist/${file}`, import.meta.url).href
/** Another build to compare with `this` in the same run (variant `alt`): BENCH_ALT_DIST, a path to its dist/ directory. */
const altDist = (file) => new URL(`${process.env.BENCH_ALT_DIST?.replace(/\/?$/, '/')}${file}`, `file://${process.cwd()}/`).href

/**
 * Each variant's session per mode: a function making the Node.js middleware
 * (`node`) or the Fetch door's `{ read, write }` (`fetch`); `null` for the
 * harness alone. A mode a variant lacks is not run. Adding a variant is one
 * entry here (and its name in BENCH_VARIANTS).
 */
export const VARIANTS = {
  none: { signed: null, encrypted: null, fetch: null },
  v2: { signed: async () => (await import('cookie-session-2')).default({ name: NAME, keys: KEYS }) },
  this: {
    signed: async () => (await import(dist('index.js'))).default({ name: NAME, keys: KEYS }),
    encrypted: async () => (await import(dist('index.js'))).default({ name: NAME, keys: ENCRYPTION_KEYS, encrypt: true }),
    fetch: async () => (await import(dist('fetch.js'))).createCookieSession({ name: NAME, keys: KEYS }),
  },
  alt: {
    signed: async () => (await import(altDist('index.js'))).default({ name: NAME, keys: KEYS }),
    encrypted: async () => (await import(altDist('index.js'))).default({ name: NAME, keys: ENCRYPTION_KEYS, encrypt: true }),
    fetch: async () => (await import(altDist('fetch.js'))).createCookieSession({ name: NAME, keys: KEYS }),
  },
  floor: {
    signed: async () => (await import('./floor.mjs')).floor(),
    encrypted: async () => (await import('./floor.mjs')).floorEncrypted(),
    fetch: async () => (await import('./floor.mjs')).floorFetch(),
  },
}

/** Modes: which door, and the paths run by default. */
export const MODES = {
  signed: { door: 'node', paths: ['read', 'write', 'new', 'destroy', 'untouched'] },
  encrypted: { door: 'node', paths: ['read', 'write', 'new'] },
  fetch: { door: 'fetch', paths: ['read', 'write', 'new'] },
}

/** The handlers, over anything with a `session` (req, or the Fetch harness's holder); each returns its answer. */
const HANDLERS = {
  read: (r) => String(r.session.userId),
  write: (r) => {
    r.session.n = (r.session.n || 0) + 1
    return String(r.session.n)
  },
  new: (r) => {
    r.session.userId = 'u_5f1c2a9b8e'
    return 'ok'
  },
  destroy: (r) => {
    r.session = null
    return 'bye'
  },
  untouched: () => 'ok',
  seed: (r) => {
    Object.assign(r.session, SESSION)
    return 'ok'
  },
}
const ANSWER = { read: SESSION.userId, write: String(SESSION.n + 1), new: 'ok', destroy: 'bye', untouched: 'ok' }
const WRITES = new Set(['write', 'new', 'destroy'])

const socket = new Socket()
const URL_OF = (path) => `http://127.0.0.1/${path}`

/** The Node.js door: returns run(cookie) -> { answer, setCookie } for one request. */
function nodeDoor(middleware, handler, path) {
  let req
  let res
  let answer
  const next = () => {
    answer = handler(req)
  }
  return (cookie) => {
    req = new IncomingMessage(socket)
    req.method = 'GET'
    req.url = `/${path}`
    req.httpVersionMajor = 1
    req.httpVersionMinor = 1
    req.headers = cookie === undefined ? {} : { cookie }
    res = new ServerResponse(req)
    if (middleware) middleware(req, res, next)
    else next()
    res.writeHead(200)
    return { answer, res }
  }
}

/** The Fetch door: returns run(cookie) -> { answer, headers } for one request. */
function fetchDoor(door, handler, path) {
  const url = URL_OF(path)
  return (cookie) => {
    const request = new Request(url, cookie === undefined ? undefined : { headers: { cookie } })
    const headers = new Headers()
    const holder = { session: door ? door.read(request) : SHARED }
    const answer = handler(holder)
    if (door) door.write(holder.session, headers)
    return { answer, headers }
  }
}

/** The `none` variants' session: one shared plain object, so that handlers do the same work. */
const SHARED = { ...SESSION }

const setCookieOf = (result) => {
  if (result.headers) return result.headers.getSetCookie()
  const h = result.res.getHeader('set-cookie')
  return h === undefined ? [] : [].concat(h)
}

export async function measure(variant, mode, path, iterations, warmup) {
  const make = VARIANTS[variant]?.[mode]
  if (make === undefined) throw new Error(`variant ${variant} has no mode ${mode}`)
  const { door } = MODES[mode]
  const session = make ? await make() : null
  if (!session && door === 'node') IncomingMessage.prototype.session = SHARED
  const runner = (p) => (door === 'node' ? nodeDoor : fetchDoor)(session, HANDLERS[p], p)

  // The cookie this variant writes for SESSION, sent on every path but new.
  let cookie = COOKIE_HEADER
  if (session) {
    const seeded = setCookieOf(runner('seed')(undefined)).map((c) => c.split(';')[0])
    cookie = [OTHER_COOKIE, ...seeded].join('; ')
    if (variant === 'v2' && cookie !== COOKIE_HEADER) throw new Error(`2.1.1 wrote ${cookie}, not the fixture's ${COOKIE_HEADER}`)
  }
  const sent = path === 'new' ? undefined : cookie
  const run = runner(path)

  const where = `${variant} ${mode} /${path}`
  const result = run(sent)
  if (result.answer !== ANSWER[path] && (session || path !== 'write')) throw new Error(`${where}: answered ${result.answer}`)
  const setCookie = setCookieOf(result)
  const sets = setCookie.some((c) => c.startsWith(`${NAME}=`))
  if (sets !== (Boolean(session) && WRITES.has(path))) throw new Error(`${where}: Set-Cookie ${JSON.stringify(setCookie)}`)
  if (result.res && (result.res.socket || !result.res.headersSent)) throw new Error(`${where}: the response has a socket or no header`)

  for (let i = 0; i < warmup; i++) run(sent)
  const t0 = process.hrtime.bigint()
  const c0 = process.cpuUsage()
  for (let i = 0; i < iterations; i++) run(sent)
  const c = process.cpuUsage(c0)
  const wall = Number(process.hrtime.bigint() - t0) / 1e3
  if (socket.bytesWritten !== 0) throw new Error(`${where}: bytes were written to the socket`)
  return {
    cpu: (c.user + c.system) / iterations,
    user: c.user / iterations,
    system: c.system / iterations,
    wall: wall / iterations,
    setCookie: setCookie.map((line) => line.replace(/; expires=[^;]*/, '')),
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [variant, mode, path, iterations = '100000', warmup = '10000'] = process.argv.slice(2)
  measure(variant, mode, path, Number(iterations), Number(warmup)).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (err) => {
      console.error(err.message)
      process.exitCode = 1
    },
  )
}
