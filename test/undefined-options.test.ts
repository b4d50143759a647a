// An option that is undefined or null means its default, when the middleware
// is built and per request on `req.sessionOptions`; a `req.sessionOptions`
// replaced by something that is not an object means the middleware's options.
// 2.1.1 handed such values to `cookies` as they were, and each row shows what
// it did instead (a deliberate difference, README "Differences").
import { describe, expect, it } from 'vitest'
import { implementations, send, serve, sessionCookie, signedCookie, b64 } from './support/core-harness.js'
import { type Handler, hosts, sendJson } from './support/hosts.js'

const KEYS = ['undefined-key']

/** One request to an app built with `factory(options)` in front of `handler`, on each host. */
async function run(
  which: 'ours' | 'oracle',
  options: object,
  handler: Handler,
  { https = false, cookie }: { https?: boolean; cookie?: string } = {},
) {
  const results = []
  for (const host of hosts) {
    const served = await serve(host.create(implementations[which](options), handler), https)
    try {
      results.push(await send(served, '/', { cookie }))
    } finally {
      await served.close()
    }
  }
  // Every host answers alike; return one, after checking the others agree.
  for (const r of results.slice(1)) expect(r.setCookie.map(stripTime)).toEqual(results[0]!.setCookie.map(stripTime))
  return results[0]!
}

const stripTime = (c: string) => c.replace(/; expires=[^;]+/, '')

const write: Handler = (req, res) => {
  req.session.n = 1
  sendJson(res, {})
}

describe('options undefined or null when the middleware is built', () => {
  for (const secureProxy of [undefined, null]) {
    it(`secureProxy: ${secureProxy} leaves Secure on over HTTPS (2.1.1 turned it off)`, async () => {
      const options = () => ({ keys: KEYS, secure: true, secureProxy })
      const ours = await run('ours', options(), write, { https: true })
      const oracle = await run('oracle', options(), write, { https: true })
      expect(ours.setCookie).toEqual([
        `session=${b64({ n: 1 })}; path=/; secure; httponly`,
        expect.stringMatching(/^session\.sig=[\w-]{27}; path=\/; secure; httponly$/),
      ])
      expect(oracle.setCookie[0]).toBe(`session=${b64({ n: 1 })}; path=/; httponly`)
    })
  }

  for (const name of [undefined, null]) {
    it(`name: ${name} writes the "session" cookie, and the session persists (2.1.1 wrote "${name}=")`, async () => {
      const count: Handler = (req, res) => {
        req.session.n = (req.session.n ?? 0) + 1
        sendJson(res, { n: req.session.n })
      }
      const first = await run('ours', { keys: KEYS, name }, count)
      expect(first.setCookie[0]).toMatch(/^session=/)
      const cookie = first.setCookie.map((c) => c.split(';')[0]).join('; ')
      const second = await run('ours', { keys: KEYS, name }, count, { cookie })
      expect(second.body).toEqual({ n: 2 })
      expect((await run('oracle', { keys: KEYS, name }, count)).setCookie[0]).toMatch(new RegExp(`^${name}=`))
    })
  }

  for (const [option, value] of [
    ['path', undefined],
    ['path', null],
    ['httpOnly', undefined],
    ['httpOnly', null],
    ['overwrite', undefined],
    ['overwrite', null],
    ['secure', undefined],
    ['secure', null],
    ['secureProxy', null],
    ['signed', undefined],
    ['signed', null],
  ] as const) {
    it(`${option}: ${value} is the default`, async () => {
      const ours = await run('ours', { keys: KEYS, [option]: value }, write)
      expect(ours.setCookie).toEqual([
        `session=${b64({ n: 1 })}; path=/; httponly`,
        expect.stringMatching(/^session\.sig=[\w-]{27}; path=\/; httponly$/),
      ])
    })
  }
})

describe('req.sessionOptions entries set to undefined or null', () => {
  for (const [option, value, expected2] of [
    ['httpOnly', undefined, `session=${b64({ n: 1 })}; path=/`],
    ['httpOnly', null, `session=${b64({ n: 1 })}; path=/`],
    ['path', undefined, `session=${b64({ n: 1 })}; httponly`],
    ['path', null, `session=${b64({ n: 1 })}; httponly`],
    ['name', undefined, `undefined=${b64({ n: 1 })}; path=/; httponly`],
    ['name', null, `null=${b64({ n: 1 })}; path=/; httponly`],
  ] as const) {
    it(`${option}: ${value} is the default (2.1.1 wrote ${JSON.stringify(expected2)})`, async () => {
      const handler: Handler = (req, res) => {
        req.sessionOptions[option] = value
        write(req, res)
      }
      const ours = await run('ours', { keys: KEYS }, handler)
      expect(ours.setCookie[0]).toBe(`session=${b64({ n: 1 })}; path=/; httponly`)
      expect(ours.setCookie[1]).toMatch(/^session\.sig=[\w-]{27}; path=\/; httponly$/)
      expect((await run('oracle', { keys: KEYS }, handler)).setCookie[0]).toBe(expected2)
    })
  }

  it('secureProxy: undefined leaves Secure on over HTTPS (2.1.1 turned it off)', async () => {
    const handler: Handler = (req, res) => {
      req.sessionOptions.secureProxy = undefined
      write(req, res)
    }
    const ours = await run('ours', { keys: KEYS, secure: true }, handler, { https: true })
    expect(ours.setCookie).toEqual([
      `session=${b64({ n: 1 })}; path=/; secure; httponly`,
      expect.stringMatching(/^session\.sig=[\w-]{27}; path=\/; secure; httponly$/),
    ])
    const oracle = await run('oracle', { keys: KEYS, secure: true }, handler, { https: true })
    expect(oracle.setCookie[0]).toBe(`session=${b64({ n: 1 })}; path=/; httponly`)
  })

  for (const value of [undefined, null]) {
    it(`overwrite: ${value} still replaces a session cookie set earlier on the response`, async () => {
      const handler: Handler = (req, res) => {
        res.setHeader('Set-Cookie', ['session=earlier; path=/'])
        req.sessionOptions.overwrite = value
        write(req, res)
      }
      const ours = await run('ours', { keys: KEYS }, handler)
      expect(ours.setCookie.filter((c) => c.startsWith('session='))).toEqual([`session=${b64({ n: 1 })}; path=/; httponly`])
      const oracle = await run('oracle', { keys: KEYS }, handler)
      expect(oracle.setCookie.filter((c) => c.startsWith('session='))).toHaveLength(2)
    })
  }

  for (const [value, oracleRead] of [
    [undefined, null],
    [null, 7],
  ] as const) {
    it(`signed: ${value} still refuses an unsigned cookie and signs what it writes (2.1.1 ${value === null ? 'read it and wrote no .sig' : 'did too'})`, async () => {
      const handler: Handler = (req, res) => {
        req.sessionOptions.signed = value
        const n = req.session.n ?? null
        req.session.n = 1
        sendJson(res, { n })
      }
      const unsigned = `session=${b64({ n: 7 })}`
      const ours = await run('ours', { keys: KEYS }, handler, { cookie: unsigned })
      expect(ours.body).toEqual({ n: null })
      expect(ours.setCookie).toEqual([`session=${b64({ n: 1 })}; path=/; httponly`, expect.stringMatching(/^session\.sig=[\w-]{27}; path=\/; httponly$/)])
      const oracle = await run('oracle', { keys: KEYS }, handler, { cookie: unsigned })
      expect(oracle.body).toEqual({ n: oracleRead })
      expect(oracle.setCookie).toHaveLength(value === null ? 1 : 2)
    })
  }
})

describe('req.sessionOptions replaced by something that is not an object', () => {
  for (const replacement of [null, undefined, 'strict', 0]) {
    it(`${JSON.stringify(replacement) ?? 'undefined'}: the middleware's options apply, signature and all`, async () => {
      const handler: Handler = (req, res) => {
        req.sessionOptions = replacement
        const before = req.session.n ?? null
        req.session.n = 1
        sendJson(res, { before })
      }
      // An unsigned cookie is refused, and the cookie written is signed.
      const unsigned = `session=${b64({ n: 7 })}`
      const ours = await run('ours', { keys: KEYS, maxAge: 60_000 }, handler, { cookie: unsigned })
      expect(ours.body).toEqual({ before: null })
      expect(ours.setCookie.map(stripTime)).toEqual([
        `session=${b64({ n: 1 })}; path=/; httponly`,
        expect.stringMatching(/^session\.sig=[\w-]{27}; path=\/; httponly$/),
      ])
      expect(ours.setCookie[0]).toMatch(/; expires=/)
      // A correctly signed one still loads.
      const signed = await run('ours', { keys: KEYS }, handler, { cookie: sessionCookie({ n: 5 }, KEYS[0]) })
      expect(signed.body).toEqual({ before: 5 })
    })
  }

  it('null: 2.1.1 accepted the unsigned cookie and wrote one without a signature', async () => {
    const handler: Handler = (req, res) => {
      req.sessionOptions = null
      const before = req.session.n ?? null
      req.session.n = 1
      sendJson(res, { before })
    }
    const oracle = await run('oracle', { keys: KEYS }, handler, { cookie: signedCookie(b64({ n: 7 }), 'not the key') })
    expect(oracle.body).toEqual({ before: 7 })
    expect(oracle.setCookie).toEqual([`session=${b64({ n: 1 })}; path=/; httponly`])
  })
})
