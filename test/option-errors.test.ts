// Issue 6: options no cookie can carry fail at construction with a TypeError
// naming the option (2.1.1 accepted them and then silently sent no cookie on
// every request); everything 2.1.1 accepts and handles stays accepted.
import type { RequestListener, ServerResponse } from 'node:http'
import oracle from 'cookie-session-2'
import Keygrip from 'keygrip'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { cookieSession } from '../src/index.js'
import { express5Host, listen, sendJson } from './support/hosts.js'
import { INVALID_VALUES, KEYS_REQUIRED } from './support/bad-options.js'
import { KEYS, normalised } from './support/cookies.js'

type Options = Record<string, unknown>

const create = cookieSession as unknown as (options?: Options) => unknown

/** The error `cookieSession(options)` throws, or undefined. */
function thrown(options?: Options): unknown {
  try {
    create(options)
  } catch (err) {
    return err
  }
  return undefined
}

const invalid = INVALID_VALUES

const table = Object.entries(invalid).flatMap(([option, values]) =>
  values.map((value) => ({
    option,
    value,
    label: typeof value === 'string' ? JSON.stringify(value) : Buffer.isBuffer(value) ? 'empty Buffer' : String(value),
  })),
)

describe('invalid options throw a TypeError naming the option, from cookieSession()', () => {
  it.each(table)('$option: $label', ({ option, value }) => {
    const options: Options = option === 'keys' || option === 'secret' ? { [option]: value } : { keys: KEYS, [option]: value }
    const err = thrown(options)
    expect(err).toBeInstanceOf(TypeError)
    expect((err as Error).message).toMatch(new RegExp(`\\boption ${option}\\b`))
    // No other option is blamed.
    for (const other of Object.keys(invalid).filter((o) => o !== option)) {
      expect((err as Error).message).not.toMatch(new RegExp(`\\boption ${other}\\b`))
    }
  })

  it('every option listed in the issue is covered', () => {
    expect(Object.keys(invalid).sort()).toEqual(
      ['chunks', 'compress', 'domain', 'expires', 'keys', 'maxAge', 'name', 'path', 'priority', 'sameSite', 'secret'].sort(),
    )
  })

  it('chunks over 1 with signed: false: a TypeError naming chunks (no signature to tell a stale chunk by)', () => {
    const err = thrown({ keys: KEYS, chunks: 2, signed: false }) as Error
    expect(err).toBeInstanceOf(TypeError)
    expect(err.message).toMatch(/option chunks cannot be over 1 with signed: false/)
    expect(thrown({ keys: KEYS, chunks: 1, signed: false })).toBeUndefined()
    expect(thrown({ keys: KEYS, chunks: 3, compress: true })).toBeUndefined()
  })

  it('the message says what is expected and what was given', () => {
    const err = thrown({ keys: KEYS, sameSite: 'foo' }) as Error
    expect(err.message).toMatch(/strict/)
    expect(err.message).toMatch(/lax/)
    expect(err.message).toMatch(/none/)
    expect(err.message).toContain('"foo"')
  })

  it.each([
    { name: 'keys as a string instead of an array', options: { keys: 'correct horse battery staple' }, got: 'a string' },
    { name: 'a number among the keys', options: { keys: ['good', 982451653] }, got: 'a number' },
    { name: 'a numeric secret', options: { secret: 982451653 }, got: 'a number' },
    { name: 'keys as an object', options: { keys: { secret: 'correct horse battery staple' } }, got: 'an object' },
    { name: 'an empty key', options: { keys: ['good', ''] }, got: 'an empty string' },
  ])('never puts a would-be secret in the message (it ends up in logs): $name', ({ options, got }) => {
    const err = thrown(options) as Error
    expect(err).toBeInstanceOf(TypeError)
    expect(err.message).not.toContain('correct horse')
    expect(err.message).not.toContain('982451653')
    expect(err.message).not.toContain('good')
    expect(err.message).toMatch(new RegExp(`got ${got}$`))
  })

  it('throws before any request, where 2.1.1 constructs and then silently sends no cookie', async () => {
    for (const bad of [{ sameSite: 'foo' }, { priority: 'urgent' }, { maxAge: '1000' }, { name: 'a;b' }]) {
      expect(thrown({ keys: KEYS, ...bad })).toBeInstanceOf(TypeError)
      const middleware = oracle({ keys: KEYS, ...bad })
      const s = await listen(express5Host.create(middleware, setSession))
      try {
        const res = await request(s.url).get('/')
        expect(res.status).toBe(200)
        expect(res.headers['set-cookie']).toBeUndefined()
      } finally {
        await s.close()
      }
    }
  })
})

describe('".keys required." stays an Error with 2.1.1\'s exact message', () => {
  it.each(KEYS_REQUIRED)('$name', ({ options }) => {
    const err = thrown(options) as Error
    expect(err).toBeInstanceOf(Error)
    expect(err).not.toBeInstanceOf(TypeError)
    expect(err.message).toBe('.keys required.')
    let ref: Error | undefined
    try {
      oracle(options)
    } catch (e) {
      ref = e as Error
    }
    expect(ref?.message).toBe(err.message)
  })

  it('signed: false needs no keys', () => {
    expect(thrown({ signed: false })).toBeUndefined()
  })
})

function setSession(req: any, res: ServerResponse): void {
  req.session.n = 1
  sendJson(res, 'ok')
}

async function setCookieFrom(middleware: unknown): Promise<string[]> {
  const s = await listen(express5Host.create(middleware as never, setSession) as RequestListener)
  try {
    const res = await request(s.url).get('/')
    expect(res.status).toBe(200)
    return normalised(res)
  } finally {
    await s.close()
  }
}

describe('values 2.1.1 accepts and handles stay accepted, with the same Set-Cookie', () => {
  const future = new Date('2030-06-15T12:00:00Z')
  const keygrip = new Keygrip(['kg one', 'kg two'])
  const valid: { option: string; value: unknown; extra?: Options }[] = [
    ...[true, false, 'strict', 'Strict', 'STRICT', 'lax', 'Lax', 'LAX', 'none', 'None', 'NONE', 'sTrIcT', 'lAx', 'nOnE', '', undefined, null].map(
      (value) => ({ option: 'sameSite', value }),
    ),
    ...['low', 'Low', 'LOW', 'medium', 'Medium', 'MEDIUM', 'high', 'High', 'HIGH', 'hIgH', '', undefined].map((value) => ({
      option: 'priority',
      value,
    })),
    ...[0, 1, 1000, 1.5, -1000, 365 * 24 * 3600 * 1000, undefined, null].map((value) => ({ option: 'maxAge', value })),
    ...[future, new Date(0), new Date(Date.UTC(2100, 0, 1)), undefined, null].map((value) => ({ option: 'expires', value })),
    ...['session', 'x', 'my-app.sess', '__Host-session', "a!#$%&'*+-.^_`|~", 'sess:1', 'S3ss10N', 'sess\u00e9'].map(
      (value) => ({ option: 'name', value }),
    ),
    // name and path undefined or null: 2.1.1 wrote `undefined=` and dropped Path (test/undefined-options.test.ts).
    ...['/', '/app', '/a b', '/a-b_c.d~e', "/!$&'()*+,=:@", ''].map((value) => ({ option: 'path', value })),
    ...['example.com', '.example.com', 'localhost', 'a-b.example.co.uk', '127.0.0.1', 'EXAMPLE.COM', '', undefined].map(
      (value) => ({ option: 'domain', value }),
    ),
    ...[['one key'], ['new', 'old'], [Buffer.from('buffer key')], [Buffer.from('b'), 's'], keygrip, Object.freeze(['frozen'])].map(
      (value) => ({ option: 'keys', value }),
    ),
    { option: 'secret', value: 'just a secret' },
    { option: 'secret', value: Buffer.from('buffer secret') },
    { option: 'secret', value: 'ignored when keys are given', extra: { keys: KEYS } },
    // 2.1.1 ignores secret when keys are given, and treats a falsy keys as absent.
    { option: 'secret', value: '', extra: { keys: KEYS } },
    { option: 'secret', value: 5, extra: { keys: KEYS } },
    { option: 'keys', value: '', extra: { secret: 'the secret signs' } },
    { option: 'keys', value: false, extra: { secret: 'the secret signs' } },
    { option: 'keys', value: null, extra: { secret: 'the secret signs' } },
    { option: 'signed', value: false },
    { option: 'httpOnly', value: false },
    { option: 'overwrite', value: false },
    { option: 'secure', value: false },
    { option: 'partitioned', value: true },
    { option: 'sameSite', value: 'none', extra: { keys: KEYS, partitioned: true, priority: 'high', maxAge: 5000, path: '/' } },
  ]
  const rows = valid.map((row) => ({
    ...row,
    label: row.value instanceof Keygrip ? 'Keygrip instance' : Buffer.isBuffer(row.value) ? 'Buffer' : JSON.stringify(row.value) ?? 'undefined',
  }))

  it.each(rows)('$option: $label', async ({ option, value, extra }) => {
    const withKeys = option === 'keys' || option === 'secret' || option === 'signed'
    const options = (): Options => ({ ...(withKeys ? {} : { keys: KEYS }), ...extra, [option]: value })
    expect(thrown(options())).toBeUndefined()
    const mine = await setCookieFrom(cookieSession(options() as never))
    const ref = await setCookieFrom(oracle(options()))
    expect(mine.length).toBeGreaterThan(0)
    expect(mine).toEqual(ref)
  })
})

describe('cookies 0.9.2 (this package) is stricter than the cookies 0.9.1 that 2.1.1 pinned', () => {
  // 2.1.1 writes these; `cookies` 0.9.2 refuses them on every write, so
  // failing at construction is the honest choice. Listed in the README.
  it.each([
    { option: 'domain', value: 'dev_box.internal' },
    { option: 'domain', value: 'example.com.' },
    { option: 'path', value: '/a<b' },
    { option: 'path', value: '/caf\u00e9' },
  ])('$option: $value is refused loudly, not silently', async ({ option, value }) => {
    const err = thrown({ keys: KEYS, [option]: value })
    expect(err).toBeInstanceOf(TypeError)
    expect((err as Error).message).toMatch(new RegExp(`\\boption ${option}\\b`))
    expect(await setCookieFrom(oracle({ keys: KEYS, [option]: value }))).toHaveLength(2)
  })
})
