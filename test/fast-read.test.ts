// Reading the session cookie without `Cookies` when it is signed with the
// first key: the value found, and the Set-Cookie side effects (.sig cleared
// or re-signed), are those of `cookies.get` on any Cookie header.
import Cookies from 'cookies'
import fc from 'fast-check'
import Keygrip from 'keygrip'
import { describe, expect, it } from 'vitest'
import type { CookieSessionOptions } from '../src/options.js'
import { SessionCookie, type SessionCookieConfig, type SessionRequest } from '../src/session-cookie.js'
import { HmacSigner } from '../src/signer.js'
import { Warnings } from '../src/warnings.js'

const KEYS = ['first', 'second']

class Res {
  headers: Record<string, unknown> = {}
  getHeader(name: string) {
    return this.headers[name.toLowerCase()]
  }
  setHeader(name: string, value: unknown) {
    this.headers[name.toLowerCase()] = value
  }
}

function request(cookie: unknown, sessionOptions: unknown) {
  return { headers: cookie === undefined ? {} : { cookie }, socket: { encrypted: false }, sessionOptions } as unknown as SessionRequest
}

/** What SessionCookie loads, and what it sets while reading. */
function ours(name: string, cookie: unknown, sessionOptions: unknown, keys: SessionCookieConfig['cookiesOptions']['keys']) {
  const res = new Res()
  const config: SessionCookieConfig = { name, nameBytes: name.length, cookiesOptions: { keys }, warnings: new Warnings() }
  const req = request(cookie, sessionOptions)
  const session = new SessionCookie(config, req, res as never).read(req, res as never)
  return { loaded: session?._ctx.loaded, setCookie: res.headers['set-cookie'] }
}

/** What 2.1.1's way (cookies.get, then a value that decodes to an object) loads and sets. */
function reference(name: string, cookie: unknown, sessionOptions: unknown) {
  const res = new Res()
  const value = new Cookies(request(cookie, sessionOptions), res as never, { keys: new Keygrip(KEYS) }).get(
    name,
    sessionOptions as Cookies.GetOption,
  )
  let loaded: string | undefined
  try {
    const data = value ? JSON.parse(Buffer.from(value, 'base64').toString('utf8')) : undefined
    if (data && typeof data === 'object' && !Array.isArray(data)) loaded = value
  } catch {}
  return { loaded, setCookie: res.headers['set-cookie'] }
}

const NAMES = ['session', 'a.b', 'x+y', 's$(1)', 'sess|ion']
const sign = (key: string, data: string) => new Keygrip([key]).sign(data)

/** One cookie of a header, made around `name`. */
const partArb = (name: string) =>
  fc.oneof(
    fc.constantFrom('e30=', 'eyJhIjoxfQ==', 'eyJhIjoxfQ', '"eyJhIjoxfQ=="', '"', '', 'WzFd', '%%').map((v) => ({ name, v })),
    fc.constantFrom('e30=', 'eyJhIjoxfQ==', '"eyJhIjoxfQ=="', '', 'eyJhIjoxfQ').chain((v) =>
      fc.constantFrom(
        { name: `${name}.sig`, v: sign('first', `${name}=${v.replace(/^"(.*)"$/, '$1')}`) },
        { name: `${name}.sig`, v: `"${sign('first', `${name}=${v.replace(/^"(.*)"$/, '$1')}`)}"` },
        { name: `${name}.sig`, v: sign('second', `${name}=${v.replace(/^"(.*)"$/, '$1')}`) },
        { name: `${name}.sig`, v: sign('intruder', `${name}=${v}`) },
        { name, v },
      ),
    ),
    fc.constantFrom({ name: `${name}.sig`, v: '' }, { name: `x${name}`, v: 'e30=' }, { name: `${name}.sigx`, v: 'abc' }, { name: 'other', v: 'v' }),
  )

const headerArb = fc
  .constantFrom(...NAMES)
  .chain((name) =>
    fc.tuple(
      fc.constant(name),
      fc.array(fc.tuple(partArb(name), fc.constantFrom('; ', ';', ';  ', ' ; ')), { maxLength: 5 }),
    ),
  )
  .map(([name, parts]) => ({ name, header: parts.map(([p, sep]) => `${sep}${p.name}=${p.v}`).join('').replace(/^[; ]+/, '') }))

const optionsArb = fc.constantFrom<unknown>(
  undefined,
  null,
  {},
  { signed: true },
  { signed: false },
  { signed: null },
  { signed: undefined },
  { signed: 1 },
  { signed: 0 },
  Object.create({ signed: false }),
)

describe('reading without Cookies', () => {
  it('finds the same value and has the same side effects as cookies.get', () => {
    fc.assert(
      fc.property(headerArb, optionsArb, ({ name, header }, options) => {
        expect(ours(name, header, options, new HmacSigner(KEYS))).toEqual(reference(name, header, options))
      }),
      { numRuns: 3000 },
    )
  })

  it('handles a missing, empty or non-string Cookie header as cookies.get does', () => {
    const signed = `session=e30=; session.sig=${sign('first', 'session=e30=')}`
    for (const header of [undefined, '', ['a=b'], [signed], 0, 1] as unknown[]) {
      for (const options of [{}, { signed: true }, { signed: false }]) {
        let expected: unknown
        let got: unknown
        try {
          expected = reference('session', header, options)
        } catch (err) {
          expected = String(err)
        }
        try {
          got = ours('session', header, options, new HmacSigner(KEYS))
        } catch (err) {
          got = String(err)
        }
        expect(got, String(header)).toEqual(expected)
      }
    }
  })

  it('goes through cookies.get with a Keygrip, signed or not', () => {
    const header = `session=e30=; session.sig=${sign('second', 'session=e30=')}`
    const got = ours('session', header, {} as CookieSessionOptions, new Keygrip(KEYS))
    expect(got).toEqual(reference('session', header, {}))
    expect(got.setCookie).toEqual([`session.sig=${sign('first', 'session=e30=')}; path=/; httponly`])
  })
})
