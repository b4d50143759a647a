// Encrypted sessions, the idle bound: the middleware's maxAge (read when it is
// built) is the longest the server accepts a sealed cookie after it was last
// written, whatever the cookie's own expiry and whatever the request's options
// said when it was written; e1 cookies (sealed before the bound existed) are
// counted from when the middleware was built and re-sealed as e2 when read.
// Over real HTTP on every host and the Fetch door (its adapter, and its own
// API directly), on a fake Date.
import { describe, expect, it } from 'vitest'
import { createCookieSession } from 'cookie-session/fetch'
import { captureWarnings, parseSetCookie, settle } from './support/cookies.js'
import { hostsAndFetchDoor, isFetchDoor } from './support/fetch-door-host.js'
import { type Handler, sendJson } from './support/hosts.js'
import { E1_SINCE } from '../src/core/sealer.js'
import {
  at,
  cookieOf,
  DAY,
  fetchRound,
  HOUR,
  KEY_A,
  MINUTE,
  SECOND,
  set,
  T0,
  unseal,
  useClock,
  withApp,
  withOptions,
  YEAR,
} from './support/expiry.js'

useClock()

const E1_KEY = 'a fixed key for the e1 fixture, 32 bytes+'
/** `{"user":"alice","n":1}` sealed for "session" with no expiry by the e1 code (see test/sealer.test.ts). */
const E1_ALICE = 'session=e1.AAECAwQFBgcICQoLuiq-K-j72aFyh2fc_IbvWzLtlnTPzTEm55GMf7Ci8k8XGDM7vcLa18IcDLmYfw'

/** Reports the session it read; on /write, stores a user and then applies `change` to the request's options. */
const writeThenChange =
  (change: (req: any) => void): Handler =>
  (req, res) => {
    const before = { isNew: req.session.isNew, data: JSON.parse(JSON.stringify(req.session)) }
    if (req.url === '/write') {
      req.session.user = 'alice'
      change(req)
    }
    sendJson(res, before)
  }

/** A request's options as handlers change them: the audit's list, first what sets a property of them… */
const changes: [string, (req: any) => void][] = [
  ['req.sessionOptions.maxAge = undefined', (req) => (req.sessionOptions.maxAge = undefined)],
  ['req.sessionOptions.maxAge = null', (req) => (req.sessionOptions.maxAge = null)],
  ['req.sessionOptions.maxAge = 0', (req) => (req.sessionOptions.maxAge = 0)],
]
/** …then what replaces the object (write()'s third argument always inherits the instance's options: no Fetch-door form). */
const replacements: [string, (req: any) => void][] = [
  ['req.sessionOptions = {}', (req) => (req.sessionOptions = {})],
  ['req.sessionOptions = { ...req.sessionOptions }', (req) => (req.sessionOptions = { ...req.sessionOptions })],
  ["Object.assign({}, req.sessionOptions, { sameSite: 'lax' })", (req) => (req.sessionOptions = Object.assign({}, req.sessionOptions, { sameSite: 'lax' }))],
]
/** Per-request values longer than the middleware's: the browser keeps the cookie longer, the server does not. */
const longer: [string, (req: any) => void][] = [
  ['req.sessionOptions.maxAge = 10 years', (req) => (req.sessionOptions.maxAge = 10 * YEAR)],
  [
    'req.sessionOptions.maxAge = undefined, expires = in 10 years',
    (req) => Object.assign(req.sessionOptions, { maxAge: undefined, expires: new Date(T0 + 10 * YEAR) }),
  ],
]

describe.each(hostsAndFetchDoor)('idle bound on $name', (host) => {
  it('audit case 1: a cookie sealed without maxAge is refused under a middleware with maxAge 1 h, from 1 h on', async () => {
    let cookie = ''
    await withApp({ keys: [KEY_A], encrypt: true }, async (get) => {
      cookie = cookieOf(await get(set({ user: 'alice' })))
    }, host)
    await withApp({ keys: [KEY_A], encrypt: true, maxAge: HOUR }, async (get) => {
      at(T0 + HOUR - 1)
      expect((await get('/peek', cookie)).body).toEqual({ isNew: false, data: { user: 'alice' } })
      at(T0 + HOUR)
      expect((await get('/peek', cookie)).body).toEqual({ isNew: true, data: {} })
      at(T0 + 20 * YEAR)
      const late = await get('/peek', cookie)
      expect(late.body).toEqual({ isNew: true, data: {} })
      expect(late.setCookie).toEqual([])
    }, host)
  })

  it('audit case 2: a cookie sealed with 30 days is refused on day 29 under a middleware with 1 h', async () => {
    let cookie = ''
    await withApp({ keys: [KEY_A], encrypt: true, maxAge: 30 * DAY }, async (get) => {
      cookie = cookieOf(await get(set({ user: 'alice' })))
    }, host)
    await withApp({ keys: [KEY_A], encrypt: true, maxAge: HOUR }, async (get) => {
      at(T0 + HOUR - 1)
      expect((await get('/peek', cookie)).body.isNew).toBe(false)
      at(T0 + 29 * DAY)
      expect((await get('/peek', cookie)).body).toEqual({ isNew: true, data: {} })
    }, host)
  })

  it.each([...changes, ...(isFetchDoor(host) ? [] : replacements), ...longer])('%s: still refused 1 s after it was written (middleware maxAge 1 s)', async (what, change) => {
    const h = writeThenChange(change)
    await withApp({ keys: [KEY_A], encrypt: true, maxAge: SECOND }, async (get) => {
      const written = await get('/write')
      const expires = parseSetCookie(written.setCookie[0]!).attrs.expires
      // What the browser is told: a browser-session cookie, or the longer per-request value.
      if (longer.some(([name]) => name === what)) expect(Date.parse(String(expires))).toBe(T0 + 10 * YEAR)
      else expect(expires).toBeUndefined()
      const cookie = cookieOf(written)
      at(T0 + SECOND - 1)
      expect((await get('/read', cookie)).body).toEqual({ isNew: false, data: { user: 'alice' } })
      at(T0 + SECOND)
      expect((await get('/read', cookie)).body.isNew).toBe(true)
      at(T0 + 10 * YEAR - 1)
      expect((await get('/read', cookie)).body.isNew).toBe(true)
    }, host, h)
  })

  it.each([
    ['req.sessionOptions.expires = undefined', (req: any) => (req.sessionOptions.expires = undefined)],
    ['req.sessionOptions.maxAge = 10 years', (req: any) => (req.sessionOptions.maxAge = 10 * YEAR)],
    ...(isFetchDoor(host) ? [] : replacements.slice(0, 1)),
  ])('a middleware expires (no maxAge) is a fixed end the server keeps: %s', async (_what, change) => {
    const h = writeThenChange(change)
    await withApp({ keys: [KEY_A], encrypt: true, expires: new Date(T0 + HOUR) }, async (get) => {
      const cookie = cookieOf(await get('/write'))
      at(T0 + HOUR - 1)
      expect((await get('/read', cookie)).body).toEqual({ isNew: false, data: { user: 'alice' } })
      at(T0 + HOUR)
      expect((await get('/read', cookie)).body.isNew).toBe(true)
    }, host, h)
  })

  it('a shorter per-request maxAge shortens it; rolling re-writes move it on', async () => {
    await withApp({ keys: [KEY_A], encrypt: true, maxAge: HOUR, rolling: true }, async (get) => {
      const short = cookieOf(await get(set({ a: 1 }, withOptions({ maxAge: MINUTE }))))
      at(T0 + MINUTE)
      expect((await get('/noop', short)).setCookie).toEqual([])
      at(T0)
      let cookie = cookieOf(await get(set({ a: 1 })))
      for (let t = T0 + 50 * MINUTE; t <= T0 + 5 * HOUR; t += 50 * MINUTE) {
        at(t)
        const rolled = await get('/noop', cookie)
        cookie = cookieOf(rolled)
      }
      at(T0 + 5 * HOUR + HOUR - 1)
      expect((await get('/peek', cookie)).body.isNew).toBe(false)
      at(T0 + 5 * HOUR + HOUR)
      expect((await get('/peek', cookie)).body.isNew).toBe(true)
    }, host)
  })

  it('an e1 cookie (sealed by the code before e2) opens, counted from the day e2 came in, and is re-sealed as e2', async () => {
    // The middleware built on that day and one built a year later bound the e1 copy alike: no restart renews it.
    at(E1_SINCE)
    await withApp({ keys: [E1_KEY], encrypt: true, maxAge: HOUR }, async (get) => {
      // Untouched: not read, not re-sealed.
      expect((await get('/noop', E1_ALICE)).setCookie).toEqual([])
      at(E1_SINCE + 10 * MINUTE)
      const read = await get('/peek', E1_ALICE)
      expect(read.body).toEqual({ isNew: false, data: { user: 'alice', n: 1 } })
      const resealed = cookieOf(read)
      expect(resealed.startsWith('session=e2.')).toBe(true)
      expect(unseal(resealed, [E1_KEY])).toMatchObject({ json: '{"user":"alice","n":1}', issuedAt: E1_SINCE + 10 * MINUTE, createdAt: E1_SINCE, legacy: false })
      expect(parseSetCookie(read.setCookie[0]!).attrs).toMatchObject({ path: '/', httponly: true })
      // The e1 copy stops opening 1 h after that day; the e2 one 1 h after its write.
      at(E1_SINCE + HOUR)
      expect((await get('/peek', E1_ALICE)).body.isNew).toBe(true)
      expect((await get('/peek', resealed)).body.isNew).toBe(false)
      at(E1_SINCE + 10 * MINUTE + HOUR)
      expect((await get('/peek', resealed)).body.isNew).toBe(true)
    }, host)
    at(E1_SINCE + YEAR)
    await withApp({ keys: [E1_KEY], encrypt: true, maxAge: HOUR }, async (get) => {
      expect((await get('/peek', E1_ALICE)).body.isNew).toBe(true)
    }, host)
  })
})

describe('idle bound: the rest', () => {
  it('without a middleware maxAge: whatever expiry the cookie carries, as before (an e1 cookie too)', async () => {
    await withApp({ keys: [KEY_A], encrypt: true }, async (get) => {
      const forever = cookieOf(await get(set({ a: 1 })))
      const perRequest = cookieOf(await get(set({ b: 1 }, withOptions({ maxAge: HOUR }))))
      at(T0 + HOUR - 1)
      expect((await get('/peek', perRequest)).body.isNew).toBe(false)
      at(T0 + HOUR)
      expect((await get('/peek', perRequest)).body.isNew).toBe(true)
      at(T0 + 100 * YEAR)
      expect((await get('/peek', forever)).body.isNew).toBe(false)
    })
    await withApp({ keys: [E1_KEY], encrypt: true }, async (get) => {
      const read = await get('/peek', E1_ALICE)
      expect(read.body.data).toEqual({ user: 'alice', n: 1 })
      expect(cookieOf(read).startsWith('session=e2.')).toBe(true)
    })
  })

  it('the bound is read when the middleware is built: changing its options object later does not move it', async () => {
    const options = { keys: [KEY_A], encrypt: true, maxAge: HOUR }
    await withApp(options, async (get) => {
      options.maxAge = 10 * YEAR
      const cookie = cookieOf(await get(set({ a: 1 })))
      at(T0 + HOUR)
      expect((await get('/peek', cookie)).body.isNew).toBe(true)
    })
  })

  it.each([
    ['signed', { keys: ['a signing key'] }],
    ['encrypted', { keys: [KEY_A], encrypt: true }],
  ])('%s: a per-request maxAge past the largest Date sends no cookie and warns COOKIE_SESSION_NOT_SET', async (_mode, options) => {
    const warnings = captureWarnings()
    try {
      await withApp(options, async (get) => {
        for (const maxAge of [1e300, 8.64e15, -1e300]) {
          expect((await get(set({ a: 1 }, withOptions({ maxAge })))).setCookie).toEqual([])
        }
      })
      await settle()
      expect(warnings.list.map((w) => w.code)).toEqual(['COOKIE_SESSION_NOT_SET'])
      expect(warnings.list[0]!.message).toMatch(/maxAge|Date/)
    } finally {
      warnings.dispose()
    }
  })
})

describe('idle bound through the Fetch door', () => {
  it('audit case 1, and every per-request variant of write()’s options, keep the bound', () => {
    const old = fetchRound(createCookieSession({ keys: [KEY_A], encrypt: true }), undefined, (s) => {
      s.user = 'alice'
    })
    const sessions = createCookieSession({ keys: [KEY_A], encrypt: true, maxAge: HOUR })
    const variants = [undefined, {}, { maxAge: undefined }, { maxAge: null }, { maxAge: 0 }, { sameSite: 'lax' }, { maxAge: 10 * YEAR }]
    const written = variants.map((options) => {
      const res = fetchRound(sessions, undefined, (s) => (s.n = 1), options as never)
      return res.setCookie[0]!.split(';')[0]!
    })
    at(T0 + HOUR - 1)
    expect(fetchRound(sessions, old.setCookie[0]!.split(';')[0]).isNew).toBe(false)
    for (const cookie of written) expect(fetchRound(sessions, cookie).data).toEqual({ n: 1 })
    at(T0 + HOUR)
    expect(fetchRound(sessions, old.setCookie[0]!.split(';')[0]).isNew).toBe(true)
    for (const cookie of written) expect(fetchRound(sessions, cookie).isNew).toBe(true)
  })

  it('an e1 cookie is re-sealed as e2 on read, and bounded from the day e2 came in', () => {
    at(E1_SINCE + MINUTE)
    const sessions = createCookieSession({ keys: [E1_KEY], encrypt: true, maxAge: HOUR })
    const res = fetchRound(sessions, E1_ALICE)
    expect(res.data).toEqual({ user: 'alice', n: 1 })
    expect(res.setCookie[0]).toMatch(/^session=e2\./)
    at(E1_SINCE + HOUR)
    expect(fetchRound(sessions, E1_ALICE).isNew).toBe(true)
  })

  it('a per-request maxAge past the largest Date: no Set-Cookie, COOKIE_SESSION_NOT_SET', async () => {
    const warnings = captureWarnings()
    try {
      const sessions = createCookieSession({ keys: [KEY_A], encrypt: true })
      expect(fetchRound(sessions, undefined, (s) => (s.a = 1), { maxAge: 1e300 }).setCookie).toEqual([])
      await settle()
      expect(warnings.list.map((w) => w.code)).toEqual(['COOKIE_SESSION_NOT_SET'])
    } finally {
      warnings.dispose()
    }
  })
})
