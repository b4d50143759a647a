// The `floor` variants of the benchmarks: the least any cookie session can do on each path, with 2.1.1's bytes, to measure against.
//
//   BENCH_VARIANTS=none,v2,this,floor node bench/run.mjs      (HTTP)
//   npm run bench:micro                                       (in process)
//
// Signed (`floor()`): what the interface requires (req.sessionOptions, a
// req.session accessor, a header hook) and
//   read:    the value and .sig cookies taken with a regular expression, one
//            HMAC-SHA1 check, JSON.parse;
//   commit:  nothing when the session was never used; a new session that
//            holds a key, or a loaded one whose JSON text is no longer the
//            text it was parsed from (the least change detection that
//            behaves as 2.1.1's), is written: JSON.stringify, base64, one
//            HMAC, two Set-Cookie headers, the bytes 2.1.1 sends with the
//            default options; a destroyed one gets the two clearing
//            headers, made once.
// No options, no rotation, no warnings, no rolling, no size check.
// Encrypted (`floorEncrypted()`): the same with one AES-256-GCM open or seal
// in the format of src/sealer.ts (key derived once) in place of the HMAC.
// `floorCore()` and `encryptedCore()` are the door-free parts, for the Fetch door's floor.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto'
import onHeaders from 'on-headers'
import { ENCRYPTION_KEYS, KEYS, NAME } from './fixtures.mjs'

const VALUE = new RegExp(`(?:^|; )${NAME}=([^;]*)`)
const SIG = new RegExp(`(?:^|; )${NAME}\\.sig=([^;]*)`)
const ATTRIBUTES = '; path=/; httponly'
const CLEARED = '; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly'
const sign = (data) => createHmac('sha1', KEYS[0]).update(data).digest('base64url')

/** A session loaded from a cookie, with the JSON text it came from; `undefined` when there is none or it does not check. */
function loaded(json) {
  const session = JSON.parse(json)
  return typeof session === 'object' && session !== null && !Array.isArray(session) ? { session, json } : undefined
}

/** The JSON text of `session` if it is to be written (`json`: the text it was loaded from, `undefined` if new), else `undefined`. */
function changed(session, json) {
  if (json === undefined) {
    for (const _ in session) return JSON.stringify(session)
    return undefined
  }
  const text = JSON.stringify(session)
  return text === json ? undefined : text
}

/** Signed, as 2.1.1 with its default options: read a Cookie header, the Set-Cookie lines to write a session or to clear it. */
export function floorCore() {
  const clear = [`${NAME}=${CLEARED}`, `${NAME}.sig=${sign(`${NAME}=`)}${CLEARED}`]
  return {
    read(header) {
      const value = VALUE.exec(header)?.[1]
      const sig = SIG.exec(header)?.[1]
      if (!value || !sig) return undefined
      const expected = Buffer.from(sign(`${NAME}=${value}`))
      const given = Buffer.from(sig)
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined
      try {
        return loaded(Buffer.from(value, 'base64').toString('utf8'))
      } catch {
        return undefined
      }
    },
    write(json) {
      const value = Buffer.from(json).toString('base64')
      return [`${NAME}=${value}${ATTRIBUTES}`, `${NAME}.sig=${sign(`${NAME}=${value}`)}${ATTRIBUTES}`]
    },
    clear,
  }
}

/** Encrypted, in src/core/sealer.ts's format (e2): one AES-256-GCM open or seal, with the first key only, no idle bound. */
export function encryptedCore() {
  const key = Buffer.from(hkdfSync('sha256', ENCRYPTION_KEYS[0], Buffer.alloc(0), 'cookie-session/e1 aes-256-gcm cookie key', 32))
  const aad = Buffer.from(NAME)
  let ivs = Buffer.alloc(0)
  let offset = 0
  return {
    read(header) {
      const value = VALUE.exec(header)?.[1]
      if (!value?.startsWith('e2.')) return undefined
      const text = value.slice(3)
      const sealed = Buffer.from(text, 'base64url')
      if (sealed.length < 52 || sealed.toString('base64url') !== text) return undefined
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12), { authTagLength: 16 })
      decipher.setAAD(aad)
      decipher.setAuthTag(sealed.subarray(sealed.length - 16))
      const plaintext = decipher.update(sealed.subarray(12, sealed.length - 16))
      try {
        decipher.final()
        if (!(Date.now() < plaintext.readDoubleBE(0))) return undefined
        return loaded(plaintext.toString('utf8', 24))
      } catch {
        return undefined
      }
    },
    write(json) {
      if (offset === ivs.length) {
        ivs = randomBytes(12 * 128)
        offset = 0
      }
      const iv = ivs.subarray(offset, offset + 12)
      offset += 12
      const now = Date.now()
      const plaintext = Buffer.allocUnsafe(24 + Buffer.byteLength(json))
      plaintext.writeDoubleBE(Number.POSITIVE_INFINITY, 0)
      plaintext.writeDoubleBE(now, 8)
      plaintext.writeDoubleBE(now, 16)
      plaintext.write(json, 24, 'utf8')
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 })
      cipher.setAAD(aad)
      const sealed = Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()])
      return [`${NAME}=e2.${sealed.toString('base64url')}${ATTRIBUTES}`]
    },
    clear: [`${NAME}=${CLEARED}`],
  }
}

/** Node.js door (Express, Connect, node:http) over a core. */
function middleware(core) {
  const options = {}
  const state = Symbol('floor state')
  const accessor = {
    configurable: true,
    enumerable: true,
    get() {
      const s = this[state]
      if (s.session === undefined) {
        const found = core.read(this.headers.cookie ?? '')
        s.session = found?.session ?? {}
        s.json = found?.json
      }
      return s.session
    },
    set(value) {
      const s = this[state]
      s.session = value ?? null
      s.json = undefined
    },
  }
  const send = (res, lines) => {
    const previous = res.getHeader('Set-Cookie')
    res.setHeader('Set-Cookie', previous === undefined ? lines : [].concat(previous, lines))
  }
  return (req, res, next) => {
    const s = { session: undefined, json: undefined }
    Object.defineProperty(req, state, { configurable: true, writable: true, value: s })
    req.sessionOptions = Object.create(options)
    Object.defineProperty(req, 'session', accessor)
    onHeaders(res, () => {
      if (s.session === undefined) return
      if (s.session === null) return send(res, core.clear)
      const json = changed(s.session, s.json)
      if (json !== undefined) send(res, core.write(json))
    })
    next()
  }
}

export const floor = () => middleware(floorCore())
export const floorEncrypted = () => middleware(encryptedCore())

/** The loaded JSON text of a Fetch-door floor session, under a symbol: JSON.stringify and for-in skip it. */
const LOADED = Symbol('floor loaded')

/** Fetch door, in the shape of src/fetch.ts's: read(request) gives the session, write(session, headers) appends Set-Cookie. */
export function floorFetch() {
  const core = floorCore()
  return {
    read(request) {
      const found = core.read(request.headers.get('cookie') ?? '')
      if (found === undefined) return {}
      found.session[LOADED] = found.json
      return found.session
    },
    write(session, headers) {
      if (session === null) {
        for (const line of core.clear) headers.append('Set-Cookie', line)
        return
      }
      const json = changed(session, session[LOADED])
      if (json !== undefined) for (const line of core.write(json)) headers.append('Set-Cookie', line)
    },
  }
}
