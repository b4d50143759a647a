// HTTP benchmark: Express 5 with no session, with cookie-session 2.1.1 and
// with this package (built, from dist/), on five paths. Variants run
// interleaved, several rounds, and the table reports medians.
//
//   npm run build && node bench/http.mjs
//
// Environment:
//   BENCH_DURATION     seconds per measurement (default 3)
//   BENCH_ROUNDS       rounds (default 4)
//   BENCH_WARMUP       warm-up seconds per variant and path (default 1)
//   BENCH_CONNECTIONS  concurrent connections (default 10)
//   BENCH_PATHS        comma-separated subset of read,write,new,destroy,untouched
//   BENCH_LOADER       wrk or autocannon (default: wrk when installed)
//   BENCH_CPUS         "server,loader" CPU numbers for taskset (default "0,1")
//
// Overhead per request = 1e6/req/s - 1e6/req/s without session (µs), the
// project's measure. The "ratio" is this package's overhead divided by
// 2.1.1's, computed from the medians; "paired" is the median of the same
// ratio computed per round (each round measures the variants back to back),
// which is steadier when the machine is busy.
//
// This package first turns Express's req and res into dictionary-mode
// objects (src/hidden-class.ts), which makes the rest of the request cheaper,
// so its overhead by that measure can come out below zero. The "dictionary
// mode" variants tell the two apart: the same conversion in front of no
// session and of 2.1.1. "Own cost" is each session's overhead over the app
// that differs from it only by the session (BASELINE), and "own cost ratio"
// compares this package with 2.1.1 on the same footing (paired: per round).
//
// The server also reports its own CPU time (process.cpuUsage(), all threads)
// around every measurement: "CPU µs/req" is server CPU time per completed
// request, and "CPU own cost" its difference to the baseline app. That
// figure hardly depends on how much CPU other processes leave to the server,
// so on a shared or busy machine trust the CPU columns over req/s.
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { COOKIE_HEADER } from './fixtures.mjs'

const env = process.env
const DURATION = Number(env.BENCH_DURATION ?? 3)
const ROUNDS = Number(env.BENCH_ROUNDS ?? 4)
export const WARMUP = Number(env.BENCH_WARMUP ?? 1)
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 10)
const PATHS = (env.BENCH_PATHS ?? 'read,write,new,destroy,untouched').split(',').filter(Boolean)
export const VARIANTS = ['none', 'none-dict', 'v2', 'v2-dict', 'this']
export const LABEL = {
  none: 'no session',
  'none-dict': 'no session, dictionary mode',
  v2: 'cookie-session 2.1.1',
  'v2-dict': '2.1.1, dictionary mode',
  this: 'this package',
}
/**
 * Which app each variant's own cost is measured against: the one that does
 * the same to req and res besides the session (bench/server.mjs).
 */
export const BASELINE = { 'none-dict': 'none', v2: 'none', 'v2-dict': 'none-dict', this: 'none-dict' }
export const WITH_COOKIE = { read: true, write: true, new: false, destroy: true, untouched: true }

function has(cmd) {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

const LOADER = env.BENCH_LOADER ?? (has('wrk') ? 'wrk' : 'autocannon')
const [SERVER_CPU, LOADER_CPU] = (env.BENCH_CPUS ?? '0,1').split(',')
const PIN = has('taskset') && os.availableParallelism() >= 2

function pinned(cpu, cmd, args) {
  return PIN ? ['taskset', ['-c', cpu, cmd, ...args]] : [cmd, args]
}

/** Starts bench/server.mjs for `variant` (with `nodeArgs` for node) on the server CPU. */
export function startServer(variant, nodeArgs = []) {
  const script = fileURLToPath(new URL('./server.mjs', import.meta.url))
  const [cmd, args] = pinned(SERVER_CPU, process.execPath, [...nodeArgs, script, variant])
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    let out = ''
    child.once('exit', (code) => reject(new Error(`server ${variant} exited with ${code}`)))
    const onData = (chunk) => {
      out += chunk
      const m = /listening (\d+)/.exec(out)
      if (m) {
        child.stdout.off('data', onData)
        resolve({ variant, port: Number(m[1]), child })
      }
    }
    child.stdout.on('data', onData)
  })
}

function get(port, path, cookie) {
  return new Promise((resolve, reject) => {
    const headers = cookie ? { cookie } : {}
    http
      .get({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c) => {
          body += c
        })
        res.on('end', () => resolve({ status: res.statusCode, setCookie: res.headers['set-cookie'], body }))
      })
      .on('error', reject)
  })
}

/** Checks that every variant answers and that 2.1.1 and this package send the same cookies. */
async function sanityCheck(servers) {
  for (const path of PATHS) {
    const results = {}
    for (const s of servers) {
      const r = await get(s.port, `/${path}`, WITH_COOKIE[path] ? COOKIE_HEADER : undefined)
      if (r.status !== 200) throw new Error(`${s.variant} /${path}: status ${r.status}`)
      results[s.variant] = r
    }
    const strip = (h) => (h ?? []).map((c) => c.replace(/; expires=[^;]*/, ''))
    const a = JSON.stringify(strip(results.v2.setCookie))
    const b = JSON.stringify(strip(results.this.setCookie))
    if (a !== b) throw new Error(`/${path}: Set-Cookie differs\n  2.1.1: ${a}\n  this:  ${b}`)
    const writes = path !== 'read' && path !== 'untouched'
    if (!writes && results.this.setCookie) throw new Error(`/${path}: unexpected Set-Cookie`)
    if (writes && !results.this.setCookie) throw new Error(`/${path}: no Set-Cookie`)
  }
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (c) => {
      out += c
    })
    child.stderr.on('data', (c) => {
      err += c
    })
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${err}`))))
  })
}

async function cpuTime(port) {
  return Number((await get(port, '/__cpu')).body)
}

/** Requests per second and server CPU µs per request for `seconds` of load on one path. */
async function measure(port, path, seconds) {
  const cpu0 = await cpuTime(port)
  const { rps, requests } = await load(port, path, seconds)
  const cpu1 = await cpuTime(port)
  return { rps, cpu: (cpu1 - cpu0) / requests }
}

/** Requests per second and requests completed for `seconds` of load on one path. */
export async function load(port, path, seconds) {
  const url = `http://127.0.0.1:${port}/${path}`
  const cookie = WITH_COOKIE[path] ? COOKIE_HEADER : undefined
  if (LOADER === 'wrk') {
    const args = ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, ...(cookie ? ['-H', `Cookie: ${cookie}`] : []), url]
    const out = await run(...pinned(LOADER_CPU, 'wrk', args))
    if (/Non-2xx/.test(out)) throw new Error(`non-2xx responses from ${url}:\n${out}`)
    const m = /Requests\/sec:\s+([\d.]+)/.exec(out)
    const n = /(\d+) requests in/.exec(out)
    if (!m || !n) throw new Error(`cannot parse wrk output:\n${out}`)
    return { rps: Number(m[1]), requests: Number(n[1]) }
  }
  const bin = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url))
  const args = [bin, '--json', '-c', String(CONNECTIONS), '-d', String(seconds), ...(cookie ? ['-H', `Cookie=${cookie}`] : []), url]
  const out = JSON.parse(await run(...pinned(LOADER_CPU, process.execPath, args)))
  if (out.non2xx) throw new Error(`non-2xx responses from ${url}`)
  return { rps: out.requests.average, requests: out.requests.total }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

async function main() {
  const started = Date.now()
  console.log(
    `HTTP benchmark: loader ${LOADER}, ${CONNECTIONS} connections, ${ROUNDS} rounds x ${DURATION}s, ` +
      `warm-up ${WARMUP}s, ${PIN ? `server on CPU ${SERVER_CPU}, loader on CPU ${LOADER_CPU}` : 'not pinned'}, ` +
      `node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)}`,
  )
  const servers = []
  try {
    for (const v of VARIANTS) servers.push(await startServer(v))
    await sanityCheck(servers)
    const byVariant = Object.fromEntries(servers.map((s) => [s.variant, s]))

    const samples = {} // samples[path][variant] = [{ rps, cpu } per round]
    for (const path of PATHS) {
      samples[path] = Object.fromEntries(VARIANTS.map((v) => [v, []]))
      if (WARMUP > 0) for (const v of VARIANTS) await measure(byVariant[v].port, path, WARMUP)
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const path of PATHS) {
        // Rotate the order each round so that no variant always runs first.
        for (let i = 0; i < VARIANTS.length; i++) {
          const v = VARIANTS[(i + round) % VARIANTS.length]
          samples[path][v].push(await measure(byVariant[v].port, path, DURATION))
        }
      }
      process.stderr.write(`  round ${round + 1}/${ROUNDS} done\n`)
    }

    const rows = []
    for (const path of PATHS) {
      const s = samples[path]
      const rps = Object.fromEntries(VARIANTS.map((v) => [v, s[v].map((x) => x.rps)]))
      const cpu = Object.fromEntries(VARIANTS.map((v) => [v, s[v].map((x) => x.cpu)]))
      const med = Object.fromEntries(VARIANTS.map((v) => [v, median(rps[v])]))
      const medCpu = Object.fromEntries(VARIANTS.map((v) => [v, median(cpu[v])]))
      // The project's measure: overhead over the app without any session.
      const over = (v) => 1e6 / med[v] - 1e6 / med.none
      // The session's own cost: overhead over the app that differs only by it.
      const own = (v) => 1e6 / med[v] - 1e6 / med[BASELINE[v]]
      const ownCpu = (v) => medCpu[v] - medCpu[BASELINE[v]]
      const overIn = (v, i) => 1e6 / rps[v][i] - 1e6 / rps.none[i]
      const ownIn = (v, i) => 1e6 / rps[v][i] - 1e6 / rps[BASELINE[v]][i]
      const paired = median(rps.none.map((_, i) => overIn('this', i) / overIn('v2', i)))
      const pairedOwn = median(rps.none.map((_, i) => ownIn('this', i) / ownIn('v2-dict', i)))
      for (const v of VARIANTS) {
        const self = v === 'this'
        rows.push({
          path,
          variant: LABEL[v],
          'req/s': Math.round(med[v]),
          'overhead µs/req': v === 'none' ? '' : over(v).toFixed(1),
          'ratio to 2.1.1 (paired)': self ? `${(over('this') / over('v2')).toFixed(2)} (${paired.toFixed(2)})` : '',
          'own cost µs/req': v === 'none' || v === 'none-dict' ? '' : own(v).toFixed(1),
          'own cost ratio (paired)': self ? `${(own('this') / own('v2-dict')).toFixed(2)} (${pairedOwn.toFixed(2)})` : '',
          'CPU µs/req': medCpu[v].toFixed(1),
          'CPU own cost': v === 'none' || v === 'none-dict' ? '' : ownCpu(v).toFixed(1),
          'CPU own ratio': self ? (ownCpu('this') / ownCpu('v2-dict')).toFixed(2) : '',
        })
      }
    }
    printTable(rows)
    console.log(`(medians of ${ROUNDS} rounds; took ${Math.round((Date.now() - started) / 1000)} s)`)
    mkdirSync(new URL('../.bench-results/', import.meta.url), { recursive: true })
    writeFileSync(
      new URL('../.bench-results/http.json', import.meta.url),
      JSON.stringify({ loader: LOADER, connections: CONNECTIONS, duration: DURATION, rounds: ROUNDS, samples, rows }, null, 2),
    )
  } finally {
    for (const s of servers) s.child.kill('SIGTERM')
  }
}

export function printTable(rows) {
  const cols = Object.keys(rows[0])
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)))
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(width[i])).join(' | ')} |`
  console.log(line(cols))
  console.log(`|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`)
  for (const r of rows) console.log(line(cols.map((c) => r[c])))
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err)
    process.exitCode = 1
  })
}
