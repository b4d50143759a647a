// Minimal request/response doubles: just what the middlewares, `cookies` and
// `on-headers` touch, so that a benchmark measures the middleware and not
// node:http. Both variants get the same doubles.
import { createRequire } from 'node:module'
import { COOKIE_HEADER, KEYS, NAME } from './fixtures.mjs'

const require = createRequire(import.meta.url)
const SOCKET = { encrypted: false }

export class MockRequest {
  constructor(cookie) {
    this.headers = cookie ? { cookie } : {}
    this.socket = SOCKET
    this.url = '/'
    this.method = 'GET'
  }
}

export class MockResponse {
  constructor() {
    this.statusCode = 200
    this.headers = {}
  }
  getHeader(name) {
    return this.headers[name.toLowerCase()]
  }
  setHeader(name, value) {
    this.headers[name.toLowerCase()] = value
    return this
  }
  writeHead(statusCode) {
    this.statusCode = statusCode
    return this
  }
}

/**
 * The built package to measure: dist/, or the build named by BENCH_THIS_DIST
 * (a path to its index.js), to compare two builds with the same benchmark.
 */
export function thisDist() {
  const dist = process.env.BENCH_THIS_DIST
  return dist ? new URL(dist, `file://${process.cwd()}/`).href : new URL('../dist/index.js', import.meta.url).href
}

/** The three variants; `none` attaches a plain object, for a baseline. */
export async function loadVariants() {
  const thisPackage = (await import(thisDist())).default
  const v2 = require('cookie-session-2')
  const none = () =>
    function noSession(req, _res, next) {
      req.session = { userId: 'u_5f1c2a9b8e' }
      next()
    }
  return {
    none: none(),
    v2: v2({ name: NAME, keys: KEYS }),
    this: thisPackage({ name: NAME, keys: KEYS }),
  }
}

const noop = () => {}

/** One request through `mw` on `path` (read, write, new, destroy); returns the response. */
export function request(mw, path, req = new MockRequest(path === 'new' ? undefined : COOKIE_HEADER), res = new MockResponse()) {
  mw(req, res, noop)
  switch (path) {
    case 'read':
      if (req.session.userId === undefined) throw new Error('session not read')
      break
    case 'write':
      req.session.n = (req.session.n || 0) + 1
      break
    case 'new':
      req.session.userId = 'u_5f1c2a9b8e'
      break
    case 'destroy':
      req.session = null
      break
  }
  res.writeHead(200)
  return res
}
