// Encrypted sessions, absoluteTimeout: the longest a session lives from its
// creation, however often it is written again. The creation moment is sealed
// and carried over rolling re-sends, changes, replacements and key-rotation
// re-seals; regenerate(), a new session and a signed pair moved in through
// acceptSigned start it over. Over real HTTP on every host and the Fetch door
// (its adapter, and its own API directly), on a fake Date.
import Keygrip from 'keygrip'
import { describe, expect, it } from 'vitest'
import { createCookieSession } from 'cookie-session/fetch'
import { hostsAndFetchDoor } from './support/fetch-door-host.js'
import { captureWarnings, settle } from './support/cookies.js'
import { at, cookieOf, fetchRound, HOUR, KEY_A, KEY_B, MINUTE, set, T0, unseal, useClock, withApp, withOptions } from './support/expiry.js'

useClock()

const encrypted = { keys: [KEY_A], encrypt: true, maxAge: HOUR, absoluteTimeout: 3 * HOUR } as const
/** An idle bound longer than the absolute one: only absoluteTimeout can end these sessions. */
const long = { ...encrypted, maxAge: 4 * HOUR } as const

describe.each(hostsAndFetchDoor)('absoluteTimeout on $name', (host) => {
  it('rolling every 30 min for 2.5 h works; at 3 h + 1 ms (idle only 30 min) the session is refused', async () => {
    await withApp({ ...encrypted, rolling: true }, async (get) => {
      let cookie = cookieOf(await get(set({ user: 'alice' })))
      for (let t = T0 + 30 * MINUTE; t <= T0 + 2.5 * HOUR; t += 30 * MINUTE) {
        at(t)
        const rolled = await get('/peek', cookie)
        expect(rolled.body, `at ${t - T0} ms`).toEqual({ isNew: false, data: { user: 'alice' } })
        cookie = cookieOf(rolled)
        expect(unseal(cookie)).toMatchObject({ issuedAt: t, createdAt: T0 })
      }
      at(T0 + 3 * HOUR - 1)
      expect((await get('/noop', cookie)).setCookie).toHaveLength(1)
      at(T0 + 3 * HOUR + 1)
      const late = await get('/peek', cookie)
      expect(late.body).toEqual({ isNew: true, data: {} })
      expect(late.setCookie).toEqual([])
    }, host)
  })

  it('every change re-seals with the same creation moment; a replaced req.session keeps it too', async () => {
    await withApp(long, async (get) => {
      let cookie = cookieOf(await get(set({ n: 0 })))
      at(T0 + HOUR - 1)
      cookie = cookieOf(await get(set({ n: 1 }), cookie))
      at(T0 + 2 * HOUR - 2)
      cookie = cookieOf(await get(`/replace?data=${encodeURIComponent('{"n":2}')}`, cookie))
      expect(unseal(cookie)).toMatchObject({ json: '{"n":2}', issuedAt: T0 + 2 * HOUR - 2, createdAt: T0 })
      at(T0 + 3 * HOUR)
      expect((await get('/peek', cookie)).body.isNew).toBe(true)
    }, host)
  })

  it('regenerate() starts it over', async () => {
    await withApp(long, async (get) => {
      const first = cookieOf(await get(set({ user: 'alice' })))
      at(T0 + 2 * HOUR)
      const renewed = cookieOf(await get(`/regenerate?set=${encodeURIComponent('{"user":"alice","step":2}')}`, first))
      expect(unseal(renewed)).toMatchObject({ issuedAt: T0 + 2 * HOUR, createdAt: T0 + 2 * HOUR })
      at(T0 + 3 * HOUR)
      expect((await get('/peek', first)).body.isNew).toBe(true)
      expect((await get('/peek', renewed)).body).toEqual({ isNew: false, data: { user: 'alice', step: 2 } })
      at(T0 + 5 * HOUR)
      expect((await get('/peek', renewed)).body.isNew).toBe(true)
    }, host)
  })

  it('a key-rotation re-seal keeps it', async () => {
    let cookie = ''
    await withApp(long, async (get) => {
      cookie = cookieOf(await get(set({ user: 'alice' })))
    }, host)
    await withApp({ ...long, keys: [KEY_B, KEY_A] }, async (get) => {
      at(T0 + 2 * HOUR)
      const resealed = cookieOf(await get('/peek', cookie))
      expect(unseal(resealed, [KEY_B])).toMatchObject({ keyIndex: 0, issuedAt: T0 + 2 * HOUR, createdAt: T0 })
      at(T0 + 3 * HOUR)
      expect((await get('/peek', resealed)).body.isNew).toBe(true)
    }, host)
  })

  it('a signed pair moved in through acceptSigned starts it', async () => {
    const value = Buffer.from('{"user":"alice"}').toString('base64')
    const pair = `session=${value}; session.sig=${new Keygrip(['old signing key']).sign(`session=${value}`)}`
    await withApp({ ...encrypted, acceptSigned: ['old signing key'] }, async (get) => {
      at(T0 + 5 * HOUR)
      const moved = await get('/peek', pair)
      expect(moved.body).toEqual({ isNew: false, data: { user: 'alice' } })
      const cookie = cookieOf(moved)
      expect(unseal(cookie)).toMatchObject({ createdAt: T0 + 5 * HOUR })
      at(T0 + 5 * HOUR + 50 * MINUTE)
      expect((await get('/peek', cookie)).body.isNew).toBe(false)
    }, host)
  })
})

describe('absoluteTimeout: the rest', () => {
  it('a new session is created when first written', async () => {
    await withApp(encrypted, async (get) => {
      at(T0 + 7 * HOUR)
      expect(unseal(cookieOf(await get(set({ a: 1 }))))).toMatchObject({ issuedAt: T0 + 7 * HOUR, createdAt: T0 + 7 * HOUR })
    })
  })

  it('the sealed expiry is brought forward to the end of the session; a per-request value can only end it sooner', async () => {
    await withApp(long, async (get) => {
      let cookie = cookieOf(await get(set({ n: 0 })))
      at(T0 + 2.5 * HOUR)
      cookie = cookieOf(await get(set({ n: 1 }), cookie))
      // Sealed expiry: min(now + maxAge, createdAt + 3 h).
      const opened = unseal(cookie, [KEY_A], 'session', T0 + 3 * HOUR - 1)
      expect(opened?.json).toBe('{"n":1}')
      expect(unseal(cookie, [KEY_A], 'session', T0 + 3 * HOUR)).toBeUndefined()
      at(T0)
      const shorter = cookieOf(await get(set({ s: 1 }, withOptions({ absoluteTimeout: 10 * MINUTE }))))
      const longer = cookieOf(await get(set({ l: 1 }, withOptions({ absoluteTimeout: 10 * HOUR, maxAge: 10 * HOUR }))))
      at(T0 + 10 * MINUTE)
      expect((await get('/peek', shorter)).body.isNew).toBe(true)
      expect((await get('/peek', longer)).body.isNew).toBe(false)
      // Longer per request: sealed with it, yet the middleware's 3 h still ends it.
      expect(unseal(longer, [KEY_A], 'session', T0 + 4 * HOUR)?.json).toBe('{"l":1}')
      at(T0 + 3 * HOUR)
      expect((await get('/peek', longer)).body.isNew).toBe(true)
    })
  })

  it('an unusable per-request absoluteTimeout sends no cookie and warns COOKIE_SESSION_NOT_SET', async () => {
    const warnings = captureWarnings()
    try {
      await withApp(encrypted, async (get) => {
        for (const absoluteTimeout of [0, -1, 1e300, 'soon', true]) {
          expect((await get(set({ a: 1 }, withOptions({ absoluteTimeout }))))).toMatchObject({ setCookie: [] })
        }
        // null means the middleware's.
        expect((await get(set({ a: 1 }, withOptions({ absoluteTimeout: null })))).setCookie).toHaveLength(1)
      })
      await settle()
      expect(warnings.list.map((w) => w.code)).toEqual(['COOKIE_SESSION_NOT_SET'])
      expect(warnings.list[0]!.message).toContain('absoluteTimeout')
    } finally {
      warnings.dispose()
    }
  })
})

describe('absoluteTimeout through the Fetch door', () => {
  it('carried over rolling writes, refused at 3 h; regenerate() (in place) starts it over', () => {
    const sessions = createCookieSession({ ...encrypted, rolling: true })
    const first = fetchRound(sessions, undefined, (s) => (s.user = 'alice'))
    let cookie = first.setCookie[0]!.split(';')[0]!
    for (let t = T0 + 30 * MINUTE; t <= T0 + 2.5 * HOUR; t += 30 * MINUTE) {
      at(t)
      const res = fetchRound(sessions, cookie)
      expect(res.isNew).toBe(false)
      cookie = res.setCookie[0]!.split(';')[0]!
    }
    at(T0 + 2.5 * HOUR + 1)
    const renewed = fetchRound(sessions, cookie, (s) => {
      s.regenerate()
      s.user = 'alice'
    }).setCookie[0]!.split(';')[0]!
    expect(unseal(renewed)).toMatchObject({ createdAt: T0 + 2.5 * HOUR + 1 })
    at(T0 + 3 * HOUR + 1)
    expect(fetchRound(sessions, cookie).isNew).toBe(true)
    expect(fetchRound(sessions, renewed).data).toEqual({ user: 'alice' })
  })
})
