// Express 5 in one process, without sockets: real IncomingMessage and
// ServerResponse objects (writing to a stream that discards the bytes) go
// through the same app as bench/server.mjs. No kernel, no load generator, so
// the numbers are steadier than HTTP ones on a busy machine, and the variants
// interleave in small batches.
//
//   npm run build && node bench/express-inprocess.mjs
//
// Environment: BENCH_INPROC_ROUNDS (default 15), BENCH_INPROC_BATCH (default 2000).
import http from 'node:http'
import { Duplex } from 'node:stream'
import { COOKIE_HEADER } from './fixtures.mjs'
import { BASELINE, LABEL, VARIANTS } from './http.mjs'
import { createApp } from './server.mjs'

const ROUNDS = Number(process.env.BENCH_INPROC_ROUNDS ?? 15)
const BATCH = Number(process.env.BENCH_INPROC_BATCH ?? 2000)
const PATHS = ['read', 'write', 'new', 'destroy']

class NullSocket extends Duplex {
  _read() {}
  _write(_chunk, _enc, cb) {
    cb()
  }
  _writev(_chunks, cb) {
    cb()
  }
}
const socket = new NullSocket()
socket.setMaxListeners(0)

function once(app, path) {
  return new Promise((resolve, reject) => {
    const req = new http.IncomingMessage(socket)
    req.method = 'GET'
    req.url = `/${path}`
    req.httpVersionMajor = 1
    req.httpVersionMinor = 1
    req.httpVersion = '1.1'
    req.headers = path === 'new' ? { host: 'x' } : { host: 'x', cookie: COOKIE_HEADER }
    req.complete = true
    req.push(null)
    const res = new http.ServerResponse(req)
    res.assignSocket(socket)
    res.on('finish', () => {
      res.detachSocket(socket)
      if (res.statusCode !== 200) reject(new Error(`${path}: ${res.statusCode}`))
      else resolve()
    })
    app(req, res)
  })
}

const apps = {}
for (const v of VARIANTS) apps[v] = await createApp(v)

async function batch(app, path, n) {
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < n; i++) await once(app, path)
  return Number(process.hrtime.bigint() - t0) / 1e3 / n
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

const rows = []
for (const path of PATHS) {
  const t = Object.fromEntries(VARIANTS.map((v) => [v, []]))
  for (const v of VARIANTS) await batch(apps[v], path, BATCH) // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < VARIANTS.length; i++) {
      const v = VARIANTS[(i + r) % VARIANTS.length]
      t[v].push(await batch(apps[v], path, BATCH))
    }
  }
  const med = Object.fromEntries(VARIANTS.map((v) => [v, median(t[v])]))
  // As in bench/http.mjs: overhead over no session, and own cost over the app differing only by the session.
  const paired = median(t.none.map((none, i) => (t.this[i] - none) / (t.v2[i] - none)))
  const own = (v) => med[v] - med[BASELINE[v]]
  const ownIn = (v, i) => t[v][i] - t[BASELINE[v]][i]
  const pairedOwn = median(t.none.map((_, i) => ownIn('this', i) / ownIn('v2-dict', i)))
  for (const v of VARIANTS) {
    const self = v === 'this'
    rows.push({
      path,
      variant: LABEL[v],
      'µs/req': med[v].toFixed(2),
      'overhead µs': v === 'none' ? '' : (med[v] - med.none).toFixed(2),
      'ratio to 2.1.1 (paired)': self ? `${((med.this - med.none) / (med.v2 - med.none)).toFixed(2)} (${paired.toFixed(2)})` : '',
      'own cost µs': v === 'none' || v === 'none-dict' ? '' : own(v).toFixed(2),
      'own cost ratio (paired)': self ? `${(own('this') / own('v2-dict')).toFixed(2)} (${pairedOwn.toFixed(2)})` : '',
    })
  }
}
console.log(`Express 5 in-process (no sockets), median of ${ROUNDS} interleaved batches of ${BATCH}, node ${process.version}`)
console.table(rows)
