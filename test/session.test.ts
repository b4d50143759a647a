// req.session on every host: lazy reading, when the cookie is saved, null and
// object assignment, the read-only flags and the keys a session never takes.
// Every response is compared with cookie-session 2.1.1's.
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { b64, decodeValue, describeSession, cookieValue, sessionCookie, signedCookie, withBoth } from './support/core-harness.js'
import { type Handler, hosts, sendJson } from './support/hosts.js'

const options = () => ({ keys: ['k1'] })

/** Routes on the path: each route does one thing to the session and reports it. */
const handler: Handler = (req, res) => {
  const url = new URL(req.url, 'http://x')
  switch (url.pathname) {
    case '/untouched':
      return sendJson(res, { ok: true })
    case '/read':
      return sendJson(res, describeSession(req.session))
    case '/set': {
      for (const [k, v] of url.searchParams) req.session[k] = v
      return sendJson(res, describeSession(req.session))
    }
    case '/same': {
      // Writes back the values it already has: no change.
      const s = req.session
      for (const [k, v] of Object.entries(s)) s[k] = JSON.parse(JSON.stringify(v))
      return sendJson(res, describeSession(req.session))
    }
    case '/change-and-back': {
      const before = req.session.a
      req.session.a = 'other'
      req.session.a = before
      return sendJson(res, describeSession(req.session))
    }
    case '/reorder': {
      const v = req.session.a
      delete req.session.a
      req.session.a = v
      return sendJson(res, describeSession(req.session))
    }
    case '/empty': {
      for (const k of Object.keys(req.session)) delete req.session[k]
      return sendJson(res, describeSession(req.session))
    }
    case '/null': {
      req.session = null
      return sendJson(res, { session: req.session })
    }
    case '/undefined': {
      req.session = undefined
      return sendJson(res, { session: req.session === null ? 'null' : typeof req.session })
    }
    case '/null-then-read': {
      req.session = null
      req.session = null
      return sendJson(res, { session: req.session, again: req.session })
    }
    case '/assign': {
      const data = JSON.parse(url.searchParams.get('data') ?? '{}')
      req.session = data
      const session = req.session
      return sendJson(res, {
        copied: session !== data,
        ...(describeSession(session) as object),
      })
    }
    case '/assign-empty': {
      req.session = {}
      return sendJson(res, describeSession(req.session))
    }
    case '/assign-inherited': {
      req.session = Object.assign(Object.create({ inherited: 'yes' }), { own: 1 })
      return sendJson(res, describeSession(req.session))
    }
    case '/assign-exotic': {
      const kind = url.searchParams.get('kind')
      req.session = {
        array: ['x', 'y'],
        date: new Date(0),
        map: new Map([['k', 'v']]),
        boxed: new String('ab'),
        nullProto: Object.assign(Object.create(null), { p: 1 }),
      }[kind as string]
      return sendJson(res, describeSession(req.session))
    }
    case '/assign-after-null': {
      req.session = null
      req.session = { back: 1 }
      return sendJson(res, describeSession(req.session))
    }
    case '/assign-bad': {
      const kind = url.searchParams.get('kind')
      const value = {
        number: 42,
        string: 'str',
        true: true,
        false: false,
        zero: 0,
        empty: '',
        function: () => 1,
        symbol: Symbol('s'),
        bigint: 10n,
      }[kind as string]
      let message = 'no error'
      try {
        req.session = value
      } catch (err) {
        message = `${(err as Error).constructor.name}: ${(err as Error).message}`
      }
      return sendJson(res, { message, session: describeSession(req.session) })
    }
    case '/flags-readonly': {
      const s = req.session
      const attempts: Record<string, string> = {}
      for (const flag of ['isNew', 'isChanged', 'isPopulated']) {
        try {
          s[flag] = 'overwritten'
          attempts[flag] = 'no error'
        } catch (err) {
          attempts[flag] = (err as Error).constructor.name
        }
      }
      s.data = 1
      return sendJson(res, {
        attempts,
        flags: [s.isNew, s.isChanged, s.isPopulated],
        own: Object.getOwnPropertyNames(s),
        json: JSON.stringify(s),
        enumerable: Object.keys(s),
        forIn: ((): string[] => {
          const keys: string[] = []
          for (const k in s) keys.push(k)
          return keys
        })(),
      })
    }
    case '/ctx': {
      const s = req.session
      let assign = 'no error'
      try {
        s._ctx = { _new: false }
      } catch (err) {
        assign = (err as Error).constructor.name
      }
      // 2.1.1's context fields, and nothing behind the context that prints a key.
      const legacy = { new: s._ctx._new, val: s._ctx._val }
      const leaksKey = inspect(s._ctx, { depth: 20, showHidden: true }).includes("'k1'")
      s.a = 1
      return sendJson(res, {
        inSession: '_ctx' in s,
        isObject: typeof s._ctx === 'object',
        assign,
        keys: Object.keys(s),
        isNew: s.isNew,
        legacy,
        leaksKey,
      })
    }
    case '/proto': {
      // Swaps the prototype: the flags then come from whatever the new one says.
      const flags = JSON.parse(url.searchParams.get('flags') ?? 'null')
      const s = req.session
      s.changed = 'yes'
      Object.setPrototypeOf(s, flags)
      return sendJson(res, { keys: Object.keys(s) })
    }
    case '/after-end': {
      // Reading the session after the headers went out writes nothing.
      res.end('done')
      req.session.late = 1
      return
    }
    case '/throw-in-handler': {
      req.session.x = 1
      throw new Error('handler failed')
    }
    default:
      return sendJson(res, { route: 'none' }, 404)
  }
}

describe.each(hosts)('req.session on $name', (host) => {
  const both = (body: Parameters<typeof withBoth>[3]) => withBoth(host, options, handler, body)

  describe('lazy reading', () => {
    it('sets no cookie when req.session is never accessed, whatever came in', () =>
      both(async (b) => {
        for (const cookie of [undefined, sessionCookie({ a: 1 }), sessionCookie({ a: 1 }, 'wrong'), 'session=garbage']) {
          const { ours } = await b.get('/untouched', { cookie })
          expect(ours.setCookie).toEqual([])
          expect(ours.body).toEqual({ ok: true })
        }
      }))

    it('gives a new, empty session when no cookie came, and writes nothing while it stays empty', () =>
      both(async (b) => {
        const { ours } = await b.get('/read')
        expect(ours.body).toEqual({ isNew: true, isChanged: true, isPopulated: false, keys: [], json: '{}' })
        expect(ours.setCookie).toEqual([])
      }))

    it('loads the data of a valid cookie and writes nothing when it is unchanged', () =>
      both(async (b) => {
        const cookie = sessionCookie({ a: 'x', n: 2, nested: { deep: [1, 2] } })
        const { ours } = await b.get('/read', { cookie })
        expect(ours.body).toEqual({
          isNew: false,
          isChanged: false,
          isPopulated: true,
          keys: ['a', 'n', 'nested'],
          json: '{"a":"x","n":2,"nested":{"deep":[1,2]}}',
        })
        expect(ours.setCookie).toEqual([])
      }))

    it('writes nothing when the handler reads the session only after the response ended', () =>
      both(async (b) => {
        const { ours } = await b.get('/after-end')
        expect(ours.text).toBe('done')
        expect(ours.setCookie).toEqual([])
      }))
  })

  describe('when the cookie is saved', () => {
    it('saves a new session once it holds data', () =>
      both(async (b) => {
        const { ours } = await b.get('/set?a=1')
        expect(ours.body.isNew).toBe(true)
        expect(decodeValue(cookieValue(ours.setCookie))).toEqual({ a: '1' })
        expect(ours.setCookie).toHaveLength(2)
        expect(ours.setCookie[1]).toMatch(/^session\.sig=[\w-]{27}; path=\/; httponly$/)
      }))

    it('saves a loaded session that changed, and only then', () =>
      both(async (b) => {
        const cookie = sessionCookie({ a: '1' })
        const unchanged = await b.get('/same', { cookie })
        expect(unchanged.ours.setCookie).toEqual([])
        const back = await b.get('/change-and-back', { cookie })
        expect(back.ours.body.isChanged).toBe(false)
        expect(back.ours.setCookie).toEqual([])
        const changed = await b.get('/set?b=2', { cookie })
        expect(changed.ours.body).toMatchObject({ isNew: false, isChanged: true })
        expect(decodeValue(cookieValue(changed.ours.setCookie))).toEqual({ a: '1', b: '2' })
      }))

    it('counts a change of key order as a change (the serialised form differs)', () =>
      both(async (b) => {
        const { ours } = await b.get('/reorder', { cookie: sessionCookie({ a: 1, b: 2 }) })
        expect(ours.body.isChanged).toBe(true)
        expect(decodeValue(cookieValue(ours.setCookie))).toEqual({ b: 2, a: 1 })
      }))

    it('saves a loaded session that was emptied (not new, changed), as {}', () =>
      both(async (b) => {
        const { ours } = await b.get('/empty', { cookie: sessionCookie({ a: 1 }) })
        expect(ours.body).toMatchObject({ isNew: false, isChanged: true, isPopulated: false })
        expect(cookieValue(ours.setCookie)).toBe(b64({}))
      }))

    it('keeps a session across requests with a cookie jar', () =>
      both(async (b) => {
        await b.get('/set?a=1', { jar: true })
        const second = await b.get('/set?b=2', { jar: true })
        expect(second.ours.body).toMatchObject({ isNew: false, keys: ['a', 'b'] })
        const third = await b.get('/read', { jar: true })
        expect(third.ours.body).toMatchObject({ isNew: false, isChanged: false, keys: ['a', 'b'] })
        expect(third.ours.setCookie).toEqual([])
      }))

    it('still writes the cookie when the handler throws after changing the session', () =>
      both(async (b) => {
        const { ours } = await b.get('/throw-in-handler')
        expect(ours.status).toBe(500)
        expect(decodeValue(cookieValue(ours.setCookie))).toEqual({ x: 1 })
      }))
  })

  describe('req.session = null', () => {
    it('reads back null and expires the cookie and its signature', () =>
      both(async (b) => {
        const { ours } = await b.get('/null', { cookie: sessionCookie({ a: 1 }) })
        expect(ours.body).toEqual({ session: null })
        expect(ours.setCookie).toEqual([
          'session=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly',
          expect.stringMatching(/^session\.sig=[\w-]{27}; path=\/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly$/),
        ])
      }))

    it('expires the cookie even when none came in, and undefined does the same', () =>
      both(async (b) => {
        const a = await b.get('/null')
        expect(a.ours.setCookie[0]).toMatch(/^session=; path=\/; expires=Thu, 01 Jan 1970/)
        const u = await b.get('/undefined')
        expect(u.ours.body).toEqual({ session: 'null' })
        expect(u.ours.setCookie[0]).toMatch(/^session=; /)
      }))

    it('stays null when set twice', () =>
      both(async (b) => {
        const { ours } = await b.get('/null-then-read')
        expect(ours.body).toEqual({ session: null, again: null })
      }))

    it('logs out in a jar: the next request starts a new session', () =>
      both(async (b) => {
        await b.get('/set?a=1', { jar: true })
        await b.get('/null', { jar: true })
        expect(b.jars.ours.cookies.size).toBe(0)
        const { ours } = await b.get('/read', { jar: true })
        expect(ours.body.isNew).toBe(true)
      }))
  })

  describe('req.session = object', () => {
    it('makes a new session holding a copy of the data', () =>
      both(async (b) => {
        const data = encodeURIComponent(JSON.stringify({ user: 'ann', n: 1 }))
        const { ours } = await b.get(`/assign?data=${data}`, { cookie: sessionCookie({ old: 1 }) })
        expect(ours.body).toMatchObject({ copied: true, isNew: true, keys: ['user', 'n'] })
        expect(decodeValue(cookieValue(ours.setCookie))).toEqual({ user: 'ann', n: 1 })
      }))

    it('makes an empty new session from {}: nothing is written, the old cookie stays', () =>
      both(async (b) => {
        const { ours } = await b.get('/assign-empty', { cookie: sessionCookie({ old: 1 }) })
        expect(ours.body).toMatchObject({ isNew: true, isPopulated: false })
        expect(ours.setCookie).toEqual([])
      }))

    it('copies inherited enumerable keys too (for-in)', () =>
      both(async (b) => {
        const { ours } = await b.get('/assign-inherited')
        expect(ours.body.keys).toEqual(['own', 'inherited'])
      }))

    it.each([
      ['array', ['0', '1']],
      ['date', []],
      ['map', []],
      ['boxed', ['0', '1']],
      ['nullProto', ['p']],
    ])('takes the enumerable keys of any object (%s), as 2.1.1 does', (kind, keys) =>
      both(async (b) => {
        const { ours } = await b.get(`/assign-exotic?kind=${kind}`)
        expect(ours.body).toMatchObject({ isNew: true, keys })
        expect(ours.setCookie).toHaveLength(keys.length > 0 ? 2 : 0)
      }),
    )

    it('brings a destroyed session back', () =>
      both(async (b) => {
        const { ours } = await b.get('/assign-after-null')
        expect(decodeValue(cookieValue(ours.setCookie))).toEqual({ back: 1 })
      }))

    it.each(['number', 'string', 'true', 'false', 'zero', 'empty', 'function', 'symbol', 'bigint'])(
      'refuses a %s with the exact 2.1.1 error, leaving the session as it was',
      (kind) =>
        both(async (b) => {
          const { ours } = await b.get(`/assign-bad?kind=${kind}`)
          expect(ours.body.message).toBe('Error: req.session can only be set as null or an object.')
          expect(ours.body.session).toMatchObject({ isNew: true, isPopulated: false })
          expect(ours.setCookie).toEqual([])
        }),
    )
  })

  describe('isNew, isChanged, isPopulated', () => {
    it('are read-only getters, never data', () =>
      both(async (b) => {
        // 2.1.1 kept its context in a non-enumerable own property `_ctx`; this
        // session has no own property but the data: compare all the rest.
        const { ours, oracle } = await b.raw('/flags-readonly', { cookie: sessionCookie({ a: 1 }) })
        expect(oracle.body.own).toEqual(['_ctx', 'a', 'data'])
        expect({ ...oracle.body, own: ['a', 'data'] }).toEqual(ours.body)
        expect(ours.setCookie).toEqual(oracle.setCookie)
        expect(ours.body).toEqual({
          attempts: { isNew: 'TypeError', isChanged: 'TypeError', isPopulated: 'TypeError' },
          flags: [false, true, true],
          own: ['a', 'data'],
          json: '{"a":1,"data":1}',
          enumerable: ['a', 'data'],
          forIn: ['a', 'data'],
        })
        expect(decodeValue(cookieValue(ours.setCookie))).toEqual({ a: 1, data: 1 })
      }))
  })

  describe('_ctx and the prototype', () => {
    it('_ctx is there, read-only and never data', () =>
      both(async (b) => {
        const cookie = sessionCookie({ z: 1 })
        const { ours, oracle } = await b.get('/ctx', { cookie })
        const legacy = { new: false, val: b64({ z: 1 }) }
        expect(ours.body).toEqual({ inSession: true, isObject: true, assign: 'TypeError', keys: ['z', 'a'], isNew: false, legacy, leaksKey: false })
        expect(oracle.body).toEqual(ours.body)
        expect(decodeValue(cookieValue(ours.setCookie))).toEqual({ z: 1, a: 1 })
      }))

    it.each([
      ['Object.prototype (no flags: never saved)', {}, false],
      ['an object whose flags say changed', { isNew: false, isChanged: true }, true],
      ['an object whose flags say new and empty', { isNew: true, isPopulated: false, isChanged: true }, false],
      ['an object whose flags say new and populated', { isNew: true, isPopulated: true, isChanged: true }, true],
      ['null', null, false],
    ])('a session whose prototype the handler replaced with %s is saved as its flags say', (_what, flags, saved) =>
      both(async (b) => {
        const { ours } = await b.get(`/proto?flags=${encodeURIComponent(JSON.stringify(flags))}`, {
          cookie: sessionCookie({ a: 1 }),
        })
        expect(ours.body).toEqual({ keys: ['a', 'changed'] })
        expect(ours.setCookie.length > 0).toBe(saved)
      }),
    )
  })

  describe('reserved keys', () => {
    const reserved = {
      isNew: 'x',
      isChanged: 'x',
      isPopulated: 'x',
      _ctx: { _new: false },
      constructor: 'x',
      toString: 'x',
      valueOf: 'x',
      hasOwnProperty: 'x',
      __proto__: { polluted: true },
      __defineGetter__: 'x',
      propertyIsEnumerable: 'x',
      data: 'kept',
    }
    // JSON.stringify keeps "__proto__" as an own key only if it is one: build the text by hand.
    const json = JSON.stringify(reserved).replace('"data"', '"__proto__":{"polluted":true},"data"')

    it('are not loaded from a cookie', () =>
      both(async (b) => {
        const cookie = signedCookie(Buffer.from(json).toString('base64'))
        const { ours } = await b.get('/set?more=1', { cookie })
        expect(ours.body).toMatchObject({ isNew: false, isPopulated: true, keys: ['data', 'more'] })
        expect(decodeValue(cookieValue(ours.setCookie))).toEqual({ data: 'kept', more: '1' })
        expect(({} as any).polluted).toBeUndefined()
      }))

    it('are not taken from an assigned object', () =>
      both(async (b) => {
        const { ours } = await b.get(`/assign?data=${encodeURIComponent(json)}`)
        expect(ours.body).toMatchObject({ isNew: true, keys: ['data'], json: '{"data":"kept"}' })
        expect(({} as any).polluted).toBeUndefined()
      }))

    it('a cookie holding only reserved keys loads as an empty, not-new session', () =>
      both(async (b) => {
        const { ours } = await b.get('/read', { cookie: sessionCookie({ isNew: true, constructor: 1 }) })
        expect(ours.body).toMatchObject({ isNew: false, isPopulated: false, isChanged: true, json: '{}' })
      }))
  })
})
