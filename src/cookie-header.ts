// Cookie and Set-Cookie byte for byte as `cookies` 0.9.2 handles them, with
// the same errors: reading a cookie from a Cookie header (both doors) and
// writing one Set-Cookie line (the Fetch door; the middleware writes through `cookies`).
import type { SetCookieAttributes } from './core/jar.js'
// The attribute grammars `cookies` checks, shared with the option checks (RFC 6265 sec 4.1.1).
import { DOMAIN_VALUE, PATH_VALUE, PRIORITY_VALUE, SAME_SITE_VALUE } from './core/options.js'

/**
 * RFC 7230 sec 3.2 (as `cookies` checks names and values):
 *   field-content = field-vchar [ 1*( SP / HTAB ) field-vchar ]
 *   field-vchar   = VCHAR / obs-text
 *   obs-text      = %x80-FF
 */
const FIELD_CONTENT = /^[\t\u0020-\u007e\u0080-\u00ff]+$/
/** A name may not hold `;` or `=`, a value not `;` (`cookies`' loose checks). */
const NAME_RESTRICTED = /[;=]/
const VALUE_RESTRICTED = /;/
const REGEXP_SPECIALS = /[\^$\\.*+?()[\]{}|]/g

/** One pattern per cookie name (names come from the options, never from a request). */
const patterns = new Map<string, RegExp>()

/**
 * The value of cookie `name` in a Cookie header, as `cookies.get(name)`
 * reads it: the first `name=` that starts the header or follows a `;` and
 * spaces, up to the next `;`, with one pair of surrounding quotes removed.
 */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined
  let pattern = patterns.get(name)
  if (pattern === undefined) {
    pattern = new RegExp(`(?:^|;) *${name.replace(REGEXP_SPECIALS, '\\$&')}=([^;]*)`)
    patterns.set(name, pattern)
  }
  const value = pattern.exec(header)?.[1]
  if (value === undefined) return undefined
  return value[0] === '"' ? value.slice(1, -1) : value
}

/** A cookie about to be written: the attributes `cookies` defaults, overridden by those given. */
interface Cookie extends SetCookieAttributes {
  name: string
  value: string
}

/**
 * The cookie `cookies.set(name, value, attributes)` would write, checked as
 * it checks it. An empty value expires the cookie.
 * @throws {TypeError} `argument name is invalid`, `option path is invalid`, … as `cookies` does.
 */
export function makeCookie(name: string, value: string | null, attributes: SetCookieAttributes): Cookie {
  if (!FIELD_CONTENT.test(name) || NAME_RESTRICTED.test(name)) throw new TypeError('argument name is invalid')
  if (value && (!FIELD_CONTENT.test(value) || VALUE_RESTRICTED.test(value))) throw new TypeError('argument value is invalid')
  const cookie: Cookie = { path: '/', httpOnly: true, ...attributes, name, value: value || '' }
  if (!cookie.value) {
    cookie.expires = new Date(0)
    cookie.maxAge = undefined
  }
  const { path, domain, maxAge, priority, sameSite } = cookie
  if (path && !PATH_VALUE.test(path)) throw new TypeError('option path is invalid')
  if (domain && !DOMAIN_VALUE.test(domain)) throw new TypeError('option domain is invalid')
  if (typeof maxAge === 'number' ? !Number.isFinite(maxAge) : maxAge) throw new TypeError('option maxAge is invalid')
  if (priority && !PRIORITY_VALUE.test(priority)) throw new TypeError('option priority is invalid')
  if (sameSite && sameSite !== true && !SAME_SITE_VALUE.test(sameSite)) throw new TypeError('option sameSite is invalid')
  return cookie
}

/** The Set-Cookie line for `cookie`, attribute for attribute as `cookies` writes it. */
export function setCookieLine(cookie: Cookie): string {
  let line = `${cookie.name}=${cookie.value}`
  const { path, maxAge, domain, priority, sameSite } = cookie
  const expires = maxAge ? new Date(Date.now() + maxAge) : cookie.expires
  if (path) line += `; path=${path}`
  if (expires) line += `; expires=${expires.toUTCString()}`
  if (domain) line += `; domain=${domain}`
  if (priority) line += `; priority=${priority.toLowerCase()}`
  if (sameSite) line += `; samesite=${sameSite === true ? 'strict' : sameSite.toLowerCase()}`
  if (cookie.secure) line += '; secure'
  if (cookie.httpOnly) line += '; httponly'
  if (cookie.partitioned) line += '; partitioned'
  return line
}
