// What one instance (a middleware, a Fetch door) shares with all its requests,
// built once from the options: the checked options, the signer, the sealer.
import type { CookieSessionOptions, KeygripLike, SessionKey } from '../types.js'
import { debug } from './debug.js'
import { type ResolvedOptions, resolveOptions } from './options.js'
import { Sealer } from './sealer.js'
import { HmacSigner } from './signer.js'
import { Warnings } from './warnings.js'

export interface SessionConfig {
  /** The options it was built with, defaults filled in: each request's options inherit from them. */
  readonly options: ResolvedOptions
  /** The cookie name it reads. */
  readonly name: string
  /** Signs and checks `<name>.sig`; `undefined` without keys, and with `encrypt` (no `.sig`). */
  readonly signer: KeygripLike | undefined
  readonly warnings: Warnings
  /** With `encrypt`: seals and opens the cookie. */
  readonly sealer?: Sealer | undefined
  /** With `encrypt` and `acceptSigned`: checks the signature of a signed pair to move over. */
  readonly acceptSigned?: KeygripLike | undefined
  /** How many cookies a signed or encrypted session may span (`chunks`, 1 when not set). */
  readonly chunks: number
  /** Whether to write sessions compressed when shorter (`compress`); both forms are read whatever it says. */
  readonly compress: boolean
}

/**
 * Checks `options` (filling in their defaults on the object itself, as 2.1.1
 * did) and builds the shared configuration.
 * @throws as `cookieSession()` documents.
 */
export function createConfig(options: CookieSessionOptions | undefined): SessionConfig {
  const { options: opts, name, keys, algorithms } = resolveOptions(options)
  // No key material in the log: not keys, not secret, not acceptSigned's old signing keys.
  const { keys: _keys, secret: _secret, acceptSigned: _acceptSigned, ...shown } = opts
  debug('session options %j', shown)

  const toSigner = (list: readonly SessionKey[] | KeygripLike | undefined): KeygripLike | undefined =>
    Array.isArray(list) ? new HmacSigner(list, algorithms) : (list as KeygripLike | undefined)
  const signer = toSigner(keys)
  const warnings = new Warnings()
  const large = { chunks: opts.chunks ?? 1, compress: Boolean(opts.compress) }
  if (!opts.encrypt) return { options: opts, name, signer, warnings, ...large }
  const { acceptSigned } = opts
  return {
    ...large,
    options: opts,
    name,
    // Encrypted cookies are written unsigned: there is no `.sig` to write.
    signer: undefined,
    warnings,
    // The middleware's maxAge (or, without one, its expires) bounds every cookie, whatever it carries: read once, here.
    sealer: new Sealer(keys as readonly SessionKey[], {
      idle: opts.maxAge ? opts.maxAge : undefined,
      absolute: opts.absoluteTimeout ?? undefined,
      notAfter: !opts.maxAge && opts.expires ? opts.expires.getTime() : undefined,
    }),
    // `true`: check signatures with `keys`; a list or a Keygrip instance: with those.
    acceptSigned: acceptSigned === true ? signer : toSigner(acceptSigned || undefined),
  }
}
