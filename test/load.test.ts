// Load: 200 concurrent clients, each with its own cookie jar, make 50
// sequential requests that increment their own counter; a third of them change
// req.sessionOptions.maxAge for that response only. Every client ends at
// exactly 50, no request sees another client's data or options, and the heap
// (after a forced GC) does not grow with the number of requests.
import { runInNewContext } from 'node:vm'
import { setFlagsFromString } from 'node:v8'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import cookieSession from '../src/index.js'
import { express5Host, listen, sendJson } from './support/hosts.js'
import { CookieJar, get, keepAliveAgent } from './support/proof.js'

const CLIENTS = 200
const REQUESTS = 50
const KEYS = ['load test key', 'older key']
/** The middleware's own maxAge; requests that change it use another value. */
const DEFAULT_MAX_AGE = 3_600_000

/** A full garbage collection, with or without --expose-gc. */
function collectGarbage(): void {
  let gc = (globalThis as { gc?: () => void }).gc
  if (!gc) {
    setFlagsFromString('--expose-gc')
    gc = runInNewContext('gc') as () => void
  }
  gc()
  gc()
}

function heapUsed(): number {
  collectGarbage()
  return process.memoryUsage().heapUsed
}

let server: { url: string; close(): Promise<void> }
// A socket per client, so that all of them really are in flight at once.
const agent = keepAliveAgent(CLIENTS)

function handler(req: any, res: any): void {
  const url = new URL(req.url, 'http://x')
  const client = url.searchParams.get('client')
  const maxAge = url.searchParams.get('maxAge')
  if (maxAge !== null) req.sessionOptions.maxAge = Number(maxAge)
  const s = req.session
  const seen = { client: s.client, count: s.count, isNew: s.isNew }
  if (s.isNew) s.client = client
  s.count = (s.count ?? 0) + 1
  // Let other clients' requests run between the change and the response.
  setImmediate(() =>
    sendJson(res, { seen, count: s.count, client: s.client, maxAge: req.sessionOptions.maxAge, session: req.session }),
  )
}

beforeAll(async () => {
  server = await listen(express5Host.create(cookieSession({ keys: KEYS, maxAge: DEFAULT_MAX_AGE }), handler))
})

afterAll(async () => {
  agent.destroy()
  await server.close()
})

interface Client {
  id: string
  jar: CookieJar
  done: number
}

/** Client `c` makes requests `from` to `to - 1` in sequence, checking every reply. */
async function run(c: Client, from: number, to: number, failures: string[]): Promise<void> {
  for (let i = from; i < to; i++) {
    const changeMaxAge = i % 3 === 1
    // A per-client, per-request value: any leak between requests shows.
    const maxAge = 60_000 + Number(c.id.slice(1)) * 1000 + i
    const path = `/count?client=${c.id}${changeMaxAge ? `&maxAge=${maxAge}` : ''}`
    const cookie = c.jar.header('/')
    const reply = await get(server.url, path, cookie ? { cookie } : {}, agent)
    const fail = (what: string) => failures.push(`client ${c.id}, request ${i + 1}: ${what}`)
    if (reply.status !== 200) {
      fail(`status ${reply.status}`)
      return
    }
    const body = JSON.parse(reply.body)
    if (body.count !== i + 1) fail(`count ${body.count}`)
    if (body.client !== c.id || (i > 0 && body.seen.client !== c.id)) fail(`saw client ${body.seen.client}`)
    if (body.seen.isNew !== (i === 0)) fail(`isNew ${body.seen.isNew}`)
    if (JSON.stringify(body.session) !== JSON.stringify({ client: c.id, count: i + 1 })) {
      fail(`session ${JSON.stringify(body.session)}`)
    }
    const expected = changeMaxAge ? maxAge : DEFAULT_MAX_AGE
    if (body.maxAge !== expected) fail(`maxAge ${body.maxAge}, expected ${expected}`)
    // The cookie's expiry follows this request's maxAge.
    const line = reply.setCookie.find((l) => l.startsWith('session='))
    const expires = line && Date.parse(/expires=([^;]+)/.exec(line)?.[1] ?? '')
    const offset = expires ? (expires - Date.parse(String(reply.headers.date))) / 1000 : Number.NaN
    if (!(Math.abs(offset - expected / 1000) <= 2)) fail(`expires ${offset} s from Date, expected ${expected / 1000}`)
    c.jar.store(reply.setCookie, '/count')
    c.done = i + 1
  }
}

/** All clients at once, each from its current request to `to`. */
async function round(clients: Client[], to: number): Promise<string[]> {
  const failures: string[] = []
  await Promise.all(clients.map((c) => run(c, c.done, to, failures)))
  return failures
}

describe(`load: ${CLIENTS} concurrent clients × ${REQUESTS} requests`, () => {
  it('keeps every client on its own session and options, and the heap flat', async () => {
    const started = Date.now()
    const clients: Client[] = Array.from({ length: CLIENTS }, (_, i) => ({
      id: `c${i}`,
      jar: new CookieJar('127.0.0.1'),
      done: 0,
    }))

    // Warm-up: every client gets its session; JIT and pools settle.
    expect(await round(clients, 5)).toEqual([])
    const base = heapUsed()

    // N requests, then N more: the heap after 2N must not exceed the heap after N by more than noise.
    const half = (REQUESTS - 5) / 2
    const roundOne = Math.floor(5 + half)
    expect(await round(clients, roundOne)).toEqual([])
    const afterN = heapUsed()
    expect(await round(clients, REQUESTS)).toEqual([])
    const after2N = heapUsed()

    for (const c of clients) {
      expect(c.done).toBe(REQUESTS)
      const value = c.jar.value('session', '/count')!
      expect(JSON.parse(Buffer.from(value, 'base64').toString())).toEqual({ client: c.id, count: REQUESTS })
    }

    const requestsPerRound = CLIENTS * (REQUESTS - roundOne)
    const growth = after2N - afterN
    const mb = (n: number) => `${(n / 1048576).toFixed(2)} MB`
    console.log(
      `load: ${CLIENTS * REQUESTS} requests in ${Date.now() - started} ms; heap after warm-up ${mb(base)}, ` +
        `after N ${mb(afterN)}, after 2N ${mb(after2N)} (growth ${mb(growth)} over ${requestsPerRound} requests)`,
    )
    // Retaining anything per request (a request, response or session is
    // several KB; a closure or a Set entry some hundred bytes) from ~230 bytes
    // up would add more than 1 MB over these ~4,600 requests.
    expect(growth).toBeLessThan(1_048_576)
    expect(after2N).toBeLessThan(base + 8 * 1_048_576)
  }, 120_000)
})
