// Large sessions (`compress`, `chunks`) for SessionState: how a request's
// cookies give the session's value (one cookie or chunks, plain or
// compressed), and how a value to write becomes cookies, or none when it does
// not fit. With `chunks: 1` and `compress` off, exactly what was done before.
import type { KeygripLike } from '../types.js'
import { assemble, chunkCount, chunkName, type Assembled, present, sealedFor, split, totalSize } from './chunks.js'
import { type Payload, parseObject } from './codec.js'
import { compressValue, inflateValue, isCompressedValue, packPayload } from './compress.js'
import type { SessionConfig } from './config.js'
import type { CookieJar, SetCookieAttributes } from './jar.js'
import { COOKIE_SIZE_LIMIT } from './warnings.js'

/**
 * A signed (or unsigned) cookie value decoded: the plain value (base64 of the
 * JSON), the data, the JSON text and the bytes it came from (what change
 * detection compares).
 */
export interface Decoded {
  readonly plain: string
  readonly data: Payload
  readonly json: string
  readonly bytes: Buffer
}

/**
 * How many cookies a session may span on a response or request: the
 * `chunks` option when signed or encrypted, 1 for an unsigned cookie (which
 * has no signature to tell a stale or mixed chunk by).
 */
export function chunksFor(config: SessionConfig, signed: boolean): number {
  return signed || config.sealer !== undefined ? config.chunks : 1
}

/**
 * The value of the request's session cookie: with `max` over 1, assembled
 * from its chunks (see chunks.ts); else `<name>` alone, as `cookies` reads it.
 */
export function readValue(jar: CookieJar, name: string, max: number): Assembled | undefined {
  if (max > 1) return assemble((n) => jar.get(n), name, max)
  const value = jar.get(name)
  return value === undefined ? undefined : { value, body: value, count: 1 }
}

/** Decodes a signed (or unsigned) cookie value of either form; `undefined` when it holds no session. */
export function decodeValue(value: string): Decoded | undefined {
  if (!isCompressedValue(value)) {
    const bytes = Buffer.from(value, 'base64')
    const json = bytes.toString('utf8')
    const data = parseObject(json)
    return data === undefined ? undefined : { plain: value, data, json, bytes }
  }
  const inflated = inflateValue(value)
  if (inflated === undefined) return undefined
  const json = inflated.toString('utf8')
  const data = parseObject(json)
  if (data === undefined) return undefined
  return { plain: inflated.toString('base64'), data, json, bytes: inflated }
}

/** What a response writes a session with. */
export interface Target {
  readonly jar: CookieJar
  readonly config: SessionConfig
  /** The cookie name of this response. */
  readonly name: string
  readonly attributes: SetCookieAttributes
  /** Encrypted: seals a payload for a name (the associated data), with the moments the state keeps. */
  readonly seal?: ((name: string, payload: string | Buffer) => string) | undefined
}

/**
 * Writes `text` (the plain value when signed, the JSON when encrypted) as the
 * session's cookie, or its chunks, and clears the chunks of the request it no
 * longer needs. When it needs more cookies than `chunks` allows, writes
 * nothing, warns, and returns `false` (the caller then writes nothing else
 * either). With `chunks: 1`, writes a value of any size, warning when it is
 * over what browsers keep, as before.
 */
export function writeValue(target: Target, text: string): boolean {
  const { jar, config, name, attributes, seal } = target
  const { warnings } = config
  const max = chunksFor(config, Boolean(attributes.signed))
  if (max === 1) {
    // One cookie whatever its size, as without `chunks`.
    const value = seal ? seal(name, packPayload(text, config.compress)) : config.compress ? compressValue(text) : text
    const size = Buffer.byteLength(name) + value.length
    if (size > COOKIE_SIZE_LIMIT) warnings.tooLarge(name, size, Boolean(attributes.signed))
    jar.set(name, value, attributes)
    return true
  }
  let body: string
  let count: number
  if (seal) {
    ;({ body, count } = sealValue(seal, target, text, max))
  } else {
    body = config.compress ? compressValue(text) : text
    count = chunkCount(name, body.length)
  }
  if (count === 1) {
    jar.set(name, body, attributes)
    clearChunks(target, 1, max)
    return true
  }
  // Under a per-request name, one cookie at most: chunks under a second name beside the
  // middleware's own could together pass what a server takes in one request (Node.js: 431).
  if (count > 1 && name !== config.name) {
    warnings.overChunks(name, Number.isFinite(count) ? totalSize(name, split(name, body, count)) : undefined, 1)
    return false
  }
  if (count > max) {
    // No count at all when the name leaves no room for a value in a cookie.
    warnings.overChunks(name, Number.isFinite(count) ? totalSize(name, split(name, body, count)) : undefined, max)
    return false
  }
  const values = split(name, body, count)
  const unsigned = { ...attributes, signed: false }
  for (let index = 0; index < count; index++) jar.set(chunkName(name, index), values[index] as string, unsigned)
  // Signed chunks need keys: `chunks` over 1 is refused without them (signed: false), so the signer is there.
  if (attributes.signed) jar.set(`${name}.sig`, (config.signer as KeygripLike).sign(`${name}=${values.join('')}`), unsigned)
  clearChunks(target, count, max)
  return true
}

/** Encrypted: the sealed value, sealed again for its count when it spans chunks (the count is in the associated data). */
function sealValue(seal: NonNullable<Target['seal']>, target: Target, json: string, max: number): { body: string; count: number } {
  const { name, config } = target
  const payload = packPayload(json, config.compress)
  const body = seal(name, payload)
  const count = chunkCount(name, body.length)
  if (count <= 1 || count > max) return { body, count }
  return { body: seal(sealedFor(name, count), payload), count }
}

/** Clears every chunk of the session (on destroy), when chunks are on. */
export function clearAllChunks(target: Target): void {
  clearChunks(target, 1, chunksFor(target.config, Boolean(target.attributes.signed)))
}

/**
 * Clears `<name>.from` … `<name>.max-1` where the request holds them (all of
 * them when the door cannot read the request), with the response's path and domain.
 */
function clearChunks(target: Target, from: number, max: number): void {
  const { jar, name, attributes } = target
  const get = jar.blind ? () => '' : (n: string) => jar.get(n)
  for (const chunk of present(get, name, from, max)) jar.set(chunk, '', { ...attributes, signed: false })
}


