// How the middleware hangs the session on the request: the shape of
// req.session and req.sessionOptions, two middlewares on one request, and
// objects made from the request or its accessor, all against cookie-session
// 2.1.1. One getter and setter per middleware serve all its requests, each
// request's state sits under that middleware's symbol on req.
import type { RequestListener } from 'node:http'
import { inspect } from 'node:util'
import express from 'express'
import express4 from 'express4'
import onHeaders from 'on-headers'
import { describe, expect, it } from 'vitest'
import { type Factory, type SendOptions, sessionCookie, sideBySide } from './support/core-harness.js'
import { type Handler, hosts, type Middleware, sendJson } from './support/hosts.js'

const KEYS = ['attach-key']

/** Runs `middlewares` one after the other, as `app.use(a); app.use(b)` would. */
function chain(middlewares: Middleware[]): Middleware {
  return (req, res, next) => {
    const step = (i: number) => {
      const middleware = middlewares[i]
      if (middleware === undefined) return next()
      middleware(req, res, (err) => (err ? next(err) : step(i + 1)))
    }
    step(0)
  }
}

/** What a handler can see of how a property is attached to `req`. */
function shape(obj: object, key: string) {
  const d = Object.getOwnPropertyDescriptor(obj, key)
  if (d === undefined) return { own: false }
  return {
    own: true,
    enumerable: d.enumerable,
    configurable: d.configurable,
    accessor: typeof d.get === 'function' && typeof d.set === 'function',
    writable: d.writable,
  }
}

for (const host of hosts) {
  describe(`attachment on ${host.name}`, () => {
    /** The same middlewares and handler on this host, with this package and with 2.1.1. */
    const both = (middlewares: (factory: Factory) => Middleware[], handler: Handler, options?: SendOptions) =>
      sideBySide((factory) => host.create(chain(middlewares(factory)), handler), '/', options)

    it('req.session is an own, enumerable, configurable accessor and req.sessionOptions an own property, as in 2.1.1', async () => {
      const { ours, oracle } = await both(
        (factory) => [factory({ keys: KEYS })],
        (req, res) =>
          sendJson(res, {
            session: shape(req, 'session'),
            sessionOptions: shape(req, 'sessionOptions'),
            keys: Object.keys(req).filter((k) => k === 'session' || k === 'sessionOptions'),
            inherits: Object.getPrototypeOf(req.sessionOptions) !== Object.prototype,
          }),
      )
      expect(ours.body).toEqual(oracle.body)
      expect(ours.body.session).toEqual({ own: true, enumerable: true, configurable: true, accessor: true, writable: undefined })
    })

    it('two middlewares on one request each commit their own session, with the bytes of 2.1.1', async () => {
      // req.session is the later middleware's; the earlier one's session, touched
      // before the later ran, is still committed by the earlier middleware. Both
      // commit with req.sessionOptions, which by then is the later one's, and
      // `cookies` takes the cookie name from it too: 2.1.1 writes the earlier
      // session under the later name, and so does this package.
      const { ours, oracle } = await both(
        (factory) => {
          const touchFirst: Middleware = (req, _res, next) => {
            req.session.first = 1
            next()
          }
          return [factory({ name: 'one', keys: KEYS }), touchFirst, factory({ name: 'two', keys: KEYS })]
        },
        (req, res) => {
          req.session.second = 2
          sendJson(res, { session: { ...req.session } })
        },
      )
      expect(ours.body).toEqual({ session: { second: 2 } })
      const value = /^two=([^;]*)/.exec(ours.setCookie[0] ?? '')?.[1] ?? ''
      expect(JSON.parse(Buffer.from(value, 'base64').toString())).toEqual({ first: 1 })
      expect(ours.setCookie).toEqual(oracle.setCookie)
      expect(ours.body).toEqual(oracle.body)
    })

    for (const [label, standIn] of [
      ['an object made from req with Object.create', (req: object) => Object.create(req)],
      ['a Proxy of req', (req: object) => new Proxy(req, {})],
    ] as const) {
      it(`${label} reads and replaces the same session`, async () => {
        const { ours, oracle } = await both(
          (factory) => [factory({ keys: KEYS })],
          (req, res) => {
            const other = standIn(req)
            other.session.via = true
            const same = other.session === req.session
            other.session = { replaced: 1 }
            sendJson(res, {
              same,
              session: { ...req.session },
              accessor: shape(req, 'session').accessor,
              own: Object.hasOwn(other, 'session'),
            })
          },
        )
        expect(ours.body).toMatchObject({ same: true, session: { replaced: 1 }, accessor: true })
        expect(ours.body).toEqual(oracle.body)
        expect(ours.setCookie).toEqual(oracle.setCookie)
      })
    }

    it('a copy of req made with Object.assign or spread carries the session', async () => {
      const { ours, oracle } = await both(
        (factory) => [factory({ keys: KEYS })],
        (req, res) => {
          req.session.before = 1
          const assigned: typeof req = Object.assign({}, req)
          const spread = { ...req }
          sendJson(res, {
            assigned: assigned.session === req.session,
            spread: spread.session === req.session,
            // Node's own symbols come along; nothing of the middleware's (equal to 2.1.1's count).
            symbols: Object.getOwnPropertySymbols(spread).length,
          })
        },
      )
      expect(ours.body).toMatchObject({ assigned: true, spread: true })
      expect(ours.body).toEqual(oracle.body)
      expect(ours.setCookie).toEqual(oracle.setCookie)
    })

    // A first read after the headers went out. Re-signing is left to the
    // response's commit (test/rotation.test.ts), which has run by then: an
    // older key's cookie just loads, where 2.1.1 failed re-signing .sig alone.
    for (const [label, cookie, expected, expectedOracle] of [
      ['signed with the first key', sessionCookie({ late: 1 }, KEYS[0]), { session: { late: 1 } }, { session: { late: 1 } }],
      ['signed with an older key', sessionCookie({ late: 1 }, 'old-key'), { session: { late: 1 } }, { error: 'ERR_HTTP_HEADERS_SENT' }],
      ['with a bad signature', `${sessionCookie({ late: 1 }, KEYS[0])}x`, { error: 'ERR_HTTP_HEADERS_SENT' }, { error: 'ERR_HTTP_HEADERS_SENT' }],
    ] as const) {
      it(`a first read of req.session after the headers went out, of a cookie ${label}`, async () => {
        const { ours, oracle } = await both(
          (factory) => [factory({ keys: [KEYS[0], 'old-key'] })],
          (req, res) => {
            res.writeHead(200, { 'Content-Type': 'application/json' })
            let outcome: unknown
            try {
              outcome = { session: { ...req.session } }
            } catch (err) {
              outcome = { error: (err as NodeJS.ErrnoException).code }
            }
            res.end(JSON.stringify(outcome))
          },
          { cookie },
        )
        expect(ours.body).toEqual(expected)
        expect(oracle.body).toEqual(expectedOracle)
        expect(ours.setCookie).toEqual(oracle.setCookie)
      })
    }

    it('a copy of all of req\'s property descriptors reads and writes the same session, reading it first', async () => {
      const { ours, oracle } = await both(
        (factory) => [factory({ keys: KEYS })],
        (req, res) => {
          const copy: typeof req = Object.defineProperties({}, Object.getOwnPropertyDescriptors(req))
          copy.session.viaCopy = 1
          sendJson(res, { same: copy.session === req.session, session: { ...req.session } })
        },
        { cookie: sessionCookie({ kept: 1 }, KEYS[0]) },
      )
      expect(ours.body).toEqual({ same: true, session: { kept: 1, viaCopy: 1 } })
      expect(ours.body).toEqual(oracle.body)
      expect(ours.setCookie).toEqual(oracle.setCookie)
    })

    // Header hooks registered before the middleware's run after its own, still before the headers go out.
    // A first read there comes after this response's commit: an older key's cookie is not re-issued on
    // it (2.1.1 re-sent .sig alone); the next response that reads the session re-issues it.
    for (const [label, cookie, sameAsOracle] of [
      ['signed with the first key', sessionCookie({ early: 1 }, KEYS[0]), true],
      ['signed with an older key', sessionCookie({ early: 1 }, 'old-key'), false],
      ['with a bad signature', `${sessionCookie({ early: 1 }, KEYS[0])}x`, true],
    ] as const) {
      it(`a first read of req.session in an earlier middleware's header hook, of a cookie ${label}`, async () => {
        const seen: Middleware = (req, res, next) => {
          onHeaders(res, () => {
            res.setHeader('X-Seen', JSON.stringify(req.session))
          })
          next()
        }
        const { ours, oracle } = await both(
          (factory) => [seen, factory({ keys: [KEYS[0], 'old-key'] })],
          (_req, res) => sendJson(res, {}),
          { cookie },
        )
        expect(ours.headers['x-seen']).toBeDefined()
        expect(ours.headers['x-seen']).toEqual(oracle.headers['x-seen'])
        if (sameAsOracle) expect(ours.setCookie).toEqual(oracle.setCookie)
        else {
          expect(ours.setCookie).toEqual([])
          expect(oracle.setCookie).toEqual([expect.stringMatching(/^session\.sig=/)])
        }
      })
    }

    it('util.inspect(req) shows the session as an accessor and nothing of its state, as in 2.1.1', async () => {
      const { ours, oracle } = await both(
        (factory) => [factory({ keys: KEYS })],
        (req, res) => {
          req.session.secretish = 'value-in-session'
          const text = inspect(req, { depth: 0 })
          sendJson(res, {
            accessor: /session: \[Getter\/Setter\]/.test(text),
            data: text.includes('value-in-session'),
            state: text.includes('session state'),
            // Whether each state symbol is enumerable: ours has one, hidden; 2.1.1 none.
            stateKeys: Object.getOwnPropertySymbols(req)
              .filter((s) => s.description === 'session state')
              .map((s) => Object.getOwnPropertyDescriptor(req, s)?.enumerable),
          })
        },
      )
      expect(ours.body).toEqual({ accessor: true, data: false, state: false, stateKeys: [false] })
      expect(oracle.body).toEqual({ ...ours.body, stateKeys: [] })
    })
  })
}

// One accessor serves every request; it finds the request's state through the
// object it is called on. 2.1.1 defined a getter and setter per request, so
// its accessor, copied alone onto an unrelated object, still reached its
// request's session; ours finds none there (a deliberate difference: the
// per-request closures were most of the per-request cost, see commit 201d8b1).
describe('the req.session accessor copied alone onto an unrelated object', () => {
  it('reads undefined there and refuses assignment; 2.1.1 reached its request\'s session', async () => {
    const { ours, oracle } = await sideBySide((factory) =>
      hosts[0]!.create(factory({ keys: KEYS }), (req, res) => {
        const descriptor = Object.getOwnPropertyDescriptor(req, 'session') as PropertyDescriptor
        const stranger: { session?: any } = Object.defineProperty({}, 'session', descriptor)
        const read = stranger.session
        let refused = ''
        try {
          stranger.session = { mine: true }
        } catch (err) {
          refused = `${(err as Error).name}: ${(err as Error).message}`
        }
        sendJson(res, { read: read === undefined ? 'undefined' : read, refused, session: { ...req.session } })
      }),
    )
    expect(ours.body).toEqual({
      read: 'undefined',
      refused: 'TypeError: req.session can only be set on a request the cookie-session middleware saw.',
      session: {},
    })
    expect(ours.setCookie).toEqual([])
    expect(oracle.body).toEqual({ read: {}, refused: '', session: { mine: true } })
  })
})

describe('Express sub-apps', () => {
  for (const [label, create] of [
    ['express 5', express],
    ['express 4', express4],
  ] as const) {
    it(`${label}: a session in the app and another in a mounted sub-app, used after the sub-app hands back, as 2.1.1 does`, async () => {
      const { ours, oracle } = await sideBySide((factory) => {
        const app = (create as typeof express)()
        const sub = (create as typeof express)()
        app.use(factory({ name: 'outer', keys: KEYS }))
        sub.use(factory({ name: 'inner', keys: KEYS }))
        sub.use((req: any, _res, next) => {
          req.session.inner = 1
          next()
        })
        app.use('/sub', sub)
        app.use((req: any, res) => {
          req.session.after = 2
          sendJson(res, { session: { ...req.session }, proto: Object.getPrototypeOf(req) === app.request })
        })
        return app as unknown as RequestListener
      }, '/sub/x')
      expect(ours.body).toEqual({ session: { inner: 1, after: 2 }, proto: true })
      expect(ours.setCookie.length).toBeGreaterThan(0)
      expect(ours.setCookie).toEqual(oracle.setCookie)
      expect(ours.body).toEqual(oracle.body)
    })
  }
})

describe('a saved req.session descriptor put back after another middleware ran', () => {
  it('reads the earlier middleware\'s session again, as in 2.1.1', async () => {
    const { ours, oracle } = await sideBySide((factory) => {
      const first = factory({ name: 'a', keys: KEYS })
      const second = factory({ name: 'b', keys: KEYS })
      return hosts[0]!.create(first, (req, res) => {
        req.session.a = 1
        const saved = Object.getOwnPropertyDescriptor(req, 'session') as PropertyDescriptor
        second(req, res, () => {
          req.session.b = 2
          Object.defineProperty(req, 'session', saved)
          sendJson(res, { session: { ...req.session } })
        })
      })
    })
    expect(ours.body).toEqual({ session: { a: 1 } })
    expect(ours.body).toEqual(oracle.body)
    expect(ours.setCookie).toEqual(oracle.setCookie)
  })
})
