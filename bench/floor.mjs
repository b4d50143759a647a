// The `floor` variant of bench/server.mjs: the least any cookie session can do on a read, to measure the targets against.
//
//   BENCH_VARIANTS=none,v2,this,floor BENCH_PATHS=read,untouched node bench/run.mjs
//
// It attaches what the interface requires (req.sessionOptions, a req.session
// accessor, a header hook that does nothing) and, on the first read of
// req.session, takes the value and .sig cookies with a regular expression,
// checks one HMAC-SHA1 and parses the JSON: no change detection, no writes,
// no options. It answers read and untouched only; other paths fail the check.
import { createHmac, timingSafeEqual } from 'node:crypto'
import onHeaders from 'on-headers'
import { KEYS, NAME } from './fixtures.mjs'

const VALUE = new RegExp(`(?:^|; )${NAME}=([^;]*)`)
const SIG = new RegExp(`(?:^|; )${NAME}\\.sig=([^;]*)`)

/** The session in `req`'s cookie if its signature checks, else an empty one. */
function read(req) {
  const header = req.headers.cookie ?? ''
  const value = VALUE.exec(header)?.[1]
  const sig = SIG.exec(header)?.[1]
  if (!value || !sig) return {}
  const expected = Buffer.from(createHmac('sha1', KEYS[0]).update(`${NAME}=${value}`).digest('base64url'))
  const given = Buffer.from(sig)
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return {}
  return JSON.parse(Buffer.from(value, 'base64').toString('utf8'))
}

export function floor() {
  const options = {}
  const state = Symbol('floor state')
  const accessor = {
    configurable: true,
    enumerable: true,
    get() {
      const s = this[state]
      s.session ??= read(this)
      return s.session
    },
    set(value) {
      this[state].session = value
    },
  }
  return (req, res, next) => {
    Object.defineProperty(req, state, { configurable: true, writable: true, value: { session: undefined } })
    req.sessionOptions = Object.create(options)
    Object.defineProperty(req, 'session', accessor)
    onHeaders(res, () => {})
    next()
  }
}
