// Where a variant's CPU time goes on one path, with `node --cpu-prof`: top self time by function and by module.
//
//   npm run build && node bench/profile.mjs [variant] [path] [node line] [seconds]
//   (defaults: this write 26 10; variants of bench/server.mjs, paths of bench/run.mjs)
//   npm run build && node bench/profile.mjs --micro [variant] [mode] [path] [node line] [iterations]
//   (defaults: this signed read 26 300000; variants and modes of bench/micro-harness.mjs)
//
// Over HTTP, the server and the load generator are started and pinned as in
// bench/run.mjs (BENCH_CONNECTIONS and BENCH_CPUS apply): 2 s of warm-up,
// then the load. With --micro, the in-process harness of bench/micro.mjs
// runs alone, pinned to the first of BENCH_CPUS. The profile covers
// everything (start-up included); the .cpuprofile is kept in
// .bench-results/profiles/ for Chrome DevTools.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { check, hasTaskset, measure, nodeBinary, spawnNode, startServer } from './run.mjs'

const dir = fileURLToPath(new URL('../.bench-results/profiles/', import.meta.url))
mkdirSync(dir, { recursive: true })
const CPUS = (process.env.BENCH_CPUS ?? '0,1').split(',')
let name
if (process.argv[2] === '--micro') {
  const [variant = 'this', mode = 'signed', path = 'read', line = '26', iterations = '300000'] = process.argv.slice(3)
  name = `micro-${variant}-${mode}-${path}-node${line}-${Date.now()}.cpuprofile`
  const argv = [nodeBinary(line), '--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`]
  argv.push(fileURLToPath(new URL('./micro-harness.mjs', import.meta.url)), variant, mode, path, iterations)
  const [cmd, ...args] = hasTaskset() ? ['taskset', '-c', CPUS[0], ...argv] : argv
  const m = JSON.parse(execFileSync(cmd, args, { encoding: 'utf8' }))
  console.log(`${variant} ${mode} /${path} on Node ${line}, in process: ${m.cpu.toFixed(2)} CPU µs/req (profiler on)`)
} else {
  const [variant = 'this', path = 'write', line = '26', seconds = '10'] = process.argv.slice(2)
  name = `${variant}-${path}-node${line}-${Date.now()}.cpuprofile`
  const node = nodeBinary(line)
  const server = await startServer(line, node, variant, ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`])
  const loader = spawnNode(process.execPath, CPUS[1], './load.mjs', [])
  try {
    await check([server])
    await measure(loader, server, path, 2)
    const m = await measure(loader, server, path, Number(seconds))
    console.log(`${variant} /${path} on Node ${line}: ${m.cpu.toFixed(1)} CPU µs/req (profiler on), ${Math.round(m.rps)} req/s`)
  } finally {
    loader.kill('SIGTERM')
    await new Promise((resolve) => {
      server.child.once('exit', resolve)
      server.child.kill('SIGTERM')
    })
  }
}

const profile = JSON.parse(readFileSync(`${dir}${name}`, 'utf8'))
// Self time = samples whose top frame is the function; idle samples left out.
const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id))
const counts = new Map()
for (const id of profile.samples) if (!idle.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1)
const total = [...counts.values()].reduce((a, b) => a + b, 0)
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
for (const n of profile.nodes) {
  const c = counts.get(n.id) ?? 0
  if (!c) continue
  const f = n.callFrame
  const mod = moduleOf(f.url)
  const key = `${f.functionName || '(anonymous)'}  ${mod}${f.url ? `:${f.lineNumber + 1}` : ''}`
  byFunction.set(key, (byFunction.get(key) ?? 0) + c)
  byModule.set(mod, (byModule.get(mod) ?? 0) + c)
}
const pct = (c) => `${((100 * c) / total).toFixed(1).padStart(5)}%`
console.log(`\n${dir}${name}\n${total} busy samples (${profile.samples.length - total} idle left out)\n\nSelf time by module:`)
for (const [k, c] of [...byModule].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${pct(c)}  ${k}`)
const TOP = Number(process.env.PROFILE_TOP ?? 30)
console.log(`\nSelf time by function (top ${TOP}):`)
for (const [k, c] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`  ${pct(c)}  ${k}`)
