// Micro benchmarks (tinybench): the signing and session paths of this package
// against cookie-session 2.1.1's (`cookies` + `keygrip`), without HTTP.
//
//   npm run build && npx tsx bench/micro.mjs
//
// Run under tsx: the signer and codec rows import the TypeScript sources
// (src/signer.ts, src/codec.ts); the middleware rows load the built package.
// Environment: BENCH_MICRO_TIME (ms per task and round, default 300),
// BENCH_MICRO_ROUNDS (default 3). Each round runs every task once, 2.1.1 and
// this package back to back; the table shows the median over rounds of each
// task's median latency, and the median over rounds of the per-round ratio.
import { createRequire } from 'node:module'
import Cookies from 'cookies'
import Keygrip from 'keygrip'
import { Bench } from 'tinybench'
import { decode, encode } from '../src/codec.ts'
import { HmacSigner } from '../src/signer.ts'
import { COOKIE_HEADER, KEYS, NAME, SESSION, SIG, VALUE } from './fixtures.mjs'
import { loadVariants, MockRequest, MockResponse, request } from './mock.mjs'

const require = createRequire(import.meta.url)
// 2.1.1 uses its own copy of `cookies` (0.9.1); the signing code is the same as 0.9.2's.
const Cookies2 = require('cookie-session-2/node_modules/cookies')
const TIME = Number(process.env.BENCH_MICRO_TIME ?? 300)
const ROUNDS = Number(process.env.BENCH_MICRO_ROUNDS ?? 3)

const keygrip = new Keygrip(KEYS)
const signer = new HmacSigner(KEYS)
const DATA = `${NAME}=${VALUE}`
// Like the real req.sessionOptions: a fresh object per request, every option
// inherited from the middleware's options (so `cookies.set` copies them
// through the prototype chain, as it does in an app).
const MIDDLEWARE_OPTS = { name: NAME, keys: KEYS, overwrite: true, httpOnly: true, signed: true }
const sessionOptions = () => Object.create(MIDDLEWARE_OPTS)
if (signer.sign(DATA) !== SIG || signer.index(DATA, SIG) !== 0) throw new Error('signer disagrees with keygrip')

// Second key: rotation, the verifier has to try both keys.
const OLD_SIG = new Keygrip([KEYS[1]]).sign(DATA)

const v2Decode = (str) => JSON.parse(Buffer.from(str, 'base64').toString('utf8'))
const v2Encode = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64')

const pairs = [
  ['sign', () => keygrip.sign(DATA), () => signer.sign(DATA)],
  ['verify (first key)', () => keygrip.index(DATA, SIG), () => signer.index(DATA, SIG)],
  ['verify (second key)', () => keygrip.index(DATA, OLD_SIG), () => signer.index(DATA, OLD_SIG)],
  [
    'decode+verify (cookies.get + parse)',
    () => v2Decode(new Cookies2(new MockRequest(COOKIE_HEADER), new MockResponse(), { keys: KEYS }).get(NAME, sessionOptions())),
    () => decode(new Cookies(new MockRequest(COOKIE_HEADER), new MockResponse(), { keys: signer }).get(NAME, sessionOptions())),
  ],
  [
    'encode+sign (serialise + cookies.set)',
    () => new Cookies2(new MockRequest(), new MockResponse(), { keys: KEYS }).set(NAME, v2Encode(SESSION), sessionOptions()),
    () => new Cookies(new MockRequest(), new MockResponse(), { keys: signer }).set(NAME, encode(SESSION), sessionOptions()),
  ],
]

const mw = await loadVariants()
// "untouched": the handler never reads req.session.
for (const path of ['read', 'write', 'new', 'destroy', 'untouched']) {
  const p = path
  const run = (m) => () => request(m, p)
  pairs.push([`middleware: ${path}`, run(mw.v2), run(mw.this), run(mw.none)])
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

const rounds = []
for (let round = 0; round < ROUNDS; round++) {
  const bench = new Bench({ time: TIME, warmupTime: 100 })
  for (const [name, v2, self, none] of pairs) {
    bench.add(`${name} | 2.1.1`, v2)
    bench.add(`${name} | this`, self)
    if (none) bench.add(`${name} | none`, none)
  }
  await bench.run()
  const us = (name) => {
    const r = bench.getTask(name)?.result
    if (!r?.latency) throw new Error(`${name}: ${r?.state} ${r?.error ?? ''}`)
    return r.latency.p50 * 1000
  }
  rounds.push(
    pairs.map(([name, , , none]) => ({ v2: us(`${name} | 2.1.1`), self: us(`${name} | this`), base: none ? us(`${name} | none`) : 0 })),
  )
}

const rows = pairs.map(([name, , , none], i) => {
  const r = rounds.map((round) => round[i])
  return {
    benchmark: name,
    '2.1.1 µs': median(r.map((x) => x.v2)).toFixed(2),
    'this µs': median(r.map((x) => x.self)).toFixed(2),
    'baseline µs': none ? median(r.map((x) => x.base)).toFixed(2) : '',
    'this / 2.1.1': median(r.map((x) => (x.self - x.base) / (x.v2 - x.base))).toFixed(2),
  }
})
console.log(
  `Micro benchmarks (tinybench; median latency, median of ${ROUNDS} rounds; middleware rows: ratio of the ` +
    `costs above a no-session baseline), node ${process.version}`,
)
console.table(rows)
