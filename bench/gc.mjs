// Garbage-collector work per request over HTTP: the same Express 5 apps and
// load as bench/http.mjs, each server run with --trace-gc-nvp, which reports
// every scavenge (young-generation GC) and full GC with the bytes involved.
//
//   npm run build && node bench/gc.mjs
//
// Per request, summed over the measured window:
//   allocated  bytes allocated between collections (as V8 reports at each)
//   survived   bytes that lived through a scavenge (copied or promoted)
//   promoted   bytes moved to the old generation, kept until a full GC
//   scavenge   time in scavenges (µs)       full GC  time in full GCs (µs)
// Byte counts hardly depend on how busy the machine is; times do.
//
// Environment: BENCH_GC_DURATION seconds of load per measurement (default 5),
// BENCH_GC_PATHS (default read,write,untouched), and bench/http.mjs's
// BENCH_WARMUP, BENCH_LOADER, BENCH_CONNECTIONS, BENCH_CPUS.
import { LABEL, load, printTable, startServer, VARIANTS, WARMUP } from './http.mjs'

const DURATION = Number(process.env.BENCH_GC_DURATION ?? 5)
const PATHS = (process.env.BENCH_GC_PATHS ?? 'read,write,untouched').split(',').filter(Boolean)

/** One `--trace-gc-nvp` line as numbers by name, plus the kind (`s` scavenge, `mc`/`ms` full). */
function parseLine(line) {
  const kind = /\bgc=(\w+)/.exec(line)?.[1]
  if (kind === undefined) return undefined
  const fields = { kind }
  for (const [, key, value] of line.matchAll(/(\w[\w.]*)=([\d.]+)/g)) fields[key] = Number(value)
  return fields
}

async function measure(variant, path) {
  const server = await startServer(variant, ['--trace-gc-nvp'])
  try {
    if (WARMUP > 0) await load(server.port, path, WARMUP)
    let text = ''
    const collect = (chunk) => {
      text += chunk
    }
    server.child.stdout.on('data', collect)
    const { requests } = await load(server.port, path, DURATION)
    server.child.stdout.off('data', collect)
    const sum = { allocated: 0, survived: 0, promoted: 0, scavenge: 0, full: 0 }
    for (const line of text.split('\n')) {
      const f = parseLine(line)
      if (f === undefined) continue
      sum.allocated += f.allocated ?? 0
      if (f.kind === 's') {
        sum.survived += f.new_space_survived ?? 0
        sum.promoted += f.promoted ?? 0
        sum.scavenge += f.pause ?? 0
      } else {
        sum.full += f.pause ?? 0
      }
    }
    return {
      path,
      variant: LABEL[variant],
      'allocated B/req': Math.round(sum.allocated / requests),
      'survived B/req': Math.round(sum.survived / requests),
      'promoted B/req': Math.round(sum.promoted / requests),
      'scavenge µs/req': ((sum.scavenge * 1000) / requests).toFixed(1),
      'full GC µs/req': ((sum.full * 1000) / requests).toFixed(1),
    }
  } finally {
    server.child.kill('SIGTERM')
  }
}

const rows = []
for (const path of PATHS) for (const variant of VARIANTS) rows.push(await measure(variant, path))
console.log(`GC per request over HTTP (${DURATION} s of load per row, --trace-gc-nvp)`)
printTable(rows)
