// Compressed sessions (`compress: true`) over real HTTP on the four hosts and
// the Fetch door, signed and encrypted: written compressed only when shorter, read in either
// form whatever the option says, signature and seal over the written bytes,
// bombs refused; and how it combines with chunks.
import { deflateRawSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { COMPRESSED_VALUE_MARK } from '../src/core/compress.js'
import { VERSION_TAG } from '../src/core/sealer.js'
import { b64, cookieValue, signedCookie } from './support/core-harness.js'
import { hostsAndFetchDoor } from './support/fetch-door-host.js'
import { captureWarnings, settle } from './support/cookies.js'
import { cart, cleared, digest, KEY_NEW, names, once, withBrowser } from './support/large.js'

const modes = [
  { mode: 'signed', options: { keys: [KEY_NEW] }, first: COMPRESSED_VALUE_MARK },
  { mode: 'encrypted', options: { keys: [KEY_NEW], encrypt: true }, first: VERSION_TAG },
] as const

describe.each(hostsAndFetchDoor)('compressed sessions on $name', (host) => {
  describe.each(modes)('$mode', ({ options, first }) => {
    it('a 20 KB session of repetitive JSON fits in one cookie, and comes back whole', async () => {
      await withBrowser(host, { ...options, compress: true }, async (browser) => {
        const wrote = await browser.get('/cart?n=20000')
        expect(JSON.stringify({ cart: cart(20000) }).length).toBeGreaterThan(20000)
        const value = cookieValue(wrote.setCookie) as string
        expect(value.startsWith(first)).toBe(true)
        expect(value.length).toBeLessThan(2000)
        const read = await browser.get('/peek')
        expect(read.body).toEqual({ isNew: false, keys: ['cart'], digest: digest({ cart: cart(20000) }) })
      })
    })

    it('a session that compressing does not shorten is written plain', async () => {
      await withBrowser(host, { ...options, compress: true }, async (browser) => {
        const wrote = await browser.get('/small')
        const value = cookieValue(wrote.setCookie) as string
        if (first === COMPRESSED_VALUE_MARK) expect(value).toBe(b64({ blob: 'x' }))
        else expect(value.length).toBeLessThan(100)
        expect((await browser.get('/peek')).body.keys).toEqual(['blob'])
      })
    })

    it('turning compress on or off logs no one out: both forms are read either way', async () => {
      let compressed = ''
      let plain = ''
      await withBrowser(host, { ...options, compress: true }, async (browser) => {
        await browser.get('/cart?n=3000')
        compressed = browser.header()
      })
      await withBrowser(host, options, async (browser) => {
        await browser.get('/cart?n=3000')
        plain = browser.header()
      })
      expect(compressed.length).toBeLessThan(plain.length / 3)
      const want = { isNew: false, keys: ['cart'], digest: digest({ cart: cart(3000) }) }
      expect((await once(host, options, '/peek', compressed)).body).toEqual(want)
      expect((await once(host, { ...options, compress: true }, '/peek', plain)).body).toEqual(want)
      // Unchanged, a compressed session is not rewritten by an app that would not compress it.
      expect((await once(host, options, '/peek', compressed)).setCookie).toEqual([])
      // Changed, it is written as the app says: plain.
      const touched = cookieValue((await once(host, options, '/touch', compressed)).setCookie) as string
      expect(touched.length).toBeGreaterThan(plain.length - 100)
      if (first === COMPRESSED_VALUE_MARK) expect(touched.startsWith('eyJ')).toBe(true)
    })

    it('a changed byte of a compressed cookie gives a new session', async () => {
      await withBrowser(host, { ...options, compress: true }, async (browser) => {
        await browser.get('/cart?n=3000')
        const value = browser.jar.cookies.get('session') as string
        const at = Math.floor(value.length / 2)
        browser.jar.cookies.set('session', value.slice(0, at) + (value[at] === 'A' ? 'B' : 'A') + value.slice(at + 1))
        expect((await browser.get('/peek')).body).toMatchObject({ isNew: true, keys: [] })
      })
    })
  })

  it('signed: the signature covers the compressed bytes as written', async () => {
    await withBrowser(host, { keys: [KEY_NEW], compress: true }, async (browser) => {
      await browser.get('/cart?n=3000')
      const value = browser.jar.cookies.get('session') as string
      const sent = await once(host, { keys: [KEY_NEW] }, '/peek', signedCookie(value, KEY_NEW))
      expect(sent.body.keys).toEqual(['cart'])
    })
  })

  it('a deflate bomb in a cookie gives a new, empty session, correctly signed or not signed at all', async () => {
    // 10 KB of deflate that inflates to 10 MB of valid JSON.
    const json = Buffer.concat([Buffer.from('{"a":"'), Buffer.alloc(10 * 1024 * 1024, 'A'), Buffer.from('"}')])
    const bomb = COMPRESSED_VALUE_MARK + deflateRawSync(json, { level: 9 }).toString('base64url')
    expect(bomb.length).toBeLessThan(14_000)
    for (const [options, cookie] of [
      [{ keys: [KEY_NEW], compress: true }, signedCookie(bomb, KEY_NEW)],
      [{ keys: [KEY_NEW] }, signedCookie(bomb, KEY_NEW)],
      [{ signed: false, compress: true }, `session=${bomb}`],
    ] as const) {
      const sent = await once(host, options, '/peek', cookie)
      expect(sent.status).toBe(200)
      expect(sent.body).toMatchObject({ isNew: true, keys: [] })
    }
  })

  it('with chunks: 1, a compressed session still too large is written with the warning, as before', async () => {
    const warnings = captureWarnings()
    try {
      await withBrowser(host, { keys: [KEY_NEW], compress: true }, async (browser) => {
        const sent = await browser.get('/fill?n=6000')
        expect(names(sent.setCookie)).toEqual(['session', 'session.sig'])
      })
      await settle()
      expect(warnings.list.find((w) => w.code === 'COOKIE_SESSION_TOO_LARGE')?.message).toMatch(/over the 4096 bytes browsers keep/)
    } finally {
      warnings.dispose()
    }
  })

  it('compress and chunks together: a session past one cookie even compressed spans chunks, and shrinks back', async () => {
    for (const options of [
      { keys: [KEY_NEW], compress: true, chunks: 3 },
      { keys: [KEY_NEW], compress: true, chunks: 3, encrypt: true },
    ]) {
      await withBrowser(host, options, async (browser) => {
        // Noise of 64 letters deflates to 6 bits a letter: 9000 of them still need three cookies.
        const wrote = await browser.get('/fill?n=9000')
        expect(names(wrote.setCookie).slice(0, 3)).toEqual(['session', 'session.1', 'session.2'])
        expect((await browser.get('/peek')).body.keys).toEqual(['blob'])
        const shrunk = await browser.get('/cart?n=8000')
        expect(cleared(shrunk.setCookie).sort()).toEqual(['session.1', 'session.2'])
        expect((await browser.get('/peek')).body.digest).toBe(digest({ cart: cart(8000) }))
      })
    }
  })
})
