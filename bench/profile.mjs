// CPU profile of one variant on one path under HTTP load.
//
//   npm run build && node bench/profile.mjs <v2|this|none> <read|write|new|destroy> [seconds]
//
// Starts bench/server.mjs under `node --cpu-prof` (pinned to CPU 0 as in
// bench/http.mjs), loads it with wrk (or autocannon) for `seconds` (default
// 5), and prints the self time by function and by module. The .cpuprofile is
// kept in .bench-results/profiles/ (gitignored) for Chrome DevTools.
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { COOKIE_HEADER } from './fixtures.mjs'

const [variant = 'this', path = 'write', seconds = '5'] = process.argv.slice(2)
const dir = fileURLToPath(new URL('../.bench-results/profiles/', import.meta.url))
mkdirSync(dir, { recursive: true })
const script = fileURLToPath(new URL('./server.mjs', import.meta.url))
const pin = spawnSync('sh', ['-c', 'command -v taskset']).status === 0
const hasWrk = spawnSync('sh', ['-c', 'command -v wrk']).status === 0
const nodeArgs = ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${variant}-${path}-${Date.now()}.cpuprofile`, script, variant]
const server = pin
  ? spawn('taskset', ['-c', '0', process.execPath, ...nodeArgs], { stdio: ['ignore', 'pipe', 'inherit'] })
  : spawn(process.execPath, nodeArgs, { stdio: ['ignore', 'pipe', 'inherit'] })

const port = await new Promise((resolve, reject) => {
  let out = ''
  server.once('exit', (code) => reject(new Error(`server exited with ${code}`)))
  server.stdout.on('data', (c) => {
    out += c
    const m = /listening (\d+)/.exec(out)
    if (m) resolve(Number(m[1]))
  })
})
const url = `http://127.0.0.1:${port}/${path}`
const cookie = path === 'new' ? [] : [COOKIE_HEADER]
const load = hasWrk
  ? ['wrk', ['-t1', '-c10', `-d${seconds}s`, ...cookie.flatMap((c) => ['-H', `Cookie: ${c}`]), url]]
  : [
      process.execPath,
      [fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url)), '-c', '10', '-d', seconds, ...cookie.flatMap((c) => ['-H', `Cookie=${c}`]), url],
    ]
const [cmd, args] = pin ? ['taskset', ['-c', '1', load[0], ...load[1]]] : load
const out = spawnSync(cmd, args, { encoding: 'utf8' })
console.log((out.stdout.match(/Requests\/sec:.*/) ?? [out.stdout.trim().split('\n').slice(-3).join('\n')])[0])
server.removeAllListeners('exit')
await new Promise((resolve) => {
  server.once('exit', resolve)
  server.kill('SIGTERM')
})

const file = readdirSync(dir)
  .filter((f) => f.startsWith(`${variant}-${path}-`))
  .map((f) => `${dir}${f}`)
  .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0]
const profile = JSON.parse(readFileSync(file, 'utf8'))

// Self time per node = its sample count x average sample interval.
const counts = new Map()
for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1)
const interval = (profile.endTime - profile.startTime) / profile.samples.length // µs
const total = profile.samples.length
const byFunction = new Map()
const byModule = new Map()
function moduleOf(url) {
  if (!url) return '(native/vm)'
  const nm = url.lastIndexOf('node_modules/')
  if (nm !== -1) {
    const rest = url.slice(nm + 13).split('/')
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]
  }
  if (url.includes('/dist/')) return 'this package (dist)'
  if (url.startsWith('node:')) return url.replace(/^node:internal\/|^node:/, 'node:').split('/')[0]
  return url.replace(/^file:\/\/.*\//, '')
}
for (const node of profile.nodes) {
  const n = counts.get(node.id) ?? 0
  if (!n) continue
  const cf = node.callFrame
  const mod = moduleOf(cf.url)
  const key = `${cf.functionName || '(anonymous)'}  ${mod}${cf.url ? `:${cf.lineNumber + 1}` : ''}`
  byFunction.set(key, (byFunction.get(key) ?? 0) + n)
  byModule.set(mod, (byModule.get(mod) ?? 0) + n)
}
const pct = (n) => `${((100 * n) / total).toFixed(1).padStart(5)}%`
console.log(`\n${file}\n${total} samples, ${interval.toFixed(0)} µs apart\n\nSelf time by module:`)
for (const [k, n] of [...byModule].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${pct(n)}  ${k}`)
console.log('\nSelf time by function (top 30):')
for (const [k, n] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${pct(n)}  ${k}`)
