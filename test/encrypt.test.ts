// Encrypted sessions (`encrypt: true`): the sealed cookie round-trips on all
// four hosts; anything changed, truncated, under another name or key, or past
// its expiry gives a new, empty session; an older key's cookie is re-sealed
// with every attribute; the options are checked. Expiry runs on a fake Date
// (only Date: sockets and timers stay real), never on sleeps.
import fc from 'fast-check'
import Keygrip from 'keygrip'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { cookieSession, type CookieSessionOptions } from '../src/index.js'
import { expiryOf, HKDF_INFO, Sealer, VERSION_TAG } from '../src/core/sealer.js'
import { cookieValue, send, serve, type Sent } from './support/core-harness.js'
import { express5Host, type Handler, hosts, type Host, nodeHttpHost, sendJson } from './support/hosts.js'
import { ENCRYPT_ERRORS } from './support/bad-options.js'
import { captureWarnings, parseSetCookie, settle } from './support/cookies.js'

const KEY_A = 'A'.repeat(16) + ' first key, 32+ bytes long'
const KEY_B = 'B'.repeat(16) + ' second key, 32+ bytes long'
const KEY_C = Buffer.alloc(32, 7)

/** Reports the session as the handler saw it; `?set=<json>` merges data in, `/destroy`, `/regenerate`, `/replace`. */
const handler: Handler = (req, res) => {
  const url = new URL(req.url, 'http://x')
  if (url.pathname === '/noop') return sendJson(res, { untouched: true })
  const before = { isNew: req.session.isNew, isChanged: req.session.isChanged, data: JSON.parse(JSON.stringify(req.session)) }
  const set = url.searchParams.get('set')
  if (set) Object.assign(req.session, JSON.parse(set))
  if (url.pathname === '/destroy') req.session = null
  if (url.pathname === '/regenerate') req.session.regenerate()
  if (url.pathname === '/replace') req.session = JSON.parse(url.searchParams.get('data') ?? '{}')
  if (url.searchParams.has('name')) req.sessionOptions.name = url.searchParams.get('name')
  if (url.searchParams.has('unsigned')) req.sessionOptions.signed = false
  sendJson(res, before)
}

async function withApp(
  options: CookieSessionOptions,
  body: (get: (path: string, cookie?: string) => Promise<Sent>) => Promise<void>,
  host: Host = express5Host,
  h: Handler = handler,
): Promise<void> {
  const served = await serve(host.create(cookieSession(options) as any, h))
  try {
    await body((path, cookie) => send(served, path, cookie === undefined ? {} : { cookie }))
  } finally {
    await served.close()
  }
}

const set = (data: unknown) => `/set?set=${encodeURIComponent(JSON.stringify(data))}`
const opener = (keys: (string | Buffer)[] = [KEY_A]) => new Sealer(keys)
/** The JSON sealed in `value`, opened with `keys` at `now`. */
const opened = (value: string | undefined, keys?: (string | Buffer)[], name = 'session', now = Date.now()) =>
  value === undefined ? undefined : opener(keys).open(name, value, now)?.json

describe.each(hosts)('encrypted round trip on $name', (host) => {
  it('writes one sealed cookie, reads it back, writes only on change, clears on destroy', async () => {
    await withApp({ keys: [KEY_A], encrypt: true }, async (get) => {
      const first = await get(set({ user: 'alice', n: 1 }))
      expect(first.body).toEqual({ isNew: true, isChanged: true, data: {} })
      expect(first.setCookie).toHaveLength(1)
      const header = parseSetCookie(first.setCookie[0]!)
      expect(header.name).toBe('session')
      expect(header.attrs).toEqual({ path: '/', httponly: true })
      const value = header.value
      expect(value.startsWith(VERSION_TAG)).toBe(true)
      expect(value).not.toContain('alice')
      expect(value).not.toContain(Buffer.from('"alice"').toString('base64').slice(0, 6))
      expect(opened(value)).toBe('{"user":"alice","n":1}')

      const read = await get('/peek', `session=${value}`)
      expect(read.body).toEqual({ isNew: false, isChanged: false, data: { user: 'alice', n: 1 } })
      expect(read.setCookie).toEqual([])

      // Setting a value to what it was is no change, as in signed mode.
      expect((await get(set({ n: 1 }), `session=${value}`)).setCookie).toEqual([])

      const changed = await get(set({ n: 2 }), `session=${value}`)
      const next = cookieValue(changed.setCookie)
      expect(next).not.toBe(value)
      expect(opened(next)).toBe('{"user":"alice","n":2}')

      const destroyed = await get('/destroy', `session=${next}`)
      expect(destroyed.setCookie).toEqual([expect.stringMatching(/^session=; path=\/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly$/)])

      // No keys of its own: a new session writes nothing until it has data.
      expect((await get('/peek')).setCookie).toEqual([])
    }, host)
  })
})

describe('what the cookie carries', () => {
  it('the same data seals to a new value every time (random IV)', async () => {
    await withApp({ keys: [KEY_A], encrypt: true }, async (get) => {
      const values = new Set<string>()
      for (let i = 0; i < 5; i++) values.add(cookieValue((await get(set({ same: true }))).setCookie)!)
      expect(values.size).toBe(5)
    })
  })

  it('every seal gets its own IV, across the blocks of random bytes they are drawn from', () => {
    const sealer = opener()
    const ivs = new Set<string>()
    for (let i = 0; i < 1000; i++) {
      const value = sealer.seal('session', '{}', Infinity)
      ivs.add(Buffer.from(value.slice(VERSION_TAG.length), 'base64url').subarray(0, 12).toString('hex'))
      expect(sealer.open('session', value, Date.now())?.json).toBe('{}')
    }
    expect(ivs.size).toBe(1000)
  })

  it('data under the names the format could use (e, d, exp) is data, and does not move the expiry', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      vi.setSystemTime(1_700_000_000_000)
      await withApp({ keys: [KEY_A], encrypt: true, maxAge: 1000 }, async (get) => {
        const data = { e: 0, d: { x: 1 }, exp: 0, expires: 1, __proto__x: 1 }
        const value = cookieValue((await get(set(data))).setCookie)
        expect((await get('/peek', `session=${value}`)).body.data).toEqual(data)
        vi.setSystemTime(1_700_000_001_000)
        expect((await get('/peek', `session=${value}`)).body).toMatchObject({ isNew: true, data: {} })
      })
    } finally {
      vi.useRealTimers()
    }
  })

  it('keys every object has never reach the session or Object.prototype, even from a sealed value', async () => {
    const value = opener().seal('session', '{"__proto__":{"polluted":1},"constructor":1,"isNew":false,"ok":1}', Infinity)
    await withApp({ keys: [KEY_A], encrypt: true }, async (get) => {
      const read = await get('/peek', `session=${value}`)
      expect(read.body).toEqual({ isNew: false, isChanged: true, data: { ok: 1 } })
      expect(({} as any).polluted).toBeUndefined()
    })
  })

  it('a sealed value whose JSON is not an object gives a new, empty session', async () => {
    await withApp({ keys: [KEY_A], encrypt: true }, async (get) => {
      for (const json of ['[1]', '"x"', 'null', '12', 'not json', '', '{"a":']) {
        const read = await get('/peek', `session=${opener().seal('session', json, Infinity)}`)
        expect(read.body, json).toEqual({ isNew: true, isChanged: true, data: {} })
        expect(read.setCookie).toEqual([])
      }
    })
  })

  it('the size warning counts the sealed value, about 4/3 of the JSON plus 72 bytes', async () => {
    const warnings = captureWarnings()
    try {
      // 3030 bytes of JSON: base64 is 4040 characters (fits, signed), sealed is 4113 (does not).
      const blob = { d: 'x'.repeat(3030 - 8) }
      expect(JSON.stringify(blob)).toHaveLength(3030)
      await withApp({ keys: [KEY_A] }, async (get) => {
        expect(cookieValue((await get(`/replace?data=${JSON.stringify(blob)}`)).setCookie)).toHaveLength(4040)
      })
      await settle()
      expect(warnings.list.filter((w) => w.code === 'COOKIE_SESSION_TOO_LARGE')).toEqual([])
      await withApp({ keys: [KEY_A], encrypt: true }, async (get) => {
        expect(cookieValue((await get(`/replace?data=${JSON.stringify(blob)}`)).setCookie)).toHaveLength(4113)
      })
      await settle()
      const tooLarge = warnings.list.filter((w) => w.code === 'COOKIE_SESSION_TOO_LARGE')
      expect(tooLarge).toHaveLength(1)
      expect(tooLarge[0]!.message).toContain('is 4120 bytes')
      expect(tooLarge[0]!.message).not.toContain('.sig')
    } finally {
      warnings.dispose()
    }
  })
})

describe('what is refused', () => {
  const sealer = opener()
  const genuine = sealer.seal('session', '{"user":"alice"}', Infinity)
  const b64chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

  it('every single-character change of a sealed value, with every other character', () => {
    expect(sealer.open('session', genuine, Date.now())?.json).toBe('{"user":"alice"}')
    let tried = 0
    for (let i = 0; i < genuine.length; i++) {
      for (const c of `${b64chars}+/=.!e1`) {
        if (c === genuine[i]) continue
        const changed = genuine.slice(0, i) + c + genuine.slice(i + 1)
        expect(sealer.open('session', changed, Date.now()), changed).toBeUndefined()
        tried++
      }
    }
    expect(tried).toBeGreaterThan(genuine.length * 64)
  })

  it('every truncation, and every extension by one character', () => {
    for (let n = 0; n < genuine.length; n++) expect(sealer.open('session', genuine.slice(0, n), Date.now())).toBeUndefined()
    for (const c of `${b64chars}=`) expect(sealer.open('session', genuine + c, Date.now())).toBeUndefined()
  })

  it('a change to the last character that only touches its unused bits (non-canonical base64url)', () => {
    // Find a seal whose byte count leaves unused bits in the last character (length % 3 != 0).
    let value = genuine
    while ((value.length - VERSION_TAG.length) % 4 === 0) value = sealer.seal('session', `{"user":"alice${value.length}"}`, Infinity)
    const text = value.slice(VERSION_TAG.length)
    const bytes = Buffer.from(text, 'base64url')
    const last = b64chars.indexOf(text.at(-1)!)
    const sibling = `${VERSION_TAG}${text.slice(0, -1)}${b64chars[last ^ 1]}`
    // Node decodes both to the same bytes...
    expect(Buffer.from(sibling.slice(VERSION_TAG.length), 'base64url')).toEqual(bytes)
    // ...but only the canonical spelling opens.
    expect(sealer.open('session', value, Date.now())).toBeDefined()
    expect(sealer.open('session', sibling, Date.now())).toBeUndefined()
    // Padding decodes to the same bytes too.
    const padded = `${value}${'='.repeat(4 - (text.length % 4))}`
    expect(Buffer.from(padded.slice(VERSION_TAG.length), 'base64url')).toEqual(bytes)
    expect(sealer.open('session', padded, Date.now())).toBeUndefined()
  })

  it('another name, another key, another version tag', () => {
    expect(sealer.open('session2', genuine, Date.now())).toBeUndefined()
    expect(sealer.open('Session', genuine, Date.now())).toBeUndefined()
    expect(opener([KEY_B]).open('session', genuine, Date.now())).toBeUndefined()
    expect(sealer.open('session', `e1.${genuine.slice(3)}`, Date.now())).toBeUndefined()
    expect(sealer.open('session', `e3.${genuine.slice(3)}`, Date.now())).toBeUndefined()
    expect(sealer.open('session', genuine.slice(3), Date.now())).toBeUndefined()
  })

  it('derives the AES key with HKDF-SHA256 and its own label, so the raw key (also an HMAC key elsewhere) does not open', async () => {
    // The raw key, not the derived one, would be a different AES key: a value sealed with it does not open.
    const { createCipheriv, hkdfSync, randomBytes } = await import('node:crypto')
    const sealWith = (key: Buffer) => {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 })
      cipher.setAAD(Buffer.from('session'))
      const moments = Buffer.alloc(24)
      moments.writeDoubleBE(Infinity, 0)
      moments.writeDoubleBE(Date.now(), 8)
      moments.writeDoubleBE(Date.now(), 16)
      const body = Buffer.concat([iv, cipher.update(moments), cipher.update('{"a":1}'), cipher.final(), cipher.getAuthTag()])
      return VERSION_TAG + body.toString('base64url')
    }
    const derived = Buffer.from(hkdfSync('sha256', KEY_C, Buffer.alloc(0), HKDF_INFO, 32))
    expect(opener([KEY_C]).open('session', sealWith(derived), Date.now())?.json).toBe('{"a":1}')
    expect(opener([KEY_C]).open('session', sealWith(KEY_C), Date.now())).toBeUndefined()
    const otherLabel = Buffer.from(hkdfSync('sha256', KEY_C, Buffer.alloc(0), 'another label', 32))
    expect(opener([KEY_C]).open('session', sealWith(otherLabel), Date.now())).toBeUndefined()
  })

  it('over HTTP on every host: each changed character, each truncation, another name: a new, empty session', async () => {
    for (const host of hosts) {
      await withApp({ keys: [KEY_A], encrypt: true }, async (get) => {
        const value = cookieValue((await get(set({ user: 'alice' }))).setCookie)!
        expect((await get('/peek', `session=${value}`)).body.isNew).toBe(false)
        const bad: string[] = []
        for (let i = 0; i < value.length; i++) {
          bad.push(value.slice(0, i) + (value[i] === 'A' ? 'B' : 'A') + value.slice(i + 1))
          bad.push(value.slice(0, i))
        }
        for (const cookie of bad) {
          const read = await get('/peek', `session=${cookie}`)
          expect(read.body, cookie).toEqual({ isNew: true, isChanged: true, data: {} })
          expect(read.setCookie).toEqual([])
        }
        // Sealed for "session", presented as "other" to an app reading "other".
        await withApp({ keys: [KEY_A], encrypt: true, name: 'other' }, async (getOther) => {
          expect((await getOther('/peek', `other=${value}`)).body.isNew).toBe(true)
        }, host)
        // A value refused is never written back, and a write after it starts over.
        const write = await get(set({ n: 1 }), `session=${bad[3]}`)
        expect(opened(cookieValue(write.setCookie))).toBe('{"n":1}')
      }, host)
    }
  }, 60_000)

  it('a signed cookie (2.1.1 or signed mode) is ignored without acceptSigned', async () => {
    const value = Buffer.from('{"user":"mallory"}').toString('base64')
    const sig = new Keygrip([KEY_A]).sign(`session=${value}`)
    await withApp({ keys: [KEY_A], encrypt: true }, async (get) => {
      const read = await get('/peek', `session=${value}; session.sig=${sig}`)
      expect(read.body).toEqual({ isNew: true, isChanged: true, data: {} })
      expect(read.setCookie).toEqual([])
    })
  })
})

describe('server-side expiry (fake Date)', () => {
  const T0 = Date.UTC(2030, 0, 1)
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(T0)
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('maxAge: the cookie opens until now + maxAge, the moment its Expires says, and not from then on', async () => {
    await withApp({ keys: [KEY_A], encrypt: true, maxAge: 60_000 }, async (get) => {
      const first = await get(set({ user: 'alice' }))
      const cookie = `session=${cookieValue(first.setCookie)}`
      expect(Date.parse(String(parseSetCookie(first.setCookie[0]!).attrs.expires))).toBe(T0 + 60_000)
      vi.setSystemTime(T0 + 59_999)
      expect((await get('/peek', cookie)).body).toMatchObject({ isNew: false, data: { user: 'alice' } })
      vi.setSystemTime(T0 + 60_000)
      const late = await get('/peek', cookie)
      expect(late.body).toEqual({ isNew: true, isChanged: true, data: {} })
      expect(late.setCookie).toEqual([])
      vi.setSystemTime(T0 + 365 * 24 * 3600_000)
      expect((await get('/peek', cookie)).body.isNew).toBe(true)
    })
  })

  it('a copy kept after logout replays only until its expiry', async () => {
    await withApp({ keys: [KEY_A], encrypt: true, maxAge: 60_000 }, async (get) => {
      const stolen = `session=${cookieValue((await get(set({ user: 'alice' }))).setCookie)}`
      vi.setSystemTime(T0 + 10_000)
      expect((await get('/destroy', stolen)).setCookie[0]).toMatch(/^session=;/)
      expect((await get('/peek', stolen)).body.data).toEqual({ user: 'alice' })
      vi.setSystemTime(T0 + 60_000)
      expect((await get('/peek', stolen)).body.data).toEqual({})
    })
  })

  it('expires: the fixed date is sealed in', async () => {
    const expires = new Date(T0 + 5_000)
    await withApp({ keys: [KEY_A], encrypt: true, expires }, async (get) => {
      const cookie = `session=${cookieValue((await get(set({ a: 1 }))).setCookie)}`
      vi.setSystemTime(T0 + 4_999)
      expect((await get('/peek', cookie)).body.isNew).toBe(false)
      vi.setSystemTime(T0 + 5_000)
      expect((await get('/peek', cookie)).body.isNew).toBe(true)
    })
    expect(expiryOf({ expires }, T0)).toBe(T0 + 5_000)
    expect(expiryOf({ maxAge: 10, expires }, T0)).toBe(T0 + 10)
    expect(expiryOf({ maxAge: 0, expires }, T0)).toBe(T0 + 5_000)
    expect(expiryOf({}, T0)).toBe(Number.POSITIVE_INFINITY)
  })

  it.each([
    ['maxAge as a string', { maxAge: '60000' }],
    ['maxAge as Infinity', { maxAge: Number.POSITIVE_INFINITY }],
    ['expires as an invalid Date', { expires: new Date(Number.NaN) }],
    ['expires as a number', { expires: T0 + 60_000 }],
  ])('%s set per request seals nothing: no cookie, COOKIE_SESSION_NOT_SET', async (_what, perRequest) => {
    const warnings = captureWarnings()
    const h: Handler = (req, res) => {
      Object.assign(req.sessionOptions, perRequest)
      req.session.user = 'alice'
      sendJson(res, {})
    }
    try {
      await withApp({ keys: [KEY_A], encrypt: true }, async (get) => {
        expect((await get('/')).setCookie).toEqual([])
      }, express5Host, h)
      await settle()
      expect(warnings.list.map((w) => w.code)).toEqual(['COOKIE_SESSION_NOT_SET'])
    } finally {
      warnings.dispose()
    }
    expect(() => expiryOf(perRequest, T0)).toThrow(TypeError)
  })

  it('without maxAge or expires, nothing expires on the server (a browser-session cookie)', async () => {
    await withApp({ keys: [KEY_A], encrypt: true }, async (get) => {
      const cookie = `session=${cookieValue((await get(set({ a: 1 }))).setCookie)}`
      vi.setSystemTime(T0 + 100 * 365 * 24 * 3600_000)
      expect((await get('/peek', cookie)).body.isNew).toBe(false)
    })
  })

  it('a per-request maxAge is the one sealed in', async () => {
    const h: Handler = (req, res) => {
      req.sessionOptions.maxAge = 1_000
      handler(req, res)
    }
    await withApp({ keys: [KEY_A], encrypt: true, maxAge: 60_000 }, async (get) => {
      const cookie = `session=${cookieValue((await get(set({ a: 1 }))).setCookie)}`
      vi.setSystemTime(T0 + 1_000)
      expect((await get('/peek', cookie)).body.isNew).toBe(true)
    }, express5Host, h)
  })

  it('rolling: every response re-seals with a new expiry, so activity keeps the session', async () => {
    await withApp({ keys: [KEY_A], encrypt: true, maxAge: 60_000, rolling: true }, async (get) => {
      const first = `session=${cookieValue((await get(set({ user: 'alice' }))).setCookie)}`
      vi.setSystemTime(T0 + 50_000)
      const touched = await get('/noop', first)
      const second = cookieValue(touched.setCookie)
      expect(second).toBeDefined()
      expect(Date.parse(String(parseSetCookie(touched.setCookie[0]!).attrs.expires))).toBe(T0 + 110_000)
      vi.setSystemTime(T0 + 100_000)
      expect((await get('/peek', `session=${second}`)).body).toMatchObject({ isNew: false, data: { user: 'alice' } })
      expect((await get('/peek', first)).body.isNew).toBe(true)
      // An expired cookie is not rolled forward.
      expect((await get('/noop', first)).setCookie).toEqual([])
    })
  })
})

describe('key rotation', () => {
  const attributes = { maxAge: 3_600_000, path: '/', domain: 'example.com', sameSite: 'lax', priority: 'high' } as const

  it('keys [new, old]: a cookie sealed with old opens, and a read-only request re-seals it with new and every attribute', async () => {
    let old: string | undefined
    await withApp({ keys: [KEY_A], encrypt: true, ...attributes }, async (get) => {
      old = cookieValue((await get(set({ user: 'alice' }))).setCookie)
    })
    for (const host of hosts) {
      await withApp({ keys: [KEY_B, KEY_A], encrypt: true, ...attributes }, async (get) => {
        const read = await get('/peek', `session=${old}`)
        expect(read.body).toEqual({ isNew: false, isChanged: false, data: { user: 'alice' } })
        expect(read.setCookie).toHaveLength(1)
        const header = parseSetCookie(read.setCookie[0]!)
        expect(header.attrs).toMatchObject({ path: '/', domain: 'example.com', samesite: 'lax', priority: 'high', httponly: true })
        expect(Date.parse(String(header.attrs.expires))).toBeGreaterThan(Date.now() + 3_600_000 - 5_000)
        expect(opened(header.value, [KEY_B])).toBe('{"user":"alice"}')
        expect(opened(header.value, [KEY_A])).toBeUndefined()
        // Sealed with the first key already: nothing to re-send.
        expect((await get('/peek', `session=${header.value}`)).setCookie).toEqual([])
        // Untouched: no read, no re-seal.
        expect((await get('/noop', `session=${old}`)).setCookie).toEqual([])
      }, host)
    }
    // Once the old key is gone, its cookies are refused.
    await withApp({ keys: [KEY_B], encrypt: true }, async (get) => {
      expect((await get('/peek', `session=${old}`)).body.isNew).toBe(true)
    })
  })

  it('Buffer keys and a three-key list', async () => {
    const value = opener([KEY_C]).seal('session', '{"k":"c"}', Infinity)
    await withApp({ keys: [KEY_A, KEY_B, KEY_C], encrypt: true }, async (get) => {
      const read = await get('/peek', `session=${value}`)
      expect(read.body.data).toEqual({ k: 'c' })
      expect(opened(cookieValue(read.setCookie), [KEY_A])).toBe('{"k":"c"}')
    })
  })

  it('a re-sealed session whose handler changes it is written once, with the change', async () => {
    const value = opener([KEY_A]).seal('session', '{"n":1}', Infinity)
    await withApp({ keys: [KEY_B, KEY_A], encrypt: true }, async (get) => {
      const read = await get(set({ n: 2 }), `session=${value}`)
      expect(read.setCookie).toHaveLength(1)
      expect(opened(cookieValue(read.setCookie), [KEY_B])).toBe('{"n":2}')
    })
  })
})

describe('per request and session methods, as in signed mode', () => {
  it('req.sessionOptions.name names the cookie written, and it is sealed for that name', async () => {
    await withApp({ keys: [KEY_A], encrypt: true }, async (get) => {
      const res = await get(`${set({ a: 1 })}&name=other`)
      const value = cookieValue(res.setCookie, 'other')
      expect(opened(value, [KEY_A], 'other')).toBe('{"a":1}')
      expect(opened(value, [KEY_A], 'session')).toBeUndefined()
    })
  })

  it('req.sessionOptions.signed = false changes nothing: still sealed, still no .sig', async () => {
    await withApp({ keys: [KEY_A], encrypt: true }, async (get) => {
      const res = await get(`${set({ a: 1 })}&unsigned=1`)
      expect(res.setCookie).toHaveLength(1)
      expect(opened(cookieValue(res.setCookie))).toBe('{"a":1}')
    })
  })

  it('regenerate clears the cookie; a replaced session is sealed', async () => {
    await withApp({ keys: [KEY_A], encrypt: true }, async (get) => {
      const value = cookieValue((await get(set({ a: 1 }))).setCookie)
      expect((await get('/regenerate', `session=${value}`)).setCookie).toEqual([expect.stringMatching(/^session=; path=\/; expires=Thu, 01 Jan 1970/)])
      const replaced = await get('/replace?data={"b":2}', `session=${value}`)
      expect(opened(cookieValue(replaced.setCookie))).toBe('{"b":2}')
    })
  })

  it('a handler that replaces the session prototype still decides through isChanged', async () => {
    const h: Handler = (req, res) => {
      const s = req.session
      Object.setPrototypeOf(s, { isNew: false, isChanged: req.url === '/yes', isPopulated: true })
      sendJson(res, {})
    }
    const value = opener().seal('session', '{"a":1}', Infinity)
    await withApp({ keys: [KEY_B, KEY_A], encrypt: true }, async (get) => {
      expect(opened(cookieValue((await get('/yes', `session=${value}`)).setCookie), [KEY_B])).toBe('{"a":1}')
      // Opened with the older key: re-sealed even when isChanged says no.
      expect(opened(cookieValue((await get('/no', `session=${value}`)).setCookie), [KEY_B])).toBe('{"a":1}')
    }, nodeHttpHost, h)
    await withApp({ keys: [KEY_A], encrypt: true }, async (get) => {
      expect((await get('/no', `session=${value}`)).setCookie).toEqual([])
    }, nodeHttpHost, h)
  })
})

describe('options', () => {
  const create = cookieSession as unknown as (options?: Record<string, unknown>) => unknown
  const thrown = (options: Record<string, unknown>): any => {
    try {
      create(options)
    } catch (err) {
      return err
    }
    return undefined
  }
  const short = 'x'.repeat(31)

  it.each(ENCRYPT_ERRORS)('%o is a TypeError', (options, message) => {
    const err = thrown(options)
    expect(err).toBeInstanceOf(TypeError)
    expect(err.message).toMatch(message)
    // Never key material in the message.
    expect(err.message).not.toContain(short)
    expect(err.message).not.toContain('retired-k3y')
    expect(err.message).not.toContain(KEY_A)
  })

  it.each([
    [{ encrypt: true, keys: [KEY_A] }],
    [{ encrypt: true, keys: ['é'.repeat(16)] }],
    [{ encrypt: true, keys: [KEY_C] }],
    [{ encrypt: true, secret: KEY_A }],
    [{ encrypt: true, keys: [KEY_A], signed: true }],
    [{ encrypt: true, keys: [KEY_A], signed: null }],
    [{ encrypt: true, keys: [KEY_A], acceptSigned: null }],
    [{ encrypt: true, keys: [KEY_A], acceptSigned: false }],
    [{ encrypt: true, keys: [KEY_A], acceptSigned: ['short'] }],
    [{ encrypt: true, keys: [KEY_A], acceptSigned: new Keygrip(['short']) }],
    [{ encrypt: false, keys: ['short'] }],
    [{ encrypt: null, keys: ['short'], acceptSigned: null }],
    [{ encrypt: undefined, keys: ['short'], acceptSigned: undefined }],
    [{ encrypt: true, keys: [KEY_A], absoluteTimeout: 1 }],
    [{ encrypt: true, keys: [KEY_A], absoluteTimeout: 8.64e15, maxAge: 8.64e15 }],
    [{ encrypt: true, keys: [KEY_A], absoluteTimeout: null }],
    [{ encrypt: false, keys: ['short'], absoluteTimeout: undefined }],
  ])('%o is accepted', (options) => {
    expect(thrown(options)).toBeUndefined()
  })

  it('encrypt undefined or null means signed mode: a cookie and its .sig, as without the option', async () => {
    for (const encrypt of [undefined, null, false]) {
      await withApp({ keys: [KEY_A], encrypt: encrypt as any }, async (get) => {
        const res = await get(set({ a: 1 }))
        expect(res.setCookie.map((c) => parseSetCookie(c).name)).toEqual(['session', 'session.sig'])
        expect(cookieValue(res.setCookie)).toBe(Buffer.from('{"a":1}').toString('base64'))
      })
    }
  })

  it('secret is a one-key list, as in signed mode', async () => {
    await withApp({ secret: KEY_B, encrypt: true }, async (get) => {
      expect(opened(cookieValue((await get(set({ a: 1 }))).setCookie), [KEY_B])).toBe('{"a":1}')
    })
  })
})

describe('properties (fast-check)', () => {
  const RESERVED = new Set(['__proto__', 'constructor', 'isNew', 'isChanged', 'isPopulated', '_ctx'])
  const sessionData = fc
    .dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 })
    .filter((d) => Object.keys(d).every((k) => !RESERVED.has(k) && !(k in Object.prototype)))
    .map((d) => JSON.parse(JSON.stringify(d)) as Record<string, unknown>)

  it('any session object round-trips through a sealed cookie over HTTP', async () => {
    const h: Handler = (req, res) => {
      if (req.url === '/write') req.session = JSON.parse(Buffer.from(String(req.headers['x-data']), 'base64').toString())
      sendJson(res, { isNew: req.session.isNew, json: JSON.stringify(req.session) })
    }
    const served = await serve(nodeHttpHost.create(cookieSession({ keys: [KEY_A], encrypt: true, maxAge: 60_000 }) as any, h))
    try {
      await fc.assert(
        fc.asyncProperty(sessionData.filter((d) => Object.keys(d).length > 0), async (data) => {
          const json = JSON.stringify(data)
          const written = await send(served, '/write', { headers: { 'x-data': Buffer.from(json).toString('base64') } })
          const value = cookieValue(written.setCookie)!
          expect(opened(value)).toBe(json)
          const read = await send(served, '/read', { cookie: `session=${value}` })
          expect(read.body).toEqual({ isNew: false, json })
          expect(read.setCookie).toEqual([])
        }),
        { numRuns: 150, seed: 0x5ea1 },
      )
    } finally {
      await served.close()
    }
  })

  it('any string either is refused or opens only if this code sealed it, to what it sealed', () => {
    const sealer = opener([KEY_A, KEY_B])
    const sealed = new Map<string, string>()
    const samples = fc.sample(sessionData, { numRuns: 30, seed: 7 })
    for (const d of samples) {
      const json = JSON.stringify(d)
      sealed.set(sealer.seal('session', json, Infinity), json)
      sealed.set(opener([KEY_B]).seal('session', json, Infinity), json)
    }
    const genuine = [...sealed.keys()]
    const b64url = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=.')
    const candidate = fc.oneof(
      fc.string(),
      fc.string({ unit: b64url, maxLength: 120 }).map((s) => VERSION_TAG + s),
      fc.constantFrom(...genuine),
      // One change to a genuine value: a character replaced, inserted or removed; a truncation.
      fc
        .tuple(fc.constantFrom(...genuine), fc.nat(), b64url, fc.constantFrom('replace', 'insert', 'remove', 'truncate'))
        .map(([v, n, c, op]) => {
          const i = n % v.length
          if (op === 'replace') return v.slice(0, i) + c + v.slice(i + 1)
          if (op === 'insert') return v.slice(0, i) + c + v.slice(i)
          if (op === 'remove') return v.slice(0, i) + v.slice(i + 1)
          return v.slice(0, i)
        }),
      // Two genuine values spliced.
      fc.tuple(fc.constantFrom(...genuine), fc.constantFrom(...genuine), fc.nat()).map(([a, b, n]) => a.slice(0, n % a.length) + b.slice(n % a.length)),
    )
    fc.assert(
      fc.property(candidate, (value) => {
        const result = sealer.open('session', value, Date.now())
        if (result === undefined) return
        expect(sealed.get(value)).toBe(result.json)
      }),
      { numRuns: 20_000, seed: 0xc0ffee },
    )
  })
})
