// Chunking (`chunks: n`): splitting a value over `<name>`, `<name>.1` …, each
// cookie at most 4096 bytes of name plus value; reading it back with a bounded
// number of look-ups; and the largest `chunks` against Node's default header limit.
import { createServer, request as httpRequest } from 'node:http'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type Assembled,
  assemble,
  CHUNK_MARK,
  COOKIE_SIZE_LIMIT,
  chunkCount,
  chunkName,
  MAX_CHUNKS,
  present,
  sealedFor,
  split,
  totalSize,
} from '../src/core/chunks.js'

/** A request's cookies as a getter, counting the look-ups. */
function jar(cookies: Record<string, string>): { get: (name: string) => string | undefined; lookups: string[] } {
  const lookups: string[] = []
  return {
    lookups,
    get(name) {
      lookups.push(name)
      return Object.hasOwn(cookies, name) ? cookies[name] : undefined
    },
  }
}

/** The cookies `split` makes for `body`, by name. */
function written(name: string, body: string, max = MAX_CHUNKS): Record<string, string> {
  const count = chunkCount(name, body.length)
  expect(count).toBeLessThanOrEqual(max)
  return Object.fromEntries(split(name, body, count).map((value, i) => [chunkName(name, i), value]))
}

const base64ish = (length: number, seed = 0) =>
  Array.from({ length }, (_, i) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'[(i * 7 + seed) % 64]).join('')

describe('split', () => {
  it('keeps a value that fits in one cookie as it is, under the name alone', () => {
    const body = base64ish(COOKIE_SIZE_LIMIT - 'session'.length)
    expect(chunkCount('session', body.length)).toBe(1)
    expect(split('session', body, 1)).toEqual([body])
  })

  it('splits a longer one, header "-k." first, every cookie at most 4096 bytes of name plus value', () => {
    for (const length of [COOKIE_SIZE_LIMIT, 5000, 8000, 8170, 12_000]) {
      for (const name of ['session', 's', 'a-much-longer-cookie-name', 'sé']) {
        const count = chunkCount(name, length)
        expect(count).toBeGreaterThanOrEqual(2)
        const values = split(name, base64ish(length), count)
        expect(values).toHaveLength(count)
        expect(values[0]?.startsWith(`${CHUNK_MARK}${count}.`)).toBe(true)
        values.forEach((value, i) => {
          expect(Buffer.byteLength(chunkName(name, i)) + value.length).toBeLessThanOrEqual(COOKIE_SIZE_LIMIT)
          expect(value.length).toBeGreaterThan(0)
        })
        // Not one cookie more than needed: the pieces before the last are full.
        values.slice(0, -1).forEach((value, i) => {
          expect(Buffer.byteLength(chunkName(name, i)) + value.length).toBe(COOKIE_SIZE_LIMIT)
        })
        expect(totalSize(name, values)).toBe(values.reduce((n, v, i) => n + Buffer.byteLength(chunkName(name, i)) + v.length, 0))
      }
    }
  })

  it('counts past the maximum when the value is longer than the maximum holds', () => {
    expect(chunkCount('session', 4086 + 2 * 4087)).toBe(3)
    expect(chunkCount('session', 4086 + 2 * 4087 + 1)).toBe(4)
    expect(chunkCount('session', 100_000)).toBe(25)
    expect(chunkCount('x'.repeat(COOKIE_SIZE_LIMIT), 10)).toBe(Number.POSITIVE_INFINITY)
  })

  it('names the pieces <name>, <name>.1, <name>.2', () => {
    expect([0, 1, 2].map((i) => chunkName('session', i))).toEqual(['session', 'session.1', 'session.2'])
  })

  it('seals a chunked value for its name and count, a single one for its name alone', () => {
    expect(sealedFor('session', 1)).toBe('session')
    expect(sealedFor('session', 2)).toBe('session\u00002')
    expect(sealedFor('session', 3)).not.toBe(sealedFor('session', 2))
  })
})

describe('assemble', () => {
  it('reads back exactly what split wrote, for any value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12_000 }), fc.integer({ min: 0, max: 63 }), (length, seed) => {
        const body = base64ish(length, seed)
        const cookies = written('session', body)
        const read = assemble(jar(cookies).get, 'session', MAX_CHUNKS) as Assembled
        expect(read.body).toBe(body)
        expect(read.count).toBe(Object.keys(cookies).length)
        expect(read.value).toBe(Object.values(cookies).join(''))
      }),
      { numRuns: 200 },
    )
  })

  it('reads a single cookie with one look-up', () => {
    const { get, lookups } = jar({ session: 'eyJhIjoxfQ==', 'session.1': 'x' })
    expect(assemble(get, 'session', 3)).toEqual({ value: 'eyJhIjoxfQ==', body: 'eyJhIjoxfQ==', count: 1 })
    expect(lookups).toEqual(['session'])
  })

  it('gives undefined for a missing or empty piece, or a missing first cookie', () => {
    const cookies = written('session', base64ish(10_000))
    expect(Object.keys(cookies)).toEqual(['session', 'session.1', 'session.2'])
    for (const name of Object.keys(cookies)) {
      expect(assemble(jar({ ...cookies, [name]: '' }).get, 'session', 3)).toBeUndefined()
      const { [name]: _gone, ...rest } = cookies
      expect(assemble(jar(rest).get, 'session', 3)).toBeUndefined()
    }
  })

  it('never reads past its own count: a leftover piece is not part of the value', () => {
    const cookies = { ...written('session', base64ish(6000)), 'session.2': 'stale' }
    const { get, lookups } = jar(cookies)
    expect(assemble(get, 'session', 3)?.body).toBe(base64ish(6000))
    expect(lookups).toEqual(['session', 'session.1'])
  })

  it('refuses a count under 2, over the configured maximum, or of more than one digit, reading nothing else', () => {
    const pieces = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`session.${i + 1}`, 'AAAA']))
    for (const [first, max] of [
      ['-1.AAAA', 3],
      ['-0.AAAA', 3],
      ['-3.AAAA', 2],
      ['-4.AAAA', 3],
      ['-9.AAAA', 3],
      ['-10.AAAA', 3],
      ['-9007199254740992.AAAA', 3],
      ['-2AAAA', 3],
      ['-2', 3],
      ['-', 3],
      ['-x.AAAA', 3],
    ] as const) {
      const { get, lookups } = jar({ ...pieces, session: first })
      expect(assemble(get, 'session', max)).toBeUndefined()
      expect(lookups).toEqual(['session'])
    }
  })

  it('costs at most the configured count of look-ups, whatever the request holds', () => {
    const hostile: Record<string, string> = { session: '-3.AAAA' }
    for (let i = 0; i < 10_000; i++) hostile[`session.${i}`] = 'AAAA'
    const { get, lookups } = jar(hostile)
    expect(assemble(get, 'session', 3)?.count).toBe(3)
    expect(lookups).toEqual(['session', 'session.1', 'session.2'])
  })
})

describe('present', () => {
  it('lists the pieces the request holds in a range, and only those', () => {
    const { get, lookups } = jar({ session: 'x', 'session.2': 'y', 'session.7': 'z' })
    expect(present(get, 'session', 1, 3)).toEqual(['session.2'])
    expect(lookups).toEqual(['session.1', 'session.2'])
    expect(present(get, 'session', 0, 2)).toEqual([])
  })
})

describe(`the largest chunks (${MAX_CHUNKS}) against Node's default header limit`, () => {
  /** What a desktop Chromium sends besides the session, other cookies of the site included (about 2.5 KB). */
  const ordinaryHeaders: Record<string, string> = {
    Connection: 'keep-alive',
    'sec-ch-ua': '"Chromium";v="136", "Google Chrome";v="136", "Not.A/Brand";v="99"',
    'sec-ch-ua-mobile': '?0',
    'sec-ch-ua-platform': '"Windows"',
    'Upgrade-Insecure-Requests': '1',
    'User-Agent':
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/136.0.0.0 Safari/537.36',
    Accept:
      'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
    'Sec-Fetch-Site': 'same-origin',
    'Sec-Fetch-Mode': 'navigate',
    'Sec-Fetch-User': '?1',
    'Sec-Fetch-Dest': 'document',
    Referer: 'https://shop.example.com/catalogue/shoes/running?size=42&colour=blue&sort=price-asc&page=3',
    'Accept-Encoding': 'gzip, deflate, br, zstd',
    'Accept-Language': 'en-GB,en-US;q=0.9,en;q=0.8,fr;q=0.7,de;q=0.6',
  }
  /** Other cookies of the site: analytics, consent, preferences (about 1.5 KB). */
  const otherCookies = [
    `_ga=GA1.1.${'1'.repeat(10)}.${'2'.repeat(10)}`,
    `_ga_ABCDEF1234=GS1.1.${'3'.repeat(10)}.5.1.${'4'.repeat(10)}.0.0.0`,
    `consent=${'c'.repeat(900)}`,
    `prefs=${'p'.repeat(500)}`,
    'theme=dark',
    'locale=en-GB',
  ].join('; ')

  /** The Cookie header of a session filling `count` cookies named `session`, with a SHA-512 `.sig`. */
  function sessionCookies(count: number): string {
    const body = base64ish(count * COOKIE_SIZE_LIMIT)
    const values = split('session', body, count).map((v, i) =>
      // Every cookie filled to 4096 bytes of name plus value, the last one too.
      (v + base64ish(COOKIE_SIZE_LIMIT)).slice(0, COOKIE_SIZE_LIMIT - Buffer.byteLength(chunkName('session', i))),
    )
    const pairs = values.map((v, i) => `${chunkName('session', i)}=${v}`)
    return [...pairs, `session.sig=${'s'.repeat(86)}`].join('; ')
  }

  async function status(cookie: string): Promise<{ status: number; headerBytes: number }> {
    const server = createServer((_req, res) => res.end('ok'))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    const headers = { ...ordinaryHeaders, Cookie: `${otherCookies}; ${cookie}` }
    const headerBytes =
      `GET /checkout/basket HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`.length +
      Object.entries(headers).reduce((n, [k, v]) => n + k.length + 2 + v.length + 2, 0)
    try {
      const code = await new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/checkout/basket', headers, agent: false }, (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        })
        req.on('error', reject)
        req.end()
      })
      return { status: code, headerBytes }
    } finally {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }

  it(`passes with ${MAX_CHUNKS} full cookies and a browser's other headers`, async () => {
    const sent = await status(sessionCookies(MAX_CHUNKS))
    expect(sent.headerBytes).toBeGreaterThan(14_500)
    expect(sent.status).toBe(200)
  })

  it(`would not with ${MAX_CHUNKS + 1}: Node answers 431`, async () => {
    const sent = await status(sessionCookies(MAX_CHUNKS + 1))
    expect(sent.status).toBe(431)
  })
})
