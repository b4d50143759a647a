// Instructions per request over HTTP, counted by valgrind's callgrind: the
// same Express 5 apps as bench/http.mjs (bench/server.mjs), each run under
// callgrind and sent requests one at a time on a keep-alive connection.
// Counting starts after a warm-up (callgrind_control -i on) and stops after
// the measured requests, so start-up is left out.
//
//   npm run build && node bench/instructions.mjs      (npm run bench:instructions)
//
// It counts http.mjs's variants, with the same two measures: overhead over
// the app without any session (the project's), and each session's own cost,
// over the app that differs from it only by the session (see http.mjs on the
// "dictionary mode" variants).
//
// Unlike req/s, an instruction count hardly depends on what else the machine
// is doing: it is the figure to compare on a shared, noisy machine. It is not
// time (a cache miss costs more than an add), and it counts every thread of
// the server: the garbage collector's, and V8's optimising compiler's. The
// compiler's share depends on when TurboFan happens to run during the window
// more than on the requests, so it is also shown apart, and the ratio to
// 2.1.1 is computed without it.
//
// Environment:
//   BENCH_INSTR_PATHS   comma-separated paths (default read,write,untouched)
//   BENCH_INSTR_WARMUP  requests before counting starts (default 3000)
//   BENCH_INSTR_COUNT   requests counted (default 6000)
// About a minute per variant and path with the defaults (about 20 minutes).
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { COOKIE_HEADER } from './fixtures.mjs'
import { BASELINE, LABEL, printTable, VARIANTS, WITH_COOKIE } from './http.mjs'

const env = process.env
const PATHS = (env.BENCH_INSTR_PATHS ?? 'read,write,untouched').split(',').filter(Boolean)
const WARMUP = Number(env.BENCH_INSTR_WARMUP ?? 3000)
const COUNT = Number(env.BENCH_INSTR_COUNT ?? 6000)

/** Functions of V8's optimising compilers (TurboFan, Maglev) and what they run on. */
const COMPILER = /v8::internal::(compiler|maglev|turboshaft)::|v8::internal::Zone::|Pipeline/

/** Sends `n` GETs to `path`, one after another on one keep-alive connection. */
async function send(port, path, n) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  const headers = WITH_COOKIE[path] ? { cookie: COOKIE_HEADER } : {}
  try {
    for (let i = 0; i < n; i++) {
      await new Promise((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: `/${path}`, agent, headers }, (res) => {
            if (res.statusCode !== 200) reject(new Error(`/${path}: status ${res.statusCode}`))
            res.resume()
            res.on('end', resolve)
          })
          .on('error', reject)
      })
    }
  } finally {
    agent.destroy()
  }
}

/** Instructions per request of `variant` on `path`: all, and those of the optimising compiler. */
async function measure(variant, path) {
  const dir = mkdtempSync(join(tmpdir(), 'cookie-session-callgrind-'))
  const out = join(dir, 'callgrind.out')
  const script = fileURLToPath(new URL('./server.mjs', import.meta.url))
  const args = ['--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${out}`, process.execPath, script, variant]
  const child = spawn('valgrind', args, { stdio: ['ignore', 'pipe', 'ignore'] })
  try {
    const port = await new Promise((resolve, reject) => {
      let text = ''
      child.once('exit', (code) => reject(new Error(`server ${variant} exited with ${code}`)))
      child.stdout.on('data', (chunk) => {
        text += chunk
        const m = /listening (\d+)/.exec(text)
        if (m) resolve(Number(m[1]))
      })
    })
    await send(port, path, WARMUP)
    execFileSync('callgrind_control', ['-i', 'on', String(child.pid)], { stdio: 'ignore' })
    await send(port, path, COUNT)
    execFileSync('callgrind_control', ['-i', 'off', String(child.pid)], { stdio: 'ignore' })
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
    // Self cost per function, as "<count> <name>" lines.
    const listing = execFileSync('callgrind_annotate', ['--inclusive=no', '--threshold=100', out], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    })
    let total = 0
    let compiler = 0
    for (const line of listing.split('\n')) {
      const m = /^\s*([\d,]+)\s+(?:\([^)]*\)\s+)?(.*)$/.exec(line)
      if (m === null || /PROGRAM TOTALS/.test(m[2])) continue
      const count = Number(m[1].replaceAll(',', ''))
      total += count
      if (COMPILER.test(m[2])) compiler += count
    }
    if (total === 0) throw new Error(`no instructions counted for ${variant} /${path}: is valgrind working?`)
    return { total: total / COUNT, compiler: compiler / COUNT }
  } finally {
    child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
}

try {
  execFileSync('valgrind', ['--version'], { stdio: 'ignore' })
} catch {
  console.error('bench/instructions.mjs needs valgrind (Debian package valgrind)')
  process.exit(1)
}

console.log(
  `Instructions per request over HTTP (callgrind, Express 5, ${WARMUP} requests warm-up, ${COUNT} counted, node ${process.version})`,
)
const rows = []
for (const path of PATHS) {
  const counts = {}
  for (const variant of VARIANTS) counts[variant] = await measure(variant, path)
  const work = (v) => counts[v].total - counts[v].compiler
  const over = (v) => work(v) - work('none')
  const own = (v) => work(v) - work(BASELINE[v])
  const k = (n) => (n / 1000).toFixed(1)
  for (const variant of VARIANTS) {
    const { total, compiler } = counts[variant]
    const self = variant === 'this'
    const session = variant !== 'none' && variant !== 'none-dict'
    rows.push({
      path,
      variant: LABEL[variant],
      'k instr/req': k(total),
      'of which compiler': k(compiler),
      'overhead without compiler': variant === 'none' ? '' : k(over(variant)),
      'ratio to 2.1.1': self ? (over('this') / over('v2')).toFixed(2) : '',
      'own cost': session ? k(own(variant)) : '',
      'own cost ratio': self ? (own('this') / own('v2-dict')).toFixed(2) : '',
    })
  }
}
printTable(rows)
