// Differential test: this package against cookie-session 2.1.1 (the oracle),
// on generated options, incoming cookies and handler programs, over real HTTP
// on all four hosts. Identical status, body and Set-Cookie are required.
//
//   FC_SEED=123 npx vitest run test/differential.test.ts   (another seed)
//   FC_RUNS=5000 npx vitest run test/differential.test.ts  (more cases)
//   FC_SEED=123 FC_PATH="21:0:3" npx vitest run ...       (replay the failing case fast-check printed)
//
// Deliberate differences left out of the generated space (each is tested on
// its own elsewhere or below):
// - option values that we reject with a TypeError at construction (2.1.1
//   accepts them and then silently fails to set the cookie on every request):
//   only valid option values are generated;
// - a cookie payload that is JSON but not an object: we start a new session
//   (see the separate test at the end of this file);
// - the `rolling` option and `regenerate()`/`save()` (additions); reading a
//   `regenerate`/`save` key that is not in the data is reported as "method";
// - warnings (process.emitWarning): muted here;
// - reading, writing or deleting `req.session._ctx` (2.1.1's context was an
//   own read-only property; ours has no own property but the data).
// One difference stays in the generated space, compared by its own rule
// (expectReissued): a valid cookie signed with a key other than the first,
// read by the handler, is re-issued whole (value and `.sig`, with every
// attribute) where 2.1.1 re-sent `.sig` alone; everything else on that
// response must match 2.1.1.
import type { Server } from 'node:http'
import { createServer } from 'node:http'
import fc from 'fast-check'
import Keygrip from 'keygrip'
import oracle from 'cookie-session-2'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import cookieSession from '../src/index.js'
import { fetchDoorMiddleware } from './support/fetch-door-middleware.js'
import { type Host, hosts, type Middleware, sendJson } from './support/hosts.js'
import { CookieJar, get, keepAliveAgent, type Reply } from './support/proof.js'

const SEED = Number(process.env.FC_SEED ?? 0x5e55) // 24149
const RUNS = Number(process.env.FC_RUNS ?? 1000)
const HOST = 'www.example.com'
const PATH = '/app/page'

// ---------------------------------------------------------------------------
// The generated space

/** Data keys: ordinary, reserved by the session, and on every object. */
const KEYS = [
  'a',
  'views',
  'user',
  'x y',
  'é',
  '',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isNew',
  'isChanged',
  'isPopulated',
  '_ctx',
  'regenerate',
  'save',
  'length',
] as const
const keyArb = fc.constantFrom(...KEYS)
const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom(1, 'x;y', 'ünï©ødé 💥', { isChanged: true, isPopulated: true }, [1, [2]]) },
)
const entriesArb = fc.array(fc.tuple(keyArb, valueArb), { maxLength: 4 })

type KeysKind = 'one' | 'two' | 'rotated' | 'buffer' | 'keygrip256' | 'secret' | 'none'
const K1 = 'primary secret'
const K2 = 'secondary secret'

interface OptionSpec {
  name?: string
  keys: KeysKind
  signed?: boolean
  httpOnly?: boolean
  overwrite?: boolean
  maxAge?: number
  expires?: number
  path?: string
  domain?: string
  sameSite?: boolean | string
  partitioned?: boolean
  priority?: string
  secure?: boolean
}

const NAMES = ['session', 'sess', 'my.app', 'S', 'a-b_c', "x!#$%&'*+^`|~", 'a"b', 'séss', 'app[id]']
const PATHS = ['/', '/app', '/app/', '/app/page', '/other', '', '/a b', '/app/page/deeper']
const DOMAINS = ['example.com', '.example.com', 'www.example.com', 'EXAMPLE.com', 'other.org', '']
const SAME_SITES = [true, false, 'strict', 'lax', 'none', 'Strict', 'LAX', 'None', 'nOnE', '']
const PRIORITIES = ['low', 'Medium', 'HIGH', '']
// 1e14: far (year 5138) yet a Date; past 8.64e15 ms (no Date) this package refuses what 2.1.1 wrote as `expires=Invalid Date`.
const MAX_AGES = [0, 1, 1000, 1.5, 60_000, 86_400_000, -1000, 2 ** 31, 1e14]

const optionArb: fc.Arbitrary<OptionSpec> = fc
  .record(
    {
      name: fc.constantFrom(...NAMES),
      keys: fc.constantFrom<KeysKind>('one', 'two', 'rotated', 'buffer', 'keygrip256', 'secret', 'none'),
      signed: fc.boolean(),
      httpOnly: fc.boolean(),
      overwrite: fc.boolean(),
      maxAge: fc.oneof(fc.constantFrom(...MAX_AGES), fc.integer({ min: -1e9, max: 1e10 })),
      expires: fc.integer({ min: -1e9, max: 1e11 }),
      path: fc.constantFrom(...PATHS),
      domain: fc.constantFrom(...DOMAINS),
      sameSite: fc.constantFrom(...SAME_SITES),
      partitioned: fc.boolean(),
      priority: fc.constantFrom(...PRIORITIES),
      // secure: true on plain HTTP makes `cookies` throw on every write: a
      // valid option that sends no cookie, in both packages. Kept rarer.
      secure: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    },
    { requiredKeys: ['keys'] },
  )
  // Without keys a signed session cannot be built (both throw `.keys required.`).
  .filter((o) => o.keys !== 'none' || o.signed === false)

type IncomingKind =
  | 'none'
  | 'valid'
  | 'secondary'
  | 'foreignKey'
  | 'missingSig'
  | 'emptySig'
  | 'badSig'
  | 'quotedSig'
  | 'sigOfOther'
  | 'sigFirst'
  | 'garbage'
  | 'invalidJson'
  | 'quoted'
  | 'empty'
  | 'duplicate'

interface IncomingSpec {
  kind: IncomingKind
  payload: [string, unknown][]
  garbage: string
  before: string[]
  after: string[]
}

function isNonObjectJson(base64: string): boolean {
  try {
    const v = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'))
    return typeof v !== 'object' || v === null || Array.isArray(v)
  } catch {
    return false
  }
}

const OTHERS = ['a=1', 'x=y', 'foo="bar"', 'other.sig=abc', '{n}x=1', 'x{n}=2', '{n}.sigx=3', 'z=', 'q=%20']
const incomingArb: fc.Arbitrary<IncomingSpec> = fc.record({
  kind: fc.constantFrom<IncomingKind>(
    'none',
    'valid',
    'valid',
    'valid',
    'secondary',
    'foreignKey',
    'missingSig',
    'emptySig',
    'badSig',
    'quotedSig',
    'sigOfOther',
    'sigFirst',
    'garbage',
    'invalidJson',
    'quoted',
    'empty',
    'duplicate',
  ),
  payload: entriesArb,
  // Garbage that happens to decode to JSON (e.g. "MA" is "0") but not to an object is the deliberate difference.
  garbage: fc
    .string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_'), maxLength: 24 })
    .filter((g) => !isNonObjectJson(g)),
  before: fc.array(fc.constantFrom(...OTHERS), { maxLength: 2 }),
  after: fc.array(fc.constantFrom(...OTHERS), { maxLength: 2 }),
})

type Op =
  | { op: 'read'; key: string }
  | { op: 'set'; key: string; value: unknown }
  | { op: 'delete'; key: string }
  | { op: 'null' }
  | { op: 'assign'; entries: [string, unknown][] }
  | { op: 'assignInherited'; entries: [string, unknown][] }
  | { op: 'assignEmpty' }
  | { op: 'assignSelf' }
  | { op: 'assignString'; value: string }
  | { op: 'flags' }
  | { op: 'keys' }
  | { op: 'option'; key: string; value: unknown }
  | { op: 'readOption'; key: string }
  | { op: 'preSetCookie'; values: string[] }

const OPTION_CHANGES: fc.Arbitrary<{ key: string; value: unknown }> = fc.oneof(
  fc.record({ key: fc.constant('maxAge'), value: fc.constantFrom(undefined, ...MAX_AGES) }),
  fc.record({ key: fc.constant('expires'), value: fc.constantFrom(undefined, 'past', 'future') }),
  fc.record({ key: fc.constantFrom('httpOnly', 'overwrite', 'signed', 'partitioned', 'secure'), value: fc.boolean() }),
  fc.record({ key: fc.constant('sameSite'), value: fc.constantFrom(...SAME_SITES) }),
  fc.record({ key: fc.constant('priority'), value: fc.constantFrom(...PRIORITIES) }),
  fc.record({ key: fc.constant('path'), value: fc.constantFrom(...PATHS) }),
  fc.record({ key: fc.constant('domain'), value: fc.constantFrom(...DOMAINS) }),
  // No effect in either package (name and keys are read once, at construction).
  fc.record({ key: fc.constantFrom('name', 'keys'), value: fc.constantFrom('renamed', ['other key']) }),
  // Invalid per request: `cookies` throws while writing, the response goes on without a cookie.
  fc.record({ key: fc.constantFrom('sameSite', 'priority'), value: fc.constant('bogus') }),
)

const OPTION_NAMES = ['name', 'signed', 'httpOnly', 'overwrite', 'maxAge', 'path', 'domain', 'sameSite', 'keys', 'secret']

// Not reading, writing or deleting `req.session._ctx` (still generated in payloads and assigned
// objects, where both packages must ignore it): 2.1.1 kept its context in an own, read-only,
// non-configurable `_ctx` (strict mode: both throw), ours has no own property but the data
// (test/session.test.ts, "read-only getters"); its `_ctx` is a getter that a replaced prototype removes.
const accessKeyArb = keyArb.filter((k) => k !== '_ctx')

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('read' as const), key: accessKeyArb }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('set' as const), key: accessKeyArb, value: valueArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), key: accessKeyArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('null' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('assign' as const), entries: entriesArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('assignInherited' as const), entries: entriesArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('assignEmpty' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('assignSelf' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('assignString' as const), value: fc.string({ maxLength: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('flags' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('keys' as const) }) },
  { weight: 3, arbitrary: OPTION_CHANGES.map((c) => ({ op: 'option' as const, ...c })) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('readOption' as const), key: fc.constantFrom(...OPTION_NAMES) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('preSetCookie' as const),
      values: fc.array(fc.constantFrom('{n}=pre; path=/', '{n}.sig=presig', 'other=1', '{n}x=2'), {
        minLength: 1,
        maxLength: 3,
      }),
    }),
  },
)

interface Program {
  ops: Op[]
  /** Report the session (data and flags) in the body. Off, the session may never be touched. */
  report: boolean
}
const programArb: fc.Arbitrary<Program> = fc.record({
  ops: fc.array(opArb, { maxLength: 8 }),
  report: fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
})

interface Case {
  host: number
  options: OptionSpec
  incoming: IncomingSpec
  first: Program
  second: Program
}
const caseArb: fc.Arbitrary<Case> = fc.record({
  host: fc.integer({ min: 0, max: hosts.length - 1 }),
  options: optionArb,
  incoming: incomingArb,
  first: programArb,
  second: programArb,
})

// ---------------------------------------------------------------------------
// Building a case

function keyList(kind: KeysKind): (string | Buffer)[] {
  switch (kind) {
    case 'one':
    case 'secret':
      return [K1]
    case 'two':
    case 'keygrip256':
      return [K1, K2]
    case 'rotated':
      return [K2, K1]
    case 'buffer':
      return [Buffer.from(K1), Buffer.from(K2)]
    case 'none':
      return []
  }
}

/** The options object for one package (each package fills defaults into its own). */
function buildOptions(spec: OptionSpec): Record<string, unknown> {
  const o: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(spec)) {
    if (k === 'keys') continue
    o[k] = k === 'expires' ? new Date(Date.now() + (v as number)) : v
  }
  if (spec.keys === 'secret') o.secret = K1
  else if (spec.keys === 'keygrip256') o.keys = new Keygrip([K1, K2], 'sha256')
  else if (spec.keys !== 'none') o.keys = keyList(spec.keys)
  return o
}

function signWith(key: string | Buffer, spec: OptionSpec, data: string): string {
  return new Keygrip([key as string], spec.keys === 'keygrip256' ? 'sha256' : 'sha1').sign(data)
}

/** JSON text of `entries`, keeping `__proto__` and duplicates as written. */
function jsonText(entries: [string, unknown][]): string {
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`
}

function b64(text: string): string {
  return Buffer.from(text).toString('base64')
}

function cookieNameOf(spec: OptionSpec): string {
  return spec.name || 'session'
}

/** The Cookie header of the first request. */
function renderIncoming(spec: OptionSpec, inc: IncomingSpec): string | undefined {
  const name = cookieNameOf(spec)
  const keys = keyList(spec.keys)
  const primary = keys[0] ?? K1
  const secondary = keys[1] ?? primary
  const value = b64(jsonText(inc.payload))
  const sig = (v: string, key = primary) => signWith(key, spec, `${name}=${v}`)
  let main: string[]
  switch (inc.kind) {
    case 'none':
      main = []
      break
    case 'valid':
      main = [`${name}=${value}`, `${name}.sig=${sig(value)}`]
      break
    case 'secondary':
      main = [`${name}=${value}`, `${name}.sig=${sig(value, secondary)}`]
      break
    case 'foreignKey':
      main = [`${name}=${value}`, `${name}.sig=${sig(value, 'not one of the keys')}`]
      break
    case 'missingSig':
      main = [`${name}=${value}`]
      break
    case 'emptySig':
      main = [`${name}=${value}`, `${name}.sig=`]
      break
    case 'badSig':
      main = [`${name}=${value}`, `${name}.sig=${inc.garbage || 'x'}`]
      break
    case 'quotedSig':
      main = [`${name}=${value}`, `${name}.sig="${sig(value)}"`]
      break
    case 'sigOfOther':
      main = [`${name}=${value}`, `${name}.sig=${sig(b64('{"other":1}'))}`]
      break
    case 'sigFirst':
      main = [`${name}.sig=${sig(value)}`, `${name}=${value}`]
      break
    case 'garbage':
      main = [`${name}=${inc.garbage}`, `${name}.sig=${sig(inc.garbage)}`]
      break
    case 'invalidJson': {
      const broken = b64(jsonText(inc.payload).slice(0, -1))
      main = [`${name}=${broken}`, `${name}.sig=${sig(broken)}`]
      break
    }
    case 'quoted':
      main = [`${name}="${value}"`, `${name}.sig=${sig(value)}`]
      break
    case 'empty':
      main = [`${name}=`, `${name}.sig=${sig('')}`]
      break
    case 'duplicate': {
      const other = b64('{"forged":true}')
      main = [`${name}=${value}`, `${name}.sig=${sig(value)}`, `${name}=${other}`, `${name}.sig=${sig(other)}`]
      break
    }
  }
  const others = (list: string[]) => list.map((c) => c.replaceAll('{n}', name))
  const all = [...others(inc.before), ...main, ...others(inc.after)]
  return all.length ? all.join('; ') : undefined
}

// ---------------------------------------------------------------------------
// The handler: runs a program, reports what it saw

function describeValue(v: unknown): unknown {
  if (v === undefined) return '<undefined>'
  if (typeof v === 'function') return '<function>'
  try {
    return JSON.parse(JSON.stringify(v) ?? '"<unserialisable>"')
  } catch {
    return '<unserialisable>'
  }
}

function errorOf(e: unknown, full: boolean): unknown {
  const err = e as Error
  // Messages of engine TypeErrors (e.g. assigning a getter-only property in
  // strict mode) name internals; the error class is what an app can rely on.
  return { error: err?.constructor?.name, message: full ? err?.message : undefined }
}

function flagsOf(s: any): unknown {
  if (s === null || s === undefined) return describeValue(s)
  return { isNew: describeValue(s.isNew), isChanged: describeValue(s.isChanged), isPopulated: describeValue(s.isPopulated) }
}

function fromEntries(entries: [string, unknown][]): object {
  return JSON.parse(jsonText(entries))
}

function step(req: any, res: any, op: Op, name: string): unknown {
  switch (op.op) {
    case 'read': {
      const s = req.session
      if (s === null) return { read: op.key, session: null }
      if (Object.hasOwn(s, op.key)) return { read: op.key, own: describeValue(s[op.key]) }
      // regenerate()/save() are methods we add (for Passport); 2.1.1 has none.
      if (op.key === 'regenerate' || op.key === 'save') return { read: op.key, method: true }
      return { read: op.key, inherited: typeof s[op.key] }
    }
    case 'set':
      req.session[op.key] = structuredClone(op.value)
      return 'set'
    case 'delete':
      return { deleted: delete req.session[op.key] }
    case 'null':
      req.session = null
      return { after: describeValue(req.session) }
    case 'assign':
      req.session = fromEntries(op.entries)
      return 'assigned'
    case 'assignInherited':
      req.session = Object.assign(Object.create({ inherited: 1, views: 'proto' }), fromEntries(op.entries))
      return 'assigned'
    case 'assignEmpty':
      req.session = {}
      return 'assigned'
    case 'assignSelf': {
      // A copy of itself: a new session with the same data (isNew again).
      const current = req.session
      req.session = current
      return 'assigned'
    }
    case 'assignString':
      try {
        req.session = op.value
        return 'no error'
      } catch (e) {
        return errorOf(e, true)
      }
    case 'flags':
      return flagsOf(req.session)
    case 'keys':
      return req.session === null ? null : Object.keys(req.session)
    case 'option': {
      let value = op.value
      if (value === 'past') value = new Date(Date.now() - 86_400_000)
      if (value === 'future') value = new Date(Date.now() + 86_400_000)
      req.sessionOptions[op.key] = value
      return 'option'
    }
    case 'readOption':
      return { option: op.key, value: describeValue(req.sessionOptions[op.key]) }
    case 'preSetCookie':
      res.setHeader(
        'Set-Cookie',
        op.values.map((v) => v.replaceAll('{n}', name)),
      )
      return 'preset'
  }
}

function runProgram(req: any, res: any, program: Program, name: string): void {
  const trace: unknown[] = []
  for (const op of program.ops) {
    try {
      trace.push(step(req, res, op, name))
    } catch (e) {
      trace.push(errorOf(e, false))
    }
  }
  let final: unknown = 'not reported'
  if (program.report) {
    try {
      const s = req.session
      final = s === null ? null : { data: describeValue(s), flags: flagsOf(s), keys: Object.keys(s) }
    } catch (e) {
      final = errorOf(e, true)
    }
  }
  sendJson(res, { trace, final })
}

// ---------------------------------------------------------------------------
// Servers: one per host per package, dispatching on a per-request registry

/** The implementations: this package's middleware, 2.1.1, and the Fetch door behind the middleware adapter. */
type Pkg = 'ours' | 'oracle' | 'fetch'
const PKGS: readonly Pkg[] = ['ours', 'oracle', 'fetch']
const FACTORIES: Record<Pkg, (options: Record<string, unknown>) => Middleware> = {
  ours: cookieSession as (options: Record<string, unknown>) => Middleware,
  oracle,
  fetch: fetchDoorMiddleware,
}
interface Registered {
  middleware: Partial<Record<Pkg, Middleware>>
  programs: [Program, Program]
  name: string
}
const registry = new Map<string, Registered>()

function lookup(req: any): Registered {
  const entry = registry.get(String(req.headers['x-case']))
  if (!entry) throw new Error(`unknown case ${req.headers['x-case']}`)
  return entry
}

function appFor(host: Host, pkg: Pkg) {
  return host.create(
    (req, res, next) => lookup(req).middleware[pkg]!(req, res, next),
    (req, res) => {
      const entry = lookup(req)
      runProgram(req, res, entry.programs[Number(req.headers['x-step'])]!, entry.name)
    },
  )
}

const servers: Server[] = []
const urls: Record<Pkg, string>[] = []
const agent = keepAliveAgent(4)

async function start(listener: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(listener)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return `http://127.0.0.1:${address.port}`
}

beforeAll(async () => {
  // Warnings (too large, not set) are ours only; keep them out of the output.
  vi.spyOn(process, 'emitWarning').mockImplementation(() => {})
  for (const host of hosts) {
    const url = {} as Record<Pkg, string>
    for (const pkg of PKGS) url[pkg] = await start(appFor(host, pkg))
    urls.push(url)
  }
})

afterAll(async () => {
  agent.destroy()
  vi.restoreAllMocks()
  await Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections()
          s.close(() => resolve())
        }),
    ),
  )
})

// ---------------------------------------------------------------------------
// Comparing replies

const EPOCH_CUTOFF = Date.UTC(2000, 0, 1)

interface Normalised {
  status: number
  body: unknown
  cookies: { text: string; offset: number | undefined }[]
}

/** Status, parsed body and Set-Cookie with `expires` turned into seconds from the Date header. */
function normalise(reply: Reply): Normalised {
  const date = Date.parse(String(reply.headers.date))
  const cookies = reply.setCookie.map((line) => {
    let offset: number | undefined
    const text = line.replace(/expires=([^;]*)/, (all, value: string) => {
      const t = Date.parse(value)
      if (Number.isNaN(t) || t < EPOCH_CUTOFF) return all
      offset = Math.round((t - date) / 1000)
      return 'expires=<offset>'
    })
    return { text, offset }
  })
  let body: unknown
  try {
    body = JSON.parse(reply.body)
  } catch {
    body = reply.body
  }
  return { status: reply.status, body, cookies }
}

function expectSame(ours: Reply, theirs: Reply, label: string): void {
  const a = normalise(ours)
  const b = normalise(theirs)
  expect(a.status, `${label}: status`).toBe(b.status)
  expect(a.body, `${label}: body`).toEqual(b.body)
  expect(
    a.cookies.map((c) => c.text),
    `${label}: Set-Cookie`,
  ).toEqual(b.cookies.map((c) => c.text))
  a.cookies.forEach((c, i) => {
    const o = b.cookies[i]!.offset
    if (c.offset === undefined || o === undefined) expect(c.offset, `${label}: expires`).toBe(o)
    // Two seconds either way: the two requests do not run in the same instant, and Node's
    // Date header is cached for up to a second (longer on a busy machine).
    else expect(Math.abs(c.offset - o), `${label}: expires offset ${c.offset} vs ${o}`).toBeLessThanOrEqual(2)
  })
}

/**
 * The deliberate difference (README, "Differences"): a valid cookie signed with
 * a key other than the first, when the session is read, is re-issued whole
 * (value and `.sig`, with the configured attributes, signed with the first
 * key), where 2.1.1 re-sent `.sig` alone without them. True for such a reply
 * of 2.1.1's: one that holds that bare `.sig` line.
 */
function isReissue(c: Case, cookie: string | undefined, name: string): boolean {
  const found = incomingPair(cookie, name)
  if (found === undefined || keyList(c.options.keys).length < 2) return false
  const keys = keyList(c.options.keys) as string[]
  return new Keygrip(keys, c.options.keys === 'keygrip256' ? 'sha256' : 'sha1').index(`${name}=${found.value}`, found.sig) > 0
}

/** The session cookie and `.sig` values of a Cookie header, found as `cookies` finds them. */
function incomingPair(cookie: string | undefined, name: string): { value: string; sig: string } | undefined {
  const find = (n: string) => {
    const m = new RegExp(`(?:^|;) *${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}=([^;]*)`).exec(cookie ?? '')
    return m ? (m[1] as string).replace(/^"(.*)"$/, '$1') : undefined
  }
  const value = find(name)
  const sig = find(`${name}.sig`)
  return value === undefined || !sig ? undefined : { value, sig }
}

/** `name` as a Set-Cookie line reads here: UTF-8 bytes, decoded by the HTTP client as latin1. */
function onTheWire(name: string): string {
  return Buffer.from(name).toString('latin1')
}

/** Where `cookies` re-signed `.sig` alone while reading `cookie`: its value, signed with the first key, with no attribute of the options. */
function bareSig(c: Case, cookie: string | undefined, lines: readonly string[], name: string): number {
  const found = incomingPair(cookie, name)
  if (found === undefined) return -1
  const primary = keyList(c.options.keys)[0] as string
  return lines.indexOf(`${onTheWire(name)}.sig=${signWith(primary, c.options, `${name}=${found.value}`)}; path=/; httponly`)
}

/** The value an option has on this step's response: the last change a program made, or the middleware's. */
function optionOf(c: Case, program: Program, key: string): unknown {
  let value: unknown = (c.options as unknown as Record<string, unknown>)[key]
  for (const op of program.ops) if (op.op === 'option' && op.key === key) value = op.value
  return value
}

/** Whether every write of this step's response fails in `cookies` (an invalid option, `secure` on plain HTTP). */
function writeFails(c: Case, program: Program): boolean {
  const bogus = program.ops.some((op) => op.op === 'option' && op.value === 'bogus')
  return bogus || optionOf(c, program, 'secure') === true
}

/** Ours re-issued the pair where 2.1.1 re-sent `.sig` alone; everything else as 2.1.1. */
function expectReissued(
  c: Case,
  program: Program,
  cookie: string | undefined,
  ours: Reply,
  theirs: Reply,
  name: string,
  label: string,
): void {
  const a = normalise(ours)
  const b = normalise(theirs)
  expect(a.status, `${label}: status`).toBe(b.status)
  expect(a.body, `${label}: body`).toEqual(b.body)
  const bare = bareSig(c, cookie, theirs.setCookie, name)
  const rest = b.cookies.filter((_x, i) => i !== bare).map((x) => x.text)
  const mine = a.cookies.map((x) => x.text)
  // Where 2.1.1 wrote a pair anyway (the session changed or was destroyed), or where every write
  // fails on this response (COOKIE_SESSION_NOT_SET), the same lines; otherwise ours adds the pair.
  // (2.1.1 re-signed nothing when the session was not read, or the handler replaced the headers after.)
  const signed = optionOf(c, program, 'signed') !== false
  const wroteSession = signed
    ? rest.some((t, i) => rest[i + 1]?.startsWith(`${t.slice(0, t.indexOf('='))}.sig=`))
    : rest.some((t) => t.startsWith(`${onTheWire(String(optionOf(c, program, 'name') ?? name))}=`))
  if (JSON.stringify(mine) === JSON.stringify(rest)) {
    expect(bare === -1 || wroteSession || writeFails(c, program), `${label}: no re-issued pair`).toBe(true)
    return
  }
  // Signing turned off for this response (`signed: false`): the value alone, unsigned.
  const reissued = mine.slice(signed ? -2 : -1)
  expect(reissued.length, `${label}: re-issued pair`).toBe(signed ? 2 : 1)
  const pair = Buffer.from((reissued[0] as string).split(';')[0] as string, 'latin1').toString()
  const written = pair.slice(0, pair.indexOf('='))
  // 2.1.1 wrote no pair here, so the session did not change: what is re-issued is the value that came in.
  expect(pair.slice(written.length + 1), `${label}: value of the re-issued pair`).toBe(incomingPair(cookie, name)?.value)
  const primary = keyList(c.options.keys)[0] as string
  if (signed) {
    expect(Buffer.from(reissued[1] as string, 'latin1').toString().split(';')[0], `${label}: .sig of the re-issued pair`).toBe(
      `${written}.sig=${signWith(primary, c.options, pair)}`,
    )
  }
  // Overwriting (the default) drops what the handler had set under the same names.
  const wire = onTheWire(written)
  const overwrites = (optionOf(c, program, 'overwrite') ?? true) === true
  const kept = overwrites ? rest.filter((t) => !t.startsWith(`${wire}=`) && !t.startsWith(`${wire}.sig=`)) : rest
  expect(mine.slice(0, -reissued.length), `${label}: Set-Cookie before the re-issued pair`).toEqual(kept)
}

// ---------------------------------------------------------------------------
// The property

let counter = 0
type Stats = { cases: number; withCookie: number; followUpWithSession: number; loadedOnFirst: number; reissued: number }
const newStats = (): Stats => ({ cases: 0, withCookie: 0, followUpWithSession: 0, loadedOnFirst: 0, reissued: 0 })
const stats = newStats()

/**
 * Runs case `c` through `subject` and `reference` (two requests, the second
 * with the cookies a browser kept from the reference's first reply) and
 * asserts identical replies; against 2.1.1, a stale pair re-issued whole is
 * compared by its own rule.
 */
async function runCase(c: Case, subject: Pkg, reference: Pkg, counts: Stats): Promise<void> {
  const id = `case-${++counter}`
  const name = cookieNameOf(c.options)
  registry.set(id, {
    middleware: {
      [subject]: FACTORIES[subject](buildOptions(c.options)),
      [reference]: FACTORIES[reference](buildOptions(c.options)),
    },
    programs: [c.first, c.second],
    name,
  })
  const reissueRule = reference === 'oracle'
  try {
    const base = urls[c.host]!
    const send = (pkg: Pkg, stepIndex: number, cookie: string | undefined) => {
      const headers: Record<string, string> = { host: HOST, 'x-case': id, 'x-step': String(stepIndex) }
      if (cookie !== undefined) headers.cookie = cookie
      return get(base[pkg], PATH, headers, agent)
    }
    const cookie1 = renderIncoming(c.options, c.incoming)
    const [ours1, theirs1] = await Promise.all([send(subject, 0, cookie1), send(reference, 0, cookie1)])
    const label1 = `first request (${hosts[c.host]!.name}, Cookie: ${cookie1})`
    if (reissueRule && isReissue(c, cookie1, name)) {
      expectReissued(c, c.first, cookie1, ours1, theirs1, name, label1)
      counts.reissued++
    } else expectSame(ours1, theirs1, label1)

    // What a browser would keep, from the reference's reply (the subject's is the same).
    const jar = new CookieJar(HOST)
    jar.seed(cookie1)
    jar.store(theirs1.setCookie, PATH)
    const cookie2 = jar.header(PATH)
    const [ours2, theirs2] = await Promise.all([send(subject, 1, cookie2), send(reference, 1, cookie2)])
    const label2 = `follow-up (${hosts[c.host]!.name}, Cookie: ${cookie2})`
    if (reissueRule && isReissue(c, cookie2, name)) {
      expectReissued(c, c.second, cookie2, ours2, theirs2, name, label2)
      counts.reissued++
    } else expectSame(ours2, theirs2, label2)

    counts.cases++
    if (theirs1.setCookie.some((l) => l.startsWith(`${name}=`) && !l.startsWith(`${name}=;`))) counts.withCookie++
    const final1 = (normalise(theirs1).body as any)?.final
    if (final1?.flags?.isNew === false) counts.loadedOnFirst++
    const final2 = (normalise(theirs2).body as any)?.final
    if (final2?.flags?.isNew === false) counts.followUpWithSession++
  } finally {
    registry.delete(id)
  }
}

describe(`differential against cookie-session 2.1.1 (seed ${SEED}, ${RUNS} runs; FC_SEED / FC_RUNS to change)`, () => {
  it('answers exactly as 2.1.1 on every generated case, on all four hosts (a stale pair re-issued whole aside)', async () => {
    const started = Date.now()
    try {
      // FC_PATH (printed by fast-check with the seed) replays one failing case directly.
      const path = process.env.FC_PATH
      await fc.assert(fc.asyncProperty(caseArb, (c) => runCase(c, 'ours', 'oracle', stats)), { seed: SEED, numRuns: RUNS, ...(path ? { path } : {}) })
    } catch (e) {
      // fast-check puts the seed and path in its message; repeat them where they cannot be missed.
      console.error(`differential test failed with FC_SEED=${SEED}`)
      throw e
    }
    // The generator must reach the interesting states, or the comparison proves little.
    expect(stats.cases).toBe(RUNS)
    expect(stats.loadedOnFirst).toBeGreaterThan(RUNS / 10)
    expect(stats.withCookie).toBeGreaterThan(RUNS / 5)
    expect(stats.followUpWithSession).toBeGreaterThan(RUNS / 10)
    expect(stats.reissued).toBeGreaterThan(RUNS / 200)
    console.log(`differential: ${RUNS} cases in ${Date.now() - started} ms`, stats)
  }, 120_000)

  it('parts with 2.1.1 on purpose for a payload that is JSON but not an object: a new, empty session', async () => {
    const base = urls[0]!
    for (const json of ['null', '1', '"abc"', '[1,2]', 'true', '"x".repeat']) {
      const value = b64(json)
      const cookie = `session=${value}; session.sig=${new Keygrip([K1]).sign(`session=${value}`)}`
      const id = `non-object-${json}`
      registry.set(id, {
        middleware: { ours: cookieSession({ keys: [K1] }), oracle: oracle({ keys: [K1] }) },
        programs: [{ ops: [], report: true }, { ops: [], report: true }],
        name: 'session',
      })
      const headers = { host: HOST, 'x-case': id, 'x-step': '0', cookie }
      const [ours, theirs] = await Promise.all([get(base.ours, PATH, headers, agent), get(base.oracle, PATH, headers, agent)])
      registry.delete(id)
      expect(ours.status).toBe(200)
      expect(JSON.parse(ours.body).final).toEqual({
        data: {},
        flags: { isNew: true, isChanged: true, isPopulated: false },
        keys: [],
      })
      expect(ours.setCookie).toEqual([])
      if (json === '"abc"') {
        // 2.1.1 spreads the string into one key per character.
        expect(JSON.parse(theirs.body).final.data).toEqual({ 0: 'a', 1: 'b', 2: 'c' })
      }
    }
  })

})

// ---------------------------------------------------------------------------
// The Fetch door against the middleware: the same generated cases, through
// `cookie-session/fetch` behind the middleware adapter (test/support/fetch-door-middleware.ts),
// byte for byte as this package's middleware (both are ours: no re-issue rule).

const FETCH_RUNS = Number(process.env.FC_FETCH_RUNS ?? Math.ceil(RUNS / 4))

const ACCESSES: ReadonlySet<Op['op']> = new Set(['read', 'set', 'delete', 'flags', 'keys', 'assignSelf'])
const ASSIGNMENTS: ReadonlySet<Op['op']> = new Set(['null', 'assign', 'assignInherited', 'assignEmpty', 'assignSelf'])

/**
 * Whether a Fetch handler can say what `program` does to `req.session`. The
 * Fetch door reads the session once, with the instance's options, and writes
 * once, at the end; three things of the middleware's have no counterpart:
 * - a `signed` set on `req.sessionOptions` before the session is read, which
 *   changes how the middleware reads it (`read()` takes no options);
 * - replacing the session read from the cookie (`= null`, `= {...}`): the
 *   middleware keeps that request's state (a bad `.sig` it clears, a stale
 *   pair it re-issues); `write(null | object, headers)` has no request, and
 *   knows nothing of what `read()` found (test/fetch-door.test.ts, "write(null | object)");
 * - Set-Cookie replaced by the handler after the session was read, which
 *   drops the `.sig` clearing the middleware sent as it read a bad signature
 *   (the Fetch door sends it with the rest, in `write()`);
 * - `= null` with `secure: true` on this plain-HTTP request: the middleware
 *   refuses to send the cleared cookie (COOKIE_SESSION_NOT_SET), while
 *   `write(null, headers)`, with no request to tell HTTPS from, writes it
 *   `Secure` as asked (as `read(headers)` does).
 */
function expressibleByFetch(c: Case, program: Program): boolean {
  if (optionOf(c, program, 'secure') === true && program.ops.some((op) => op.op === 'null')) return false
  let read = false
  for (const op of program.ops) {
    if (!read && op.op === 'option' && op.key === 'signed') return false
    // (assignSelf reads the session, then assigns it.)
    if (ACCESSES.has(op.op)) read ||= op.op === 'assignSelf'
    if (read && (ASSIGNMENTS.has(op.op) || op.op === 'preSetCookie')) return false
    if (ACCESSES.has(op.op)) read = true
    // After a replacement, the session is not the cookie's: reading it finds nothing pending.
    if (ASSIGNMENTS.has(op.op)) break
  }
  return true
}
const fetchCaseArb = caseArb.filter((c) => expressibleByFetch(c, c.first) && expressibleByFetch(c, c.second))

describe(`differential: the Fetch door against the middleware (seed ${SEED}, ${FETCH_RUNS} runs; FC_FETCH_RUNS to change)`, () => {
  it('answers exactly as the middleware on every generated case, on all four hosts', async () => {
    const counts = newStats()
    const started = Date.now()
    try {
      const path = process.env.FC_PATH
      await fc.assert(fc.asyncProperty(fetchCaseArb, (c) => runCase(c, 'fetch', 'ours', counts)), {
        seed: SEED,
        numRuns: FETCH_RUNS,
        ...(path ? { path } : {}),
      })
    } catch (e) {
      console.error(`differential test (Fetch door) failed with FC_SEED=${SEED}`)
      throw e
    }
    expect(counts.cases).toBe(FETCH_RUNS)
    expect(counts.loadedOnFirst).toBeGreaterThan(FETCH_RUNS / 10)
    expect(counts.withCookie).toBeGreaterThan(FETCH_RUNS / 5)
    expect(counts.followUpWithSession).toBeGreaterThan(FETCH_RUNS / 10)
    console.log(`differential (Fetch door): ${FETCH_RUNS} cases in ${Date.now() - started} ms`, counts)
  }, 120_000)
})
