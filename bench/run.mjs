// `npm run bench`: server CPU time per request of Express 5 with no session, cookie-session 2.1.1 and this package (dist/: signed as 2.1.1 signs, signed with SHA-256, and encrypted) and the floor (bench/floor.mjs), on Node.js 24 and 26.
//
//   npm run build && node bench/run.mjs
//
// For each Node.js line (binary from scripts/node-line.sh) it starts one
// bench/server.mjs per variant, pinned to one CPU, and one load generator
// (bench/load.mjs, autocannon) pinned to the other. After a check that every
// server answers as expected and a warm-up, each round loads every path of
// every variant for a fixed time, the variants in an order that rotates each
// round. A measurement is the server's CPU time (process.cpuUsage(), all its
// threads) over the load window divided by the requests completed in it;
// req/s is printed too, but depends more on what else the machine is doing.
//
// Own cost = CPU µs per request minus that of the same app without session
// (`none`). The ratios are a variant's own cost over 2.1.1's and over the
// floor's (bench/floor.mjs, the least a cookie session can do with 2.1.1's
// bytes), from the medians over rounds; "paired" is the median of the ratio
// to 2.1.1 taken per round (the variants of a round run back to back), with
// its range. The guard: own cost at most 0.75 of 2.1.1's on read, write and
// new (✗ when over). The in-process bench (bench/micro.mjs) is the steadier
// measure of the gap to the floor.
//
// Environment:
//   BENCH_NODES        Node.js lines (or paths to node binaries), default 24,26
//   BENCH_ROUNDS       rounds, default 8
//   BENCH_DURATION     seconds of load per measurement, default 2
//   BENCH_WARMUP       seconds of load per path and server before the rounds, default 1
//   BENCH_CONNECTIONS  concurrent connections, default 10
//   BENCH_PATHS        subset of read,write,new,destroy,untouched
//   BENCH_VARIANTS     variants of bench/server.mjs, default none,v2,this,sha256,encrypted,floor (none and v2 are required)
//   BENCH_CPUS         "server,loader" CPUs for taskset, default 0,1
// Raw samples are written to .bench-results/bench-<time>.json.
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { COOKIE_HEADER, NAME, OTHER_COOKIE, SESSION } from './fixtures.mjs'

const env = process.env
const NODES = (env.BENCH_NODES ?? '24,26').split(',').filter(Boolean)
const ROUNDS = Number(env.BENCH_ROUNDS ?? 8)
const SECONDS = Number(env.BENCH_DURATION ?? 2)
const WARMUP = Number(env.BENCH_WARMUP ?? 1)
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 10)
const PATHS = (env.BENCH_PATHS ?? 'read,write,new,destroy,untouched').split(',').filter(Boolean)
const VARIANTS = (env.BENCH_VARIANTS ?? 'none,v2,this,sha256,encrypted,floor').split(',').filter(Boolean)
const [SERVER_CPU, LOADER_CPU] = (env.BENCH_CPUS ?? '0,1').split(',')
/** The guard on this package's own cost over 2.1.1's, for every variant but the floor (the reference). */
const TARGET = { read: 0.75, write: 0.75, new: 0.75, destroy: 1, untouched: 1 }
/** Variants that must send 2.1.1's Set-Cookie bytes (expires left out). */
const SAME_BYTES = ['this', 'floor']
const WRITES = new Set(['write', 'new', 'destroy'])
const OTHERS = VARIANTS.filter((v) => v !== 'none' && v !== 'v2')

const root = fileURLToPath(new URL('../', import.meta.url))
const PIN = os.availableParallelism() >= 2 && hasTaskset()

export function hasTaskset() {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

export function nodeBinary(line) {
  if (!/^\d+$/.test(line)) return line
  return execFileSync(`${root}scripts/node-line.sh`, [line], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim()
}

/** Spawns `node script args` pinned to `cpu`, with an IPC channel. */
export function spawnNode(node, cpu, script, args, nodeArgs = []) {
  const argv = [node, ...nodeArgs, fileURLToPath(new URL(script, import.meta.url)), ...args]
  const [cmd, ...rest] = PIN ? ['taskset', '-c', cpu, ...argv] : argv
  return spawn(cmd, rest, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] })
}

/** Sends `message` to `child` and resolves with its answer. */
export function ask(child, message = {}) {
  return new Promise((resolve, reject) => {
    const onExit = (code) => reject(new Error(`child exited with ${code}`))
    child.once('exit', onExit)
    child.once('message', (m) => {
      child.off('exit', onExit)
      resolve(m)
    })
    child.send(message)
  })
}

export async function startServer(line, node, variant, nodeArgs = []) {
  const child = spawnNode(node, SERVER_CPU, './server.mjs', [variant], nodeArgs)
  const port = await new Promise((resolve, reject) => {
    let out = ''
    child.once('exit', (code) => reject(new Error(`server ${variant} on Node ${line} exited with ${code}`)))
    child.stdout.on('data', (chunk) => {
      out += chunk
      const m = /listening (\d+)/.exec(out)
      if (m) resolve(Number(m[1]))
    })
  })
  child.removeAllListeners('exit')
  // The cookie this variant writes for SESSION, to send on every path but new.
  const seeded = (await get(port, '/__seed')).setCookie.map((c) => c.split(';')[0])
  const cookie = seeded.length ? [OTHER_COOKIE, ...seeded].join('; ') : COOKIE_HEADER
  if (variant === 'v2' && cookie !== COOKIE_HEADER) throw new Error(`2.1.1 wrote ${cookie}, not the fixture's ${COOKIE_HEADER}`)
  return { line, variant, port, child, cookie }
}

function get(port, path, cookie) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, headers: cookie ? { cookie } : {}, agent: false }, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c) => {
          body += c
        })
        res.on('end', () => resolve({ status: res.statusCode, setCookie: res.headers['set-cookie'] ?? [], body }))
      })
      .on('error', reject)
  })
}

const cookieFor = (server, path) => (path === 'new' ? undefined : server.cookie)
const BODY = { read: SESSION.userId, write: String(SESSION.n + 1), new: 'ok', destroy: 'bye', untouched: 'ok' }

/** Every server takes the path it is meant to: reads the session, sets the cookie or not, as 2.1.1 does. */
export async function check(servers) {
  for (const path of PATHS) {
    const got = {}
    for (const s of servers) {
      const r = await get(s.port, `/${path}`, cookieFor(s, path))
      const where = `Node ${s.line} ${s.variant} /${path}`
      const session = s.variant !== 'none'
      if (r.status !== 200) throw new Error(`${where}: status ${r.status}`)
      if (r.body !== BODY[path] && (session || path !== 'write')) throw new Error(`${where}: body ${r.body}`)
      const sets = r.setCookie.some((c) => c.startsWith(`${NAME}=`))
      if (sets !== (session && WRITES.has(path))) throw new Error(`${where}: Set-Cookie ${JSON.stringify(r.setCookie)}`)
      got[s.variant] = r.setCookie.map((c) => c.replace(/; expires=[^;]*/, '')).join('\n')
    }
    for (const v of SAME_BYTES) {
      if (v in got && 'v2' in got && got[v] !== got.v2) throw new Error(`/${path}: Set-Cookie differs\n2.1.1: ${got.v2}\n${v}: ${got[v]}`)
    }
  }
}

/** Server CPU µs per request and req/s for `seconds` of load on one path. */
export async function measure(loader, server, path, seconds) {
  const t0 = process.hrtime.bigint()
  const c0 = await ask(server.child)
  const r = await ask(loader, { url: `http://127.0.0.1:${server.port}/${path}`, cookie: cookieFor(server, path), connections: CONNECTIONS, seconds })
  const c1 = await ask(server.child)
  const wall = Number(process.hrtime.bigint() - t0) / 1e3
  if (r.non2xx || r.errors) throw new Error(`Node ${server.line} ${server.variant} /${path}: ${r.non2xx} non-2xx, ${r.errors} errors`)
  const user = (c1.user - c0.user) / r.requests
  const system = (c1.system - c0.system) / r.requests
  return { cpu: user + system, user, system, rps: r.requests / r.seconds, requests: r.requests, busy: (user + system) * r.requests / wall }
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
export const fixed = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–')

function summarise(samples) {
  const rows = []
  for (const path of PATHS) {
    const s = samples[path]
    const cpu = (v) => median(s[v].map((x) => x.cpu))
    const own = (v) => cpu(v) - cpu('none')
    const row = { path }
    for (const v of VARIANTS) row[`CPU µs/req ${v}`] = fixed(cpu(v))
    for (const v of ['v2', ...OTHERS]) row[`own ${v}`] = fixed(own(v))
    for (const v of OTHERS) {
      const perRound = s.none.map((n, i) => (s[v][i].cpu - n.cpu) / (s.v2[i].cpu - n.cpu))
      const ratio = own(v) / own('v2')
      const paired = median(perRound)
      row[`${v}/v2`] = `${fixed(ratio, 2)}${v !== 'floor' && Math.max(ratio, paired) > TARGET[path] ? ' ✗' : ''}`
      row[`${v}/v2 paired (range)`] = `${fixed(paired, 2)} (${fixed(Math.min(...perRound), 2)}–${fixed(Math.max(...perRound), 2)})`
    }
    if (VARIANTS.includes('floor')) for (const v of OTHERS.filter((v) => v !== 'floor')) row[`${v}/floor`] = fixed(own(v) / own('floor'), 2)
    row['target (/v2)'] = `≤ ${TARGET[path]}`
    for (const v of VARIANTS) row[`req/s ${v}`] = Math.round(median(s[v].map((x) => x.rps)))
    rows.push(row)
  }
  return rows
}

export function table(rows) {
  const cols = Object.keys(rows[0])
  const right = (c) => c !== 'path'
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)))
  const line = (cells) => `| ${cells.map((c, i) => (right(cols[i]) ? String(c).padStart(width[i]) : String(c).padEnd(width[i]))).join(' | ')} |`
  return [line(cols), `|${width.map((w, i) => `${'-'.repeat(w + 1)}${right(cols[i]) ? ':' : '-'}`).join('|')}|`, ...rows.map((r) => line(cols.map((c) => r[c])))].join('\n')
}

async function main() {
  // Checked here, not at load: bench/micro.mjs imports this module with its own BENCH_VARIANTS.
  if (!VARIANTS.includes('none') || !VARIANTS.includes('v2')) throw new Error('BENCH_VARIANTS must include none and v2')
  const started = Date.now()
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`
  console.log(
    `Server CPU per request, Express 5, ${CONNECTIONS} connections (autocannon), ${ROUNDS} rounds × ${SECONDS} s per variant and path, ` +
      `warm-up ${WARMUP} s; ${PIN ? `server on CPU ${SERVER_CPU}, load on CPU ${LOADER_CPU}` : 'NOT pinned (no taskset or one CPU)'}; ` +
      `${os.availableParallelism()} CPUs, load average ${os.loadavg()[0].toFixed(2)}`,
  )
  const lines = NODES.map((line) => ({ line, node: nodeBinary(line) }))
  const loader = spawnNode(process.execPath, LOADER_CPU, './load.mjs', [])
  const servers = []
  try {
    for (const { line, node } of lines) {
      const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()
      Object.assign(lines.find((l) => l.line === line), { version })
      for (const v of VARIANTS) servers.push(await startServer(line, node, v))
      await check(servers.filter((s) => s.line === line))
    }
    const server = (line, v) => servers.find((s) => s.line === line && s.variant === v)
    if (WARMUP > 0) {
      for (const s of servers) for (const path of PATHS) await measure(loader, s, path, WARMUP)
      process.stderr.write(`  warm-up done (${elapsed()})\n`)
    }
    // samples[line][path][variant][round] = { cpu, user, system (µs/req), rps, requests, busy (server CPU / wall time) }
    const samples = Object.fromEntries(NODES.map((l) => [l, Object.fromEntries(PATHS.map((p) => [p, Object.fromEntries(VARIANTS.map((v) => [v, []]))]))]))
    for (let round = 0; round < ROUNDS; round++) {
      const lineOrder = round % 2 ? [...NODES].reverse() : NODES
      const variantOrder = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length])
      for (const path of PATHS) {
        for (const line of lineOrder) {
          for (const v of variantOrder) samples[line][path][v].push(await measure(loader, server(line, v), path, SECONDS))
        }
      }
      process.stderr.write(`  round ${round + 1}/${ROUNDS} done (${elapsed()})\n`)
    }

    const results = {}
    for (const { line, version } of lines) {
      results[line] = summarise(samples[line])
      const busy = Object.values(samples[line]).flatMap((p) => Object.values(p).flat().map((x) => x.busy))
      const pct = (x) => `${Math.round(100 * x)}%`
      console.log(
        `\nNode.js ${version}: medians of ${ROUNDS} rounds; the server was busy ${pct(median(busy))} of the load windows (median; ${pct(Math.min(...busy))}–${pct(Math.max(...busy))}), less when the machine is busy\n`,
      )
      console.log(table(results[line]))
    }
    console.log(
      `\nOwn cost = CPU µs/req minus none's. ✗: over the target (own cost over 2.1.1's) by the ratio of medians or the paired one. ` +
        `Took ${elapsed()}; load average ${os.loadavg()[0].toFixed(2)}.`,
    )
    const dir = new URL('../.bench-results/', import.meta.url)
    mkdirSync(dir, { recursive: true })
    const file = new URL(`bench-${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`, dir)
    const settings = { ROUNDS, SECONDS, WARMUP, CONNECTIONS, PATHS, VARIANTS, PIN, loadavg: os.loadavg() }
    writeFileSync(file, JSON.stringify({ settings, lines, samples, results }, null, 2))
    console.log(`Raw samples: ${fileURLToPath(file)}`)
  } finally {
    for (const s of servers) s.child.kill('SIGTERM')
    loader.kill('SIGTERM')
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err)
    process.exitCode = 1
  })
}
