// Issue 6: Passport >= 0.6 works because every session has non-enumerable
// regenerate(cb) and save(cb); cookie-session 2.1.1 throws on them.
import type { RequestListener, ServerResponse } from 'node:http'
import oracle from 'cookie-session-2'
import express, { type NextFunction, type Request, type Response } from 'express'
import passport from 'passport'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../examples/passport.js'
import { cookieSession } from '../src/index.js'
import { hosts, listen, sendJson } from './support/hosts.js'
import {
  cookieNamed,
  decodeSession,
  encodeSession,
  isClearing,
  KEYS,
  normalised,
  setCookies,
  signedCookie,
} from './support/cookies.js'

type Server = Awaited<ReturnType<typeof listen>>

/** The example app plus a few routes to look inside the session. */
function exampleApp(): express.Express {
  const app = createApp({ keys: KEYS })
  // Pre-login data, e.g. a shopping cart or a planted (fixation) value.
  app.get('/test/cart', (req, res) => {
    const cart = Array.isArray(req.session.cart) ? req.session.cart : []
    req.session.cart = [...cart, String(req.query.item)]
    res.json(req.session)
  })
  app.get('/test/session', (req, res) => {
    res.json({ keys: Object.keys(req.session), session: req.session, user: req.user?.name ?? null })
  })
  // What the browser (the supertest agent) sends back.
  app.get('/test/cookies', (req, res) => {
    res.json({ cookie: req.headers.cookie ?? '' })
  })
  app.post(
    '/test/login-keep',
    passport.authenticate('local', { keepSessionInfo: true, successRedirect: '/profile', failureRedirect: '/login?failed=1' }),
  )
  app.post('/test/logout-keep', (req, res, next) => {
    req.logout({ keepSessionInfo: true }, (err) => (err ? next(err) : res.redirect('/')))
  })
  return app
}

let server: Server

beforeAll(async () => {
  server = await listen(exampleApp() as unknown as RequestListener)
})
afterAll(async () => {
  await server.close()
})

/** The `name=value` pairs a browser would send after this response (for the session cookies). */
function sessionPairs(res: request.Response): string {
  const session = cookieNamed(res, 'session')
  const sig = cookieNamed(res, 'session.sig')
  return `session=${session?.value}; session.sig=${sig?.value}`
}

describe('Passport 0.7 + passport-local over HTTP (examples/passport.ts)', () => {
  it('login regenerates: pre-login data is discarded and the response overwrites both cookies', async () => {
    const agent = request.agent(server.url)
    const pre = await agent.get('/test/cart?item=apple').expect(200)
    expect(pre.body).toEqual({ cart: ['apple'] })
    const preCookie = sessionPairs(pre)

    const login = await agent.post('/login').type('form').send({ username: 'alice', password: 'wonderland' })
    expect(login.status).toBe(302)
    expect(login.headers.location).toBe('/profile')

    const session = cookieNamed(login, 'session')
    const sig = cookieNamed(login, 'session.sig')
    expect(session).toBeDefined()
    expect(sig).toBeDefined()
    // Same name, path and (no) domain as before: the browser replaces its copy.
    for (const c of [session, sig]) {
      expect(c?.attrs.path).toBe('/')
      expect(c?.attrs.domain).toBeUndefined()
      expect(c?.attrs.httponly).toBe(true)
    }
    expect(isClearing(session)).toBe(false)
    // Only what Passport stored after regenerate(): the cart is gone.
    expect(decodeSession(session?.value ?? '')).toEqual({ passport: { user: 1 } })
    expect(session?.value).not.toBe(cookieNamed(pre, 'session')?.value)
    expect(sig?.value).not.toBe(cookieNamed(pre, 'session.sig')?.value)

    // The browser now holds only the new cookie.
    const sent = await agent.get('/test/cookies').expect(200)
    expect(sent.body.cookie).toBe(sessionPairs(login))
    expect(sent.body.cookie).not.toContain(cookieNamed(pre, 'session')?.value)

    await agent.get('/profile').expect(200, /Hello, Alice\./)
    const inside = await agent.get('/test/session').expect(200)
    expect(inside.body).toEqual({ keys: ['passport'], session: { passport: { user: 1 } }, user: 'Alice' })

    // Session fixation: whoever kept the pre-login cookie gains nothing from the login.
    await request(server.url).get('/').set('Cookie', preCookie).expect(200, /Anonymous\./)
    const replay = await request(server.url).get('/profile').set('Cookie', preCookie)
    expect(replay.status).toBe(302)
    expect(replay.headers.location).toBe('/login')
  })

  it('login with keepSessionInfo: true keeps the pre-login data next to the user', async () => {
    const agent = request.agent(server.url)
    await agent.get('/test/cart?item=apple').expect(200)
    await agent.get('/test/cart?item=pear').expect(200)

    const login = await agent.post('/test/login-keep').type('form').send({ username: 'bob', password: 'builder' })
    expect(login.status).toBe(302)
    expect(login.headers.location).toBe('/profile')
    expect(decodeSession(cookieNamed(login, 'session')?.value ?? '')).toEqual({
      cart: ['apple', 'pear'],
      passport: { user: 2 },
    })

    const inside = await agent.get('/test/session').expect(200)
    expect(inside.body.user).toBe('Bob')
    expect(inside.body.session).toEqual({ cart: ['apple', 'pear'], passport: { user: 2 } })
  })

  it('a failed login redirects, keeps the visitor anonymous and leaves the session and cookie alone', async () => {
    const agent = request.agent(server.url)
    const pre = await agent.get('/test/cart?item=apple').expect(200)

    const login = await agent.post('/login').type('form').send({ username: 'alice', password: 'wrong' })
    expect(login.status).toBe(302)
    expect(login.headers.location).toBe('/login?failed=1')
    expect(setCookies(login)).toEqual([])

    await agent.get('/login?failed=1').expect(200, /Wrong user name or password/)
    await agent.get('/').expect(200, /Anonymous\./)
    await agent.get('/profile').expect(302)
    const sent = await agent.get('/test/cookies').expect(200)
    expect(sent.body.cookie).toBe(sessionPairs(pre))
    const inside = await agent.get('/test/session').expect(200)
    expect(inside.body).toEqual({ keys: ['cart'], session: { cart: ['apple'] }, user: null })
  })

  it('a failed login with no session cookie sends no cookie at all', async () => {
    const login = await request(server.url).post('/login').type('form').send({ username: 'nobody', password: 'x' })
    expect(login.status).toBe(302)
    expect(login.headers['set-cookie']).toBeUndefined()
  })

  it('logout clears both cookies and the next request is anonymous', async () => {
    const agent = request.agent(server.url)
    await agent.post('/login').type('form').send({ username: 'alice', password: 'wonderland' }).expect(302)
    await agent.get('/').expect(200, /Signed in as <b id="name">Alice<\/b>/)

    const logout = await agent.post('/logout')
    expect(logout.status).toBe(302)
    expect(logout.headers.location).toBe('/')
    expect(isClearing(cookieNamed(logout, 'session'))).toBe(true)
    expect(isClearing(cookieNamed(logout, 'session.sig'))).toBe(true)
    expect(cookieNamed(logout, 'session')?.attrs.path).toBe('/')

    // The browser dropped the expired cookies.
    const sent = await agent.get('/test/cookies').expect(200)
    expect(sent.body.cookie).toBe('')
    await agent.get('/').expect(200, /Anonymous\./)
    const profile = await agent.get('/profile')
    expect(profile.status).toBe(302)
    expect(profile.headers.location).toBe('/login')
  })

  it('logout with keepSessionInfo: true keeps the other data, without the user', async () => {
    const agent = request.agent(server.url)
    await agent.get('/test/cart?item=apple').expect(200)
    await agent.post('/test/login-keep').type('form').send({ username: 'alice', password: 'wonderland' }).expect(302)

    const logout = await agent.post('/test/logout-keep')
    expect(logout.status).toBe(302)
    expect(decodeSession(cookieNamed(logout, 'session')?.value ?? '')).toEqual({ cart: ['apple'], passport: {} })
    const inside = await agent.get('/test/session').expect(200)
    expect(inside.body).toEqual({ keys: ['cart', 'passport'], session: { cart: ['apple'], passport: {} }, user: null })
  })

  it('limitation, as with any cookie session: a copy of the logged-in cookie kept by the client still works after logout', async () => {
    // The server keeps no state, so it cannot revoke a cookie the browser was
    // told to delete. This is what the README documents; keep maxAge short.
    const agent = request.agent(server.url)
    const login = await agent.post('/login').type('form').send({ username: 'alice', password: 'wonderland' })
    const copy = sessionPairs(login)
    await agent.post('/logout').expect(302)
    await request(server.url).get('/').set('Cookie', copy).expect(200, /Alice/)
  })
})

describe('cookie-session 2.1.1 with Passport 0.7', () => {
  let oracleServer: Server
  beforeAll(async () => {
    const app = express()
    app.use(express.urlencoded({ extended: false }))
    app.use(oracle({ keys: KEYS }) as express.RequestHandler)
    app.use(passport.session())
    app.post('/login', passport.authenticate('local', { successRedirect: '/', failureRedirect: '/login' }))
    app.post('/logout', (req, res, next) => {
      req.logout((err) => (err ? next(err) : res.redirect('/')))
    })
    app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
      res.status(500).send(err.message)
    })
    oracleServer = await listen(app as unknown as RequestListener)
  })
  afterAll(async () => {
    await oracleServer.close()
  })

  it('throws "req.session.regenerate is not a function" on login, where this package logs in', async () => {
    const res = await request(oracleServer.url).post('/login').type('form').send({ username: 'alice', password: 'wonderland' })
    expect(res.status).toBe(500)
    expect(res.text).toBe('req.session.regenerate is not a function')

    const ours = await request(server.url).post('/login').type('form').send({ username: 'alice', password: 'wonderland' })
    expect(ours.status).toBe(302)
  })

  it('throws "req.session.save is not a function" on logout, where this package logs out', async () => {
    const loggedIn = signedCookie({ passport: { user: 1 } })
    const res = await request(oracleServer.url).post('/logout').set('Cookie', loggedIn)
    expect(res.status).toBe(500)
    expect(res.text).toBe('req.session.save is not a function')

    const ours = await request(server.url).post('/logout').set('Cookie', loggedIn)
    expect(ours.status).toBe(302)
    expect(isClearing(cookieNamed(ours, 'session'))).toBe(true)
  })
})

// --- regenerate() and save() directly, on every host ---------------------------

type Handler = (req: any, res: ServerResponse) => void

async function call(
  listener: RequestListener,
  cookie?: string,
): Promise<request.Response> {
  const s = await listen(listener)
  try {
    const req = request(s.url).get('/')
    if (cookie) req.set('Cookie', cookie)
    return await req
  } finally {
    await s.close()
  }
}

describe.each(hosts)('regenerate() and save() on $name', (host) => {
  const ours = (handler: Handler): RequestListener => host.create(cookieSession({ keys: KEYS }), handler)
  const theirs = (handler: Handler): RequestListener => host.create(oracle({ keys: KEYS }), handler)

  it('call back asynchronously, with no error, in order', async () => {
    const res = await call(
      ours((req, res) => {
        const order: string[] = []
        req.session.a = 1
        req.session.save((...args: unknown[]) => {
          order.push(`save cb ${args.filter((a) => a !== undefined).length}`)
          req.session.regenerate((...args2: unknown[]) => {
            order.push(`regenerate cb ${args2.filter((a) => a !== undefined).length}`)
            sendJson(res, order)
          })
          order.push('after regenerate()')
        })
        order.push('after save()')
      }),
    )
    expect(res.status).toBe(200)
    expect(res.body).toEqual(['after save()', 'save cb 0', 'after regenerate()', 'regenerate cb 0'])
  })

  it('work without a callback', async () => {
    const res = await call(
      ours((req, res) => {
        req.session.save()
        req.session.regenerate()
        req.session.b = 2
        sendJson(res, { keys: Object.keys(req.session) })
      }),
      signedCookie({ a: 1 }),
    )
    expect(res.body).toEqual({ keys: ['b'] })
    expect(decodeSession(cookieNamed(res, 'session')?.value ?? '')).toEqual({ b: 2 })
  })

  it('regenerate() puts a new, empty session in place of the loaded one', async () => {
    const res = await call(
      ours((req, res) => {
        const old = req.session
        const before = { a: old.a, isNew: old.isNew }
        old.regenerate(() => {
          const now = req.session
          sendJson(res, {
            before,
            same: now === old,
            isNew: now.isNew,
            isPopulated: now.isPopulated,
            keys: Object.keys(now),
            a: now.a ?? null,
            json: JSON.stringify(now),
          })
        })
      }),
      signedCookie({ a: 1, b: [2] }),
    )
    expect(res.body).toEqual({
      before: { a: 1, isNew: false },
      same: false,
      isNew: true,
      isPopulated: false,
      keys: [],
      a: null,
      json: '{}',
    })
  })

  it('regenerate() leaving the session empty clears both cookies', async () => {
    const res = await call(
      ours((req, res) => {
        req.session.regenerate(() => sendJson(res, 'ok'))
      }),
      signedCookie({ user: 'alice' }),
    )
    expect(res.status).toBe(200)
    expect(setCookies(res).map((c) => c.name)).toEqual(['session', 'session.sig'])
    expect(isClearing(cookieNamed(res, 'session'))).toBe(true)
    expect(isClearing(cookieNamed(res, 'session.sig'))).toBe(true)
  })

  it('regenerate() then emptying by assignment or destroying still clears the cookie', async () => {
    for (const after of [(req: any) => (req.session = {}), (req: any) => (req.session = null)]) {
      const res = await call(
        ours((req, res) => {
          req.session.regenerate(() => {
            after(req)
            sendJson(res, 'ok')
          })
        }),
        signedCookie({ user: 'alice' }),
      )
      expect(isClearing(cookieNamed(res, 'session'))).toBe(true)
      expect(isClearing(cookieNamed(res, 'session.sig'))).toBe(true)
    }
  })

  it('regenerate() then new data overwrites the cookie with only the new data', async () => {
    const res = await call(
      ours((req, res) => {
        req.session.regenerate(() => {
          req.session.user = 'bob'
          sendJson(res, 'ok')
        })
      }),
      signedCookie({ user: 'alice', planted: true }),
    )
    const session = cookieNamed(res, 'session')
    expect(isClearing(session)).toBe(false)
    expect(decodeSession(session?.value ?? '')).toEqual({ user: 'bob' })
    expect(cookieNamed(res, 'session.sig')?.value).toMatch(/^[\w-]{27}$/)
  })

  it('regenerate() then the same data as before still re-writes it (a new session)', async () => {
    const res = await call(
      ours((req, res) => {
        req.session.regenerate(() => {
          req.session.user = 'alice'
          sendJson(res, 'ok')
        })
      }),
      signedCookie({ user: 'alice' }),
    )
    expect(cookieNamed(res, 'session')?.value).toBe(encodeSession({ user: 'alice' }))
  })

  it('save() alone writes nothing more than 2.1.1 would: an empty new session sends no cookie', async () => {
    const res = await call(
      ours((req, res) => {
        req.session.save(() => sendJson(res, { isNew: req.session.isNew }))
      }),
    )
    expect(res.body).toEqual({ isNew: true })
    expect(res.headers['set-cookie']).toBeUndefined()
  })

  it('save() on an unchanged loaded session sends no cookie', async () => {
    const res = await call(
      ours((req, res) => {
        req.session.save(() => sendJson(res, req.session))
      }),
      signedCookie({ a: 1 }),
    )
    expect(res.body).toEqual({ a: 1 })
    expect(res.headers['set-cookie']).toBeUndefined()
  })

  it('the methods never show up in Object.keys, for-in, JSON, isPopulated or the cookie', async () => {
    const res = await call(
      ours((req, res) => {
        const s = req.session
        const empty = {
          keys: Object.keys(s),
          forIn: [] as string[],
          json: JSON.stringify(s),
          isPopulated: s.isPopulated,
          types: [typeof s.regenerate, typeof s.save],
          own: [Object.hasOwn(s, 'regenerate'), Object.hasOwn(s, 'save')],
        }
        for (const k in s) empty.forIn.push(k)
        s.x = 1
        sendJson(res, { empty, after: { keys: Object.keys(s), isPopulated: s.isPopulated } })
      }),
    )
    expect(res.body).toEqual({
      empty: {
        keys: [],
        forIn: [],
        json: '{}',
        isPopulated: false,
        types: ['function', 'function'],
        own: [false, false],
      },
      after: { keys: ['x'], isPopulated: true },
    })
    expect(decodeSession(cookieNamed(res, 'session')?.value ?? '')).toEqual({ x: 1 })
  })

  describe('data keys named regenerate and save behave exactly as in 2.1.1', () => {
    const cases: { name: string; cookie?: unknown; handler: Handler }[] = [
      {
        name: 'loaded from a cookie, read and changed',
        cookie: { regenerate: 'r', save: { deep: 1 }, n: 1 },
        handler: (req, res) => {
          req.session.n++
          sendJson(res, { regenerate: req.session.regenerate, save: req.session.save, keys: Object.keys(req.session) })
        },
      },
      {
        name: 'loaded from a cookie and left alone',
        cookie: { regenerate: 1, save: 2 },
        handler: (req, res) => sendJson(res, { keys: Object.keys(req.session), populated: req.session.isPopulated }),
      },
      {
        name: 'loaded from a cookie and deleted',
        cookie: { regenerate: 1, save: 2, n: 3 },
        handler: (req, res) => {
          delete req.session.regenerate
          delete req.session.save
          sendJson(res, { keys: Object.keys(req.session) })
        },
      },
      {
        name: 'assigned with req.session = {...}',
        handler: (req, res) => {
          req.session = { regenerate: true, save: 'yes', other: null }
          sendJson(res, { keys: Object.keys(req.session), isNew: req.session.isNew })
        },
      },
      {
        name: 'set on a new session',
        handler: (req, res) => {
          req.session.save = 0
          sendJson(res, { save: req.session.save, populated: req.session.isPopulated })
        },
      },
    ]
    it.each(cases)('$name', async ({ cookie, handler }) => {
      const header = cookie === undefined ? undefined : signedCookie(cookie)
      const [a, b] = [await call(ours(handler), header), await call(theirs(handler), header)]
      expect(a.status).toBe(200)
      expect(b.status).toBe(200)
      expect(a.body).toEqual(b.body)
      expect(normalised(a)).toEqual(normalised(b))
    })

    it('shadowing regenerate with data makes Passport fail as it would with 2.1.1 (own data wins)', async () => {
      const res = await call(
        ours((req, res) => {
          try {
            req.session.regenerate(() => {})
            sendJson(res, 'called')
          } catch (e) {
            sendJson(res, (e as Error).message)
          }
        }),
        signedCookie({ regenerate: 'data' }),
      )
      expect(res.body).toBe('req.session.regenerate is not a function')
    })
  })
})
