// CookieSessionOptions: every option accepted with its type, wrong types refused.
import cookieSession, { type CookieSessionOptions, type KeygripLike } from 'cookie-session'
import Keygrip from 'keygrip'
import { expectTypeOf } from 'vitest'

const everything: Required<CookieSessionOptions> = {
  name: 'session',
  keys: ['new key', 'old key'],
  secret: 'secret',
  algorithm: ['sha256', 'sha1'],
  signed: true,
  httpOnly: true,
  overwrite: true,
  maxAge: 24 * 60 * 60 * 1000,
  expires: new Date(),
  path: '/',
  domain: 'example.com',
  sameSite: 'lax',
  secure: true,
  partitioned: false,
  priority: 'high',
  rolling: false,
  encrypt: false,
  acceptSigned: false,
  compress: false,
  chunks: 1,
  absoluteTimeout: 8 * 60 * 60 * 1000,
  secureProxy: false,
}
// Type-checked only (absoluteTimeout needs encrypt: true at run time).
cookieSession(everything)
// @ts-expect-error absoluteTimeout is a number of milliseconds
cookieSession({ keys: ['a'], encrypt: true, absoluteTimeout: '8h' })

// algorithm: one name or a list of them.
cookieSession({ keys: ['a'], algorithm: 'sha512' })
// @ts-expect-error not an HMAC this package signs with
cookieSession({ keys: ['a'], algorithm: 'md5' })

// keys: strings, Buffers, a readonly list, or a Keygrip instance (or anything like one).
cookieSession({ keys: ['a', 'b'] })
cookieSession({ keys: [Buffer.from('a'), 'b'] })
cookieSession({ keys: ['a', 'b'] as const })
cookieSession({ keys: new Keygrip(['a', 'b'], 'sha256') })
expectTypeOf<Keygrip>().toExtend<KeygripLike>()
cookieSession({ secret: 'one key' })
cookieSession({ secret: Buffer.from('one key') })
cookieSession({ signed: false })
cookieSession({ sameSite: true })
cookieSession({ sameSite: 'Strict' })
cookieSession({ sameSite: 'none', secure: true, partitioned: true })
cookieSession({ priority: 'low' })
cookieSession({ priority: 'Medium' })
// encrypt, and acceptSigned as true, a list of keys or a Keygrip instance.
cookieSession({ keys: [Buffer.alloc(32)], encrypt: true })
cookieSession({ keys: ['a'.repeat(32)], encrypt: true, acceptSigned: true })
cookieSession({ keys: ['a'.repeat(32)], encrypt: true, acceptSigned: ['old'] as const })
cookieSession({ keys: ['a'.repeat(32)], encrypt: true, acceptSigned: new Keygrip(['old'], 'sha256') })
cookieSession({ keys: ['a'.repeat(32)], encrypt: undefined, acceptSigned: undefined })

// @ts-expect-error encrypt is a boolean
cookieSession({ keys: ['k'], encrypt: 'aes' })
// @ts-expect-error acceptSigned is a boolean, a list of keys or a Keygrip instance
cookieSession({ keys: ['k'], encrypt: true, acceptSigned: 'old' })
// compress and chunks: large sessions.
cookieSession({ keys: ['k'], compress: true, chunks: 3 })
cookieSession({ keys: ['k'], compress: undefined, chunks: undefined })
// @ts-expect-error compress is a boolean
cookieSession({ keys: ['k'], compress: 'deflate' })
// @ts-expect-error chunks is a number of cookies
cookieSession({ keys: ['k'], chunks: '3' })
// @ts-expect-error maxAge is a number of milliseconds, not a duration string
cookieSession({ keys: ['k'], maxAge: '1d' })
// @ts-expect-error sameSite is strict, lax, none or a boolean
cookieSession({ keys: ['k'], sameSite: 'sideways' })
// @ts-expect-error priority is low, medium or high
cookieSession({ keys: ['k'], priority: 'urgent' })
// @ts-expect-error keys is a list (or a Keygrip), not one string
cookieSession({ keys: 'k' })
// @ts-expect-error keys are strings or Buffers
cookieSession({ keys: [1, 2] })
// @ts-expect-error expires is a Date
cookieSession({ keys: ['k'], expires: Date.now() + 1000 })
// @ts-expect-error httpOnly is a boolean
cookieSession({ keys: ['k'], httpOnly: 'yes' })
// @ts-expect-error misspelt options are caught on literals
cookieSession({ keys: ['k'], maxage: 1000 })
