// In-process costs of large sessions (`compress`, `chunks`): the middleware of
// dist/ on node:http request and response objects without sockets, one
// request at a time, timed with process.hrtime over many iterations.
//
//   npm run build && node bench/large.mjs [baseline-dist-dir]
//
// Prints µs per request (median and lowest of rounds) for:
// - the default path (a small signed session; an encrypted one), read and
//   write, and with a baseline dist/ (another build of the package, such as
//   main's) the same paths through it, to show that they are unchanged;
// - a 10 KB session: compressed (repetitive JSON, in one cookie) next to the
//   same session plain (one cookie of 13.6 KB: not one a browser keeps, but
//   what reading plain costs), and chunked (9 KB of JSON in three cookies,
//   signed and encrypted; 10 KB compressed and encrypted in three cookies).
// and paired ratios (timed back to back each round, so that a busy machine
// slows both alike): this package over the baseline on the default paths, and
// compressed over plain for the same 10 KB session.
// Environment: LARGE_ROUNDS (default 30), LARGE_ITERATIONS per round (default 200).
import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import { pathToFileURL } from 'node:url'

// The 13.6 KB plain cases warn (COOKIE_SESSION_TOO_LARGE) on every write: keep stderr quiet.
process.removeAllListeners('warning')
const ROUNDS = Number(process.env.LARGE_ROUNDS ?? 30)
const ITERATIONS = Number(process.env.LARGE_ITERATIONS ?? 200)
const KEY = 'q1Vd3m4n0Zb8Xk2Rj7Lp5Wc9Ht6Ys1Ge4Fa0Uo3Ni8M='

const here = new URL('../dist/index.js', import.meta.url)
const baselineDir = process.argv[2]
const ours = (await import(here.href)).cookieSession
const baseline = baselineDir ? (await import(pathToFileURL(`${baselineDir}/index.js`).href)).cookieSession : undefined

const SMALL = { userId: 'u_5f1c2a9b8e', name: 'Ada Lovelace', n: 41, roles: ['reader', 'editor'], flash: { type: 'info', text: 'Welcome back!' } }
/** About `bytes` of repetitive JSON (a cart). */
function cart(bytes) {
  const items = []
  while (JSON.stringify(items).length < bytes) items.push({ sku: `SKU-${1000 + (items.length % 40)}`, qty: 1 + (items.length % 3), note: 'gift wrap, no receipt' })
  return { n: 1, items }
}
/** `length` letters that do not compress much (xorshift over 64 letters). */
function noise(length) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  let x = 2654435761
  let out = ''
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out += alphabet[(x >>> 0) % 64]
  }
  return { n: 1, blob: out }
}

/** One request through `middleware`: the handler reads (and with `write` changes) the session; returns its Set-Cookie. */
function run(middleware, cookie, write) {
  const req = new IncomingMessage(new Socket())
  req.method = 'GET'
  req.url = '/'
  req.headers = cookie ? { cookie } : {}
  const res = new ServerResponse(req)
  let out
  middleware(req, res, () => {
    const session = req.session
    if (write) session.n = (session.n ?? 0) + 1
    else if (session.isNew) throw new Error('the session did not load')
    res.writeHead(200)
    out = res.getHeader('set-cookie')
  })
  return out
}

/** The Cookie header a browser would send after a write of `data` with `options`. */
function cookieFor(factory, options, data) {
  const setCookie = (() => {
    const req = new IncomingMessage(new Socket())
    req.headers = {}
    const res = new ServerResponse(req)
    let lines
    factory(options)(req, res, () => {
      req.session = data
      res.writeHead(200)
      lines = res.getHeader('set-cookie')
    })
    return lines
  })()
  return [].concat(setCookie ?? []).map((c) => c.split(';')[0]).join('; ')
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

const cases = new Map()
/** A case: `factory(options)` on a session holding `data`, read only or changed (`path` 'write'). */
function add(key, factory, options, data, path) {
  const middleware = factory(options)
  const cookie = cookieFor(factory, options, data)
  const write = path === 'write'
  run(middleware, cookie, write)
  cases.set(key, { key, path, middleware, cookie, write, samples: [] })
}

const big = cart(10_000)
for (const path of ['read', 'write']) {
  add(`${path} default signed (this)`, ours, { keys: [KEY] }, SMALL, path)
  add(`${path} default encrypted (this)`, ours, { keys: [KEY], encrypt: true }, SMALL, path)
  if (baseline) {
    add(`${path} default signed (baseline)`, baseline, { keys: [KEY] }, SMALL, path)
    add(`${path} default encrypted (baseline)`, baseline, { keys: [KEY], encrypt: true }, SMALL, path)
  }
  add(`${path} 10 KB cart signed, plain (13.6 KB cookie)`, ours, { keys: [KEY] }, big, path)
  add(`${path} 10 KB cart signed, compress`, ours, { keys: [KEY], compress: true }, big, path)
  add(`${path} 10 KB cart encrypted, plain (13.6 KB cookie)`, ours, { keys: [KEY], encrypt: true }, big, path)
  add(`${path} 10 KB cart encrypted, compress`, ours, { keys: [KEY], encrypt: true, compress: true }, big, path)
  add(`${path} 9 KB noise signed, chunks: 3`, ours, { keys: [KEY], chunks: 3 }, noise(9000), path)
  add(`${path} 9 KB noise encrypted, chunks: 3`, ours, { keys: [KEY], chunks: 3, encrypt: true }, noise(9000), path)
  add(`${path} 10 KB noise encrypted, compress + chunks: 3`, ours, { keys: [KEY], chunks: 3, encrypt: true, compress: true }, noise(10_000), path)
}

/** Pairs timed back to back (A B B A each round), so that the machine's load changes the two alike: B's time over A's. */
const pairs = []
const pair = (a, b) => cases.has(a) && cases.has(b) && pairs.push({ a: cases.get(a), b: cases.get(b), ratios: [] })
for (const path of ['read', 'write']) {
  pair(`${path} default signed (baseline)`, `${path} default signed (this)`)
  pair(`${path} default encrypted (baseline)`, `${path} default encrypted (this)`)
  pair(`${path} 10 KB cart signed, plain (13.6 KB cookie)`, `${path} 10 KB cart signed, compress`)
  pair(`${path} 10 KB cart encrypted, plain (13.6 KB cookie)`, `${path} 10 KB cart encrypted, compress`)
}
const alone = [...cases.values()].filter((c) => !pairs.some((p) => p.a === c || p.b === c))

function time(c) {
  const start = process.hrtime.bigint()
  for (let i = 0; i < ITERATIONS; i++) run(c.middleware, c.cookie, c.write)
  const us = Number(process.hrtime.bigint() - start) / ITERATIONS / 1000
  c.samples.push(us)
  return us
}

for (let round = 0; round < ROUNDS; round++) {
  for (const p of pairs) {
    const a1 = time(p.a)
    const b1 = time(p.b)
    const b2 = time(p.b)
    const a2 = time(p.a)
    p.ratios.push((b1 + b2) / (a1 + a2))
  }
  for (const c of alone) time(c)
}

const fmt = (n) => n.toFixed(1).padStart(7)
console.log(`node ${process.version}, ${ROUNDS} rounds of ${ITERATIONS}; µs per request: median and lowest round; cookie bytes sent`)
for (const c of cases.values()) {
  console.log(`${c.key.padEnd(52)} ${fmt(median(c.samples))} ${fmt(Math.min(...c.samples))}  ${String(c.cookie.length).padStart(6)} B`)
}
console.log('\npaired (A B B A per round): B over A, median of rounds (lowest-highest)')
for (const p of pairs) {
  const range = `${Math.min(...p.ratios).toFixed(2)}-${Math.max(...p.ratios).toFixed(2)}`
  console.log(`${p.b.key.padEnd(52)} over ${p.a.key.padEnd(48)} ${median(p.ratios).toFixed(2)}  (${range})`)
}
