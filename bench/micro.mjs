// `npm run bench:micro`: the session's own CPU time per request in process (node:http's objects without a socket, no HTTP), against 2.1.1 and the floor, on Node.js 24 and 26.
//
//   npm run build && node bench/micro.mjs
//
// Each measurement is a fresh process (bench/micro-harness.mjs) running one
// variant on one path: a check that it answers and sets (or does not set)
// the cookie as it should, a warm-up, then CPU time (process.cpuUsage(), all
// threads, so garbage collection counts) over BENCH_ITERATIONS requests.
// Rounds are interleaved: every round measures every variant of every path
// on every Node.js line, the variants in an order that rotates each round.
// Figures are medians over rounds. Own µs = a variant's CPU µs per request
// minus that of `none` (the same harness and handler with no session).
// Ratios are of own µs: to `floor` (bench/floor.mjs, the least a cookie
// session can do with 2.1.1's bytes) and to 2.1.1 (`v2`). Set-Cookie lines
// (expires left out) of `this` and `floor` must be 2.1.1's on signed paths,
// and so must the Fetch door's.
//
// Environment:
//   BENCH_NODES        Node.js lines (or paths to node binaries), default 24,26
//   BENCH_ROUNDS       rounds, default 5
//   BENCH_ITERATIONS   timed requests per measurement, default 100000
//   BENCH_WARMUP       warm-up requests per measurement, default 10000
//   BENCH_MODES        subset of signed,encrypted,fetch (fetch when dist/fetch.js exists)
//   BENCH_PATHS        subset of read,write,new,destroy,untouched (for every mode that has it)
//   BENCH_VARIANTS     variants of bench/micro-harness.mjs, default none,v2,this,floor (none is required)
//                      (alt: the build in BENCH_ALT_DIST, a dist/ directory, to compare with this)
//   BENCH_CPUS         CPUs to pin to with taskset, one measurement at a time on each, default 0,1
// Raw samples are written to .bench-results/micro-<time>.json.
import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { MODES, VARIANTS } from './micro-harness.mjs'
import { fixed, hasTaskset, median, nodeBinary, table } from './run.mjs'

const env = process.env
const NODES = (env.BENCH_NODES ?? '24,26').split(',').filter(Boolean)
const ROUNDS = Number(env.BENCH_ROUNDS ?? 5)
const ITERATIONS = Number(env.BENCH_ITERATIONS ?? 100_000)
const WARMUP = Number(env.BENCH_WARMUP ?? 10_000)
const HAS_FETCH = existsSync(fileURLToPath(new URL('../dist/fetch.js', import.meta.url)))
const MODE_LIST = (env.BENCH_MODES ?? (HAS_FETCH ? 'signed,encrypted,fetch' : 'signed,encrypted')).split(',').filter(Boolean)
const PATHS = env.BENCH_PATHS?.split(',').filter(Boolean)
const VARIANT_LIST = (env.BENCH_VARIANTS ?? 'none,v2,this,floor').split(',').filter(Boolean)
const CPUS = (env.BENCH_CPUS ?? '0,1').split(',').filter(Boolean)
const PIN = hasTaskset()
/** The issue's targets for this package's own µs: at most 1.2 times the floor's, and (the HTTP guard) 0.75 times 2.1.1's, on read, write and new. */
const TARGET_FLOOR = 1.2
const TARGET_V2 = 0.75
const TARGETED = new Set(['read', 'write', 'new'])

if (!VARIANT_LIST.includes('none')) throw new Error('BENCH_VARIANTS must include none')
for (const v of VARIANT_LIST) if (!(v in VARIANTS)) throw new Error(`unknown variant ${v}; one of ${Object.keys(VARIANTS).join(', ')}`)
for (const m of MODE_LIST) if (!(m in MODES)) throw new Error(`unknown mode ${m}; one of ${Object.keys(MODES).join(', ')}`)
if (MODE_LIST.includes('fetch') && !HAS_FETCH) throw new Error('mode fetch needs dist/fetch.js (npm run build)')

/** What is measured: every path of every mode, and which variants have that mode. */
const CASES = MODE_LIST.flatMap((mode) =>
  MODES[mode].paths
    .filter((path) => !PATHS || PATHS.includes(path))
    .map((path) => ({ key: mode === 'signed' ? path : `${mode} ${path}`, mode, path, variants: VARIANT_LIST.filter((v) => VARIANTS[v][mode] !== undefined) })),
)
const harness = fileURLToPath(new URL('./micro-harness.mjs', import.meta.url))

/** One measurement in a fresh process, pinned to `cpu`. */
function spawnMeasure(node, cpu, variant, c) {
  const argv = [node, harness, variant, c.mode, c.path, String(ITERATIONS), String(WARMUP)]
  const [cmd, ...args] = PIN ? ['taskset', '-c', cpu, ...argv] : argv
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${variant} ${c.key}: ${stderr.trim() || err.message}`))
      else resolve(JSON.parse(stdout))
    })
  })
}

/** Runs `jobs` (functions of a CPU) with one at a time on each CPU, in order. */
async function pool(jobs) {
  let next = 0
  await Promise.all(
    CPUS.map(async (cpu) => {
      while (next < jobs.length) await jobs[next++](cpu)
    }),
  )
}

/** The same Set-Cookie lines (expires left out) as 2.1.1's on every signed path, for this, floor and the Fetch door. */
function checkBytes(line, byCase) {
  for (const c of CASES) {
    const v2 = byCase[c.mode === 'fetch' ? c.path : c.key]?.v2?.[0]?.setCookie
    if (v2 === undefined || c.mode === 'encrypted') continue
    for (const v of c.variants) {
      const got = byCase[c.key][v][0].setCookie
      if (v !== 'none' && got.join('\n') !== v2.join('\n')) {
        throw new Error(`Node ${line} ${v} ${c.key}: Set-Cookie differs from 2.1.1's\n2.1.1: ${v2.join('\n       ')}\n${v}: ${got.join('\n       ')}`)
      }
    }
  }
}

function summarise(byCase) {
  const cpu = (samples) => median(samples.map((x) => x.cpu))
  return CASES.map((c) => {
    const s = byCase[c.key]
    const own = (v) => cpu(s[v]) - cpu(s.none)
    // 2.1.1 has only the signed mode: the Fetch door compares with it on the same path.
    const v2 = s.v2 ? own('v2') : byCase[c.path]?.v2 && cpu(byCase[c.path].v2) - cpu(byCase[c.path].none)
    const row = { path: c.key, 'none µs': fixed(cpu(s.none), 2) }
    const others = c.variants.filter((v) => v !== 'none')
    for (const v of others) row[`own µs ${v === 'v2' ? '2.1.1' : v}`] = fixed(own(v), 2)
    const targeted = TARGETED.has(c.path)
    for (const v of others.filter((v) => v !== 'floor' && v !== 'v2')) {
      if (s.floor) {
        const r = own(v) / own('floor')
        row[`${v}/floor`] = `${fixed(r, 2)}${targeted && r > TARGET_FLOOR ? ' ✗' : ''}`
      }
      if (v2) {
        const r = own(v) / v2
        row[`${v}/2.1.1`] = `${fixed(r, 2)}${targeted && r > TARGET_V2 ? ' ✗' : ''}`
      }
    }
    return row
  })
}

/** Columns present in some rows only (a mode without 2.1.1) are filled with a dash. */
function fill(rows) {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))]
  return rows.map((r) => Object.fromEntries(cols.map((k) => [k, r[k] ?? '–'])))
}

async function main() {
  const started = Date.now()
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`
  const lines = NODES.map((line) => {
    const node = nodeBinary(line)
    return { line, node, version: execFileSync(node, ['--version'], { encoding: 'utf8' }).trim() }
  })
  console.log(
    `In-process CPU µs per request: ${ROUNDS} rounds × ${ITERATIONS} requests (after ${WARMUP}) per variant and path, a fresh process each; ` +
      `${PIN ? `pinned to CPU ${CPUS.join(' and ')}, one process on each` : 'NOT pinned (no taskset)'}; ` +
      `${os.availableParallelism()} CPUs, load average ${os.loadavg()[0].toFixed(2)}`,
  )
  // samples[line][case key][variant][round] = { cpu, user, system, wall (µs/request), setCookie }
  const samples = Object.fromEntries(NODES.map((l) => [l, Object.fromEntries(CASES.map((c) => [c.key, Object.fromEntries(c.variants.map((v) => [v, []]))]))]))
  for (let round = 0; round < ROUNDS; round++) {
    const lineOrder = round % 2 ? [...lines].reverse() : lines
    const jobs = []
    for (const c of CASES) {
      const order = c.variants.map((_, i) => c.variants[(i + round) % c.variants.length])
      for (const { line, node } of lineOrder) {
        for (const v of order) jobs.push(async (cpu) => samples[line][c.key][v].push(await spawnMeasure(node, cpu, v, c)))
      }
    }
    await pool(jobs)
    if (round === 0) for (const { line } of lines) checkBytes(line, samples[line])
    process.stderr.write(`  round ${round + 1}/${ROUNDS} done (${elapsed()})\n`)
  }

  const results = {}
  for (const { line, version } of lines) {
    results[line] = fill(summarise(samples[line]))
    console.log(`\nNode.js ${version}: own µs per request, medians of ${ROUNDS} rounds\n`)
    console.log(table(results[line]))
  }
  console.log(
    `\nOwn µs = CPU µs per request minus none's. ✗: read, write or new above ${TARGET_FLOOR}× the floor or ${TARGET_V2}× 2.1.1. ` +
      `Took ${elapsed()}; load average ${os.loadavg()[0].toFixed(2)}.`,
  )
  const dir = new URL('../.bench-results/', import.meta.url)
  mkdirSync(dir, { recursive: true })
  const file = new URL(`micro-${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`, dir)
  const settings = { ROUNDS, ITERATIONS, WARMUP, MODES: MODE_LIST, CASES, VARIANTS: VARIANT_LIST, CPUS, PIN, loadavg: os.loadavg() }
  writeFileSync(file, JSON.stringify({ settings, lines, samples, results }, null, 2))
  console.log(`Raw samples: ${fileURLToPath(file)}`)
}

main().catch((err) => {
  console.error(err.message)
  process.exitCode = 1
})
