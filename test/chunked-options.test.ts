// Chunked sessions with the options that re-send or move a session: key
// rotation, `algorithm`, `rolling` and `acceptSigned`, over real HTTP on the
// four hosts and the Fetch door; every chunk goes out again, signed or sealed
// as the first key says.
import Keygrip from 'keygrip'
import { describe, expect, it } from 'vitest'
import { VERSION_TAG } from '../src/core/sealer.js'
import { captureWarnings, settle } from './support/cookies.js'
import { hostsAndFetchDoor } from './support/fetch-door-host.js'
import type { Handler, Host } from './support/hosts.js'
import { app, cart, cleared, digest, filled, KEY_NEW, KEY_OLD, names, once, withBrowser } from './support/large.js'

const CHUNKS = ['session', 'session.1', 'session.2']

/** The cookies of a response as a Cookie header. */
const header = (setCookie: readonly string[]) =>
  setCookie
    // By the expiry attribute: a sealed value of 12 KB of random letters can hold "1970".
    .filter((c) => !/; expires=Thu, 01 Jan 1970/i.test(c))
    .map((c) => c.split(';')[0])
    .join('; ')

/** The Cookie header a browser holds after `path` on an app with `options`. */
async function stored(host: Host, options: object, path: string): Promise<string> {
  let cookies = ''
  await withBrowser(host, options, async (browser) => {
    await browser.get(path)
    cookies = browser.header()
  })
  return cookies
}

/** The named cookie's value in a Set-Cookie list or Cookie header. */
const cookieNamed = (cookies: string, name: string) => new RegExp(`(?:^|; )${name.replace('.', '\\.')}=([^;]*)`).exec(cookies)?.[1]

describe.each(hostsAndFetchDoor)('chunked sessions and re-sending options on $name', (host) => {
  it.each([
    { what: 'signed', encrypt: false, compress: false },
    { what: 'signed and compressed', encrypt: false, compress: true },
    { what: 'encrypted', encrypt: true, compress: false },
  ])('a $what session under an older key is re-issued whole with the first key', async ({ encrypt, compress }) => {
    const old = await stored(host, { keys: [KEY_OLD], chunks: 3, encrypt, compress }, '/fill?n=9000')
    expect(old).toContain('session.2=')
    const rotated = { keys: [KEY_NEW, KEY_OLD], chunks: 3, encrypt, compress }
    const sent = await once(host, rotated, '/peek', old)
    expect(sent.body).toEqual({ isNew: false, keys: ['blob'], digest: filled(9000) })
    expect(names(sent.setCookie)).toEqual(encrypt ? CHUNKS : [...CHUNKS, 'session.sig'])
    const next = header(sent.setCookie)
    if (!encrypt) {
      const assembled = CHUNKS.map((n) => cookieNamed(next, n)).join('')
      expect(new Keygrip([KEY_NEW]).verify(`session=${assembled}`, cookieNamed(next, 'session.sig') as string)).toBe(true)
    }
    // The new key alone reads it.
    const fresh = await once(host, { keys: [KEY_NEW], chunks: 3, encrypt, compress }, '/peek', next)
    expect(fresh.body.digest).toBe(filled(9000))
  })

  it('algorithm: a chunked session signed with SHA-1 is re-signed with SHA-256', async () => {
    const old = await stored(host, { keys: [KEY_NEW], chunks: 3 }, '/fill?n=9000')
    const sent = await once(host, { keys: [KEY_NEW], chunks: 3, algorithm: ['sha256', 'sha1'] }, '/peek', old)
    expect(sent.body.digest).toBe(filled(9000))
    expect(names(sent.setCookie)).toEqual([...CHUNKS, 'session.sig'])
    expect(cookieNamed(header(sent.setCookie), 'session.sig')).toHaveLength(43)
    const only256 = await once(host, { keys: [KEY_NEW], chunks: 3, algorithm: 'sha256' }, '/peek', header(sent.setCookie))
    expect(only256.body.digest).toBe(filled(9000))
  })

  it.each([false, true])('rolling (encrypt: %s) re-sends every chunk with a fresh expiry', async (encrypt) => {
    await withBrowser(host, { keys: [KEY_NEW], chunks: 3, rolling: true, maxAge: 60_000, encrypt }, async (browser) => {
      await browser.get('/fill?n=9000')
      const again = await browser.get('/peek')
      expect(again.body.digest).toBe(filled(9000))
      expect(names(again.setCookie)).toEqual(encrypt ? CHUNKS : [...CHUNKS, 'session.sig'])
      for (const line of again.setCookie) expect(line).toMatch(/; expires=/)
    })
  })

  it('acceptSigned: a chunked signed session moves to encrypted chunks, and .sig is cleared', async () => {
    const signed = await stored(host, { keys: [KEY_NEW], chunks: 3 }, '/fill?n=9000')
    const options = { keys: [KEY_NEW], chunks: 3, encrypt: true, acceptSigned: true }
    const moved = await once(host, options, '/peek', signed)
    expect(moved.body).toEqual({ isNew: false, keys: ['blob'], digest: filled(9000) })
    expect(names(moved.setCookie)).toEqual([...CHUNKS, 'session.sig'])
    expect(cleared(moved.setCookie)).toEqual(['session.sig'])
    expect(cookieNamed(header(moved.setCookie), 'session')?.startsWith(`-3.${VERSION_TAG}`)).toBe(true)
    expect((await once(host, options, '/peek', header(moved.setCookie))).body.digest).toBe(filled(9000))
  })

  it('acceptSigned with compress: a chunked signed session moves to one compressed cookie, every other cleared', async () => {
    const signed = await stored(host, { keys: [KEY_OLD], chunks: 3 }, '/cart?n=7000')
    expect(signed).toContain('session.2=')
    const options = { keys: [KEY_NEW], chunks: 3, encrypt: true, acceptSigned: [KEY_OLD], compress: true }
    const moved = await once(host, options, '/peek', signed)
    expect(moved.body.digest).toBe(digest({ cart: cart(7000) }))
    expect(cleared(moved.setCookie).sort()).toEqual(['session.1', 'session.2', 'session.sig'])
    expect((await once(host, options, '/peek', header(moved.setCookie))).body.digest).toBe(digest({ cart: cart(7000) }))
  })
})

describe.each(hostsAndFetchDoor)('chunks and a per-request name on $name', (host) => {
  it('a session too large for one cookie is not written under another name: no second set of chunks, no 431 later', async () => {
    const warnings = captureWarnings()
    try {
      // /rename: the handler changes the session and names the cookie "admin" for this response.
      const handler: Handler = (req, res) => {
        if (req.url === '/rename') {
          req.session.role = 'admin'
          req.sessionOptions.name = 'admin'
        }
        app(req, res)
      }
      await withBrowser(
        host,
        { keys: [KEY_NEW], chunks: 3 },
        async (browser) => {
          await browser.get('/fill?n=8800')
          const before = browser.header()
          expect(before).toContain('session.2=')
          const renamed = await browser.get('/rename')
          expect(names(renamed.setCookie)).toEqual([])
          expect(browser.header()).toBe(before)
          // Only the one chunked session: the request stays within Node.js's default 16 KiB.
          expect(Buffer.byteLength(before)).toBeLessThan(13_000)
        },
        handler,
      )
      await settle()
      expect(warnings.list.map((w) => w.code)).toContain('COOKIE_SESSION_TOO_LARGE')
      expect(warnings.list.find((w) => w.code === 'COOKIE_SESSION_TOO_LARGE')?.message).toMatch(/"admin" session needs \d+ bytes of cookies/)
    } finally {
      warnings.dispose()
    }
  })
})
