// Memory per request, through the middleware with request/response doubles.
//
//   npm run build && node --expose-gc --max-semi-space-size=64 bench/memory.mjs
//
// allocated: JS heap growth across a batch of requests with no garbage
//   collection in between, per request (everything the request allocates,
//   garbage included: GC pressure). Batches during which a GC ran are
//   discarded; the median of the clean batches is shown.
// retained: heap still held per request after a full GC while the requests
//   are in flight (their req/res kept alive), e.g. the session state hung on
//   req/res and the Set-Cookie header.
// Both minus a no-session baseline (which attaches a plain object).
// Environment: BENCH_MEMORY_BATCH (default 1000), BENCH_MEMORY_BATCHES (default 15).
import { PerformanceObserver } from 'node:perf_hooks'
import { COOKIE_HEADER } from './fixtures.mjs'
import { loadVariants, MockRequest, MockResponse, request } from './mock.mjs'

const gc = globalThis.gc
if (!gc) throw new Error('run with node --expose-gc')
const BATCH = Number(process.env.BENCH_MEMORY_BATCH ?? 1000)
const BATCHES = Number(process.env.BENCH_MEMORY_BATCHES ?? 15)
const PATHS = ['read', 'write', 'new', 'destroy', 'untouched']
const VARIANTS = ['none', 'v2', 'this']

let gcCount = 0
const observer = new PerformanceObserver((list) => {
  gcCount += list.getEntries().length
})
observer.observe({ entryTypes: ['gc'] })
const tick = () => new Promise((resolve) => setTimeout(resolve, 5))
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? s[s.length >> 1] : Number.NaN
}

const mw = await loadVariants()

async function measure(variant, path) {
  const p = path === 'untouched' ? 'none' : path
  const cookie = path === 'new' ? undefined : COOKIE_HEADER
  for (let i = 0; i < 3000; i++) request(mw[variant], p) // warm up the JIT
  const allocated = []
  const retained = []
  for (let b = 0; b < BATCHES; b++) {
    const reqs = Array.from({ length: BATCH }, () => new MockRequest(cookie))
    const ress = Array.from({ length: BATCH }, () => new MockResponse())
    gc()
    await tick()
    gcCount = 0
    const before = process.memoryUsage().heapUsed
    for (let i = 0; i < BATCH; i++) request(mw[variant], p, reqs[i], ress[i])
    const after = process.memoryUsage().heapUsed
    await tick() // let the GC observer report
    if (gcCount === 0) allocated.push((after - before) / BATCH)
    gc()
    retained.push((process.memoryUsage().heapUsed - before) / BATCH)
    // Use the requests after the measurement, so that they are live during it
    // and the JIT cannot drop them.
    if (reqs.length + ress.length !== 2 * BATCH || ress[BATCH - 1].statusCode !== 200) throw new Error('lost a request')
  }
  return { allocated: median(allocated), retained: median(retained), clean: allocated.length }
}

const results = {}
for (const path of PATHS) {
  results[path] = {}
  for (const v of VARIANTS) results[path][v] = await measure(v, path)
}
observer.disconnect()

const rows = []
for (const path of PATHS) {
  const r = results[path]
  const net = (v, k) => r[v][k] - r.none[k]
  rows.push({
    path,
    '2.1.1 allocated B': Math.round(net('v2', 'allocated')),
    'this allocated B': Math.round(net('this', 'allocated')),
    '2.1.1 retained B': Math.round(net('v2', 'retained')),
    'this retained B': Math.round(net('this', 'retained')),
    'clean batches': `${r.v2.clean}/${r.this.clean}/${BATCHES}`,
  })
}
console.log(`Memory per request (bytes of JS heap, minus the no-session baseline), batches of ${BATCH}`)
console.table(rows)
