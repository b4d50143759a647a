// Re-issue only under the name read: a session read under the middleware's
// cookie name and written under another (a per-request `name`) is written only
// when it changed, freshly signed or sealed for the new name. What was merely
// verified under the old name (a cookie signed or sealed with an older key, an
// e1 cookie, a signed pair for acceptSigned) is never re-issued, nor re-sent by
// rolling, under the new one; the old name's cookie and .sig are left as they
// are. Signed and encrypted, over real HTTP on every host and the Fetch door
// (its adapter, and its own API directly).
import Keygrip from 'keygrip'
import { describe, expect, it } from 'vitest'
import { createCookieSession } from 'cookie-session/fetch'
import { cookieValue, decodeValue, sessionCookie } from './support/core-harness.js'
import { hostsAndFetchDoor } from './support/fetch-door-host.js'
import { express5Host, sendJson } from './support/hosts.js'
import { parseSetCookie } from './support/cookies.js'
import { cookieOf, fetchRound, KEY_A, KEY_B, set, unseal, withApp } from './support/expiry.js'

const E1_KEY = 'a fixed key for the e1 fixture, 32 bytes+'
/** `{"user":"alice","n":1}` sealed for "session" by the e1 code (see test/sealer.test.ts). */
const E1_ALICE = 'session=e1.AAECAwQFBgcICQoLuiq-K-j72aFyh2fc_IbvWzLtlnTPzTEm55GMf7Ci8k8XGDM7vcLa18IcDLmYfw'
const names = (setCookie: string[]) => setCookie.map((c) => parseSetCookie(c).name)

describe.each(hostsAndFetchDoor)('re-issue only under the name read, on $name', (host) => {
  it('signed: a cookie signed with an older key, read while name is set to "admin", is not re-signed as admin', async () => {
    const stale = sessionCookie({ user: 'alice' }, 'old key')
    await withApp({ keys: ['new key', 'old key'] }, async (get) => {
      // Under its own name it is re-issued, value and .sig, with the first key.
      expect(names((await get('/peek', stale)).setCookie)).toEqual(['session', 'session.sig'])
      const renamed = await get('/peek?name=admin', stale)
      expect(renamed.body).toEqual({ isNew: false, data: { user: 'alice' } })
      expect(renamed.setCookie).toEqual([])
      // A change is written under the new name, signed for it; the old pair is not touched.
      const changed = await get(`${set({ role: 'admin' })}&name=admin`, stale)
      expect(names(changed.setCookie)).toEqual(['admin', 'admin.sig'])
      expect(decodeValue(cookieValue(changed.setCookie, 'admin'))).toEqual({ user: 'alice', role: 'admin' })
    }, host)
  })

  it('signed and rolling: nothing re-sent under another name', async () => {
    await withApp({ keys: ['k1'], rolling: true }, async (get) => {
      const cookie = sessionCookie({ user: 'alice' }, 'k1')
      expect(names((await get('/peek', cookie)).setCookie)).toEqual(['session', 'session.sig'])
      expect((await get('/peek?name=admin', cookie)).setCookie).toEqual([])
    }, host)
  })

  it('encrypted: an older key, an e1 cookie, rolling: nothing re-sealed under another name; a change is sealed for it', async () => {
    let old = ''
    await withApp({ keys: [KEY_A], encrypt: true }, async (get) => {
      old = cookieOf(await get(set({ user: 'alice' })))
    }, host)
    await withApp({ keys: [KEY_B, KEY_A], encrypt: true, rolling: true }, async (get) => {
      expect(names((await get('/peek', old)).setCookie)).toEqual(['session'])
      expect((await get('/peek?name=admin', old)).setCookie).toEqual([])
      const changed = await get(`${set({ role: 'admin' })}&name=admin`, old)
      expect(names(changed.setCookie)).toEqual(['admin'])
      expect(unseal(cookieOf(changed, 'admin'), [KEY_B], 'admin')?.json).toBe('{"user":"alice","role":"admin"}')
      expect(unseal(cookieOf(changed, 'admin'), [KEY_B], 'session')).toBeUndefined()
    }, host)
    await withApp({ keys: [E1_KEY], encrypt: true }, async (get) => {
      expect(names((await get('/peek', E1_ALICE)).setCookie)).toEqual(['session'])
      expect((await get('/peek?name=admin', E1_ALICE)).setCookie).toEqual([])
    }, host)
  })

  it('acceptSigned: a signed pair read while name is "admin" is not moved under admin, and its .sig is left', async () => {
    const value = Buffer.from('{"user":"alice"}').toString('base64')
    const pair = `session=${value}; session.sig=${new Keygrip(['old signing key']).sign(`session=${value}`)}`
    await withApp({ keys: [KEY_A], encrypt: true, acceptSigned: ['old signing key'] }, async (get) => {
      expect(names((await get('/peek', pair)).setCookie)).toEqual(['session', 'session.sig'])
      const renamed = await get('/peek?name=admin', pair)
      expect(renamed.body.data).toEqual({ user: 'alice' })
      expect(renamed.setCookie).toEqual([])
      const changed = await get(`${set({ n: 1 })}&name=admin`, pair)
      expect(names(changed.setCookie)).toEqual(['admin'])
      expect(unseal(cookieOf(changed, 'admin'), [KEY_A], 'admin')?.json).toBe('{"user":"alice","n":1}')
    }, host)
  })
})

describe('re-issue only under the name read: the rest', () => {
  it('the Fetch door: write() with { name } re-issues nothing under it', () => {
    const stale = sessionCookie({ user: 'alice' }, 'old key')
    const sessions = createCookieSession({ keys: ['new key', 'old key'] })
    expect(names(fetchRound(sessions, stale).setCookie)).toEqual(['session', 'session.sig'])
    expect(fetchRound(sessions, stale, undefined, { name: 'admin' }).setCookie).toEqual([])
    expect(names(fetchRound(sessions, stale, (s) => (s.n = 1), { name: 'admin' }).setCookie)).toEqual(['admin', 'admin.sig'])
    const e1 = createCookieSession({ keys: [E1_KEY], encrypt: true })
    expect(fetchRound(e1, E1_ALICE, undefined, { name: 'admin' }).setCookie).toEqual([])
  })

  it('README recipe: moving a session to another name, the handler clears the old cookie and .sig (Express res.clearCookie)', async () => {
    const cookie = sessionCookie({ user: 'alice' }, 'k1')
    await withApp({ keys: ['k1'] }, async (get) => {
      const res = await get('/move', cookie)
      expect(names(res.setCookie)).toEqual(['session', 'session.sig', 'admin', 'admin.sig'])
      expect(res.setCookie.slice(0, 2).every((c) => /expires=Thu, 01 Jan 1970/i.test(c))).toBe(true)
      expect(decodeValue(cookieValue(res.setCookie, 'admin'))).toEqual({ user: 'alice', role: 'admin' })
    }, express5Host, (req, res: any) => {
      req.session.role = 'admin'
      req.sessionOptions.name = 'admin'
      res.clearCookie('session')
      res.clearCookie('session.sig')
      sendJson(res, {})
    })
  })
})
