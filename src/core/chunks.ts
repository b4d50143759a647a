// Chunking (`chunks: n`): a cookie value too long for one cookie, spread over `<name>`,
// `<name>.1` … `<name>.k-1`, and read back with a bounded number of look-ups.
//
// A value whose cookie fits (name plus value at most 4096 bytes) is written as is, in `<name>`:
// byte for byte what is written without chunking. Otherwise it is split over k cookies,
// 2 <= k <= n, in order:
//
//   <name>      "-" k "." piece0
//   <name>.1    piece1
//   …
//   <name>.k-1  piece(k-1)
//
// k is one decimal digit. The assembled value, "-" k "." piece0 piece1 … piece(k-1), is what is
// signed (`<name>.sig` signs `<name>=` and it, so the count is signed with the data); an encrypted
// value is sealed with the count in its associated data. A reader looks up `<name>` and, only
// when its header gives 2 <= k <= n, `<name>.1` … `<name>.k-1`: never a name past the configured n,
// whatever the request holds. Each cookie name plus value is at most {@link COOKIE_SIZE_LIMIT}
// bytes; the first pieces are full, the last one takes the rest.
//
// "-" is base64url's 62: Node's base64 decoder turns it into a first byte of 0xF8..0xFB, never
// valid UTF-8, so no value readable before this format existed starts with it.

import { COOKIE_SIZE_LIMIT } from './warnings.js'

export { COOKIE_SIZE_LIMIT }

/**
 * The largest `chunks` accepted: three full cookies (about 12.3 KB of `Cookie` header, with
 * `<name>.sig`) leave about 4 KB of Node's default 16 KiB header limit (`maxHeaderSize`) for
 * the request line and every other header; four would leave almost none.
 */
export const MAX_CHUNKS = 3

/** What the first cookie of a chunked value starts with. */
export const CHUNK_MARK = '-'

/** How a request's cookies are read: the value of the named cookie, as `cookies` reads it. */
export type CookieGetter = (name: string) => string | undefined

/** A value read back: `value` as signed (with the header when chunked), `body` without it, `count` cookies. */
export interface Assembled {
  readonly value: string
  readonly body: string
  readonly count: number
}

/** The name of piece `index`: `<name>` for 0, `<name>.<index>` after. */
export function chunkName(name: string, index: number): string {
  return index === 0 ? name : `${name}.${index}`
}

/** The header of a value split over `count` cookies. */
function header(count: number): string {
  return `${CHUNK_MARK}${count}.`
}

/** How many characters of value piece `index` of `name` holds (the header counted in piece 0). */
function capacity(nameBytes: number, index: number): number {
  return COOKIE_SIZE_LIMIT - nameBytes - (index === 0 ? header(2).length : 1 + String(index).length)
}

/**
 * How many cookies `name` needs for a value (ASCII, without the header) of `length` characters:
 * 1 when one cookie holds it as is; otherwise the fewest that hold it with the header, which can
 * be more than {@link MAX_CHUNKS} (the caller compares with its own limit).
 */
export function chunkCount(name: string, length: number): number {
  const nameBytes = Buffer.byteLength(name)
  if (nameBytes + length <= COOKIE_SIZE_LIMIT) return 1
  let count = 0
  let room = 0
  while (room < length) {
    const next = capacity(nameBytes, count)
    // A name so long that a piece holds nothing: no count is enough.
    if (next <= 0) return Number.POSITIVE_INFINITY
    room += next
    count++
  }
  return Math.max(count, 2)
}

/**
 * The cookie values for `body` split over `count` cookies (from {@link chunkCount}), in order:
 * `[body]` for 1, else the header and first piece, then the others.
 */
export function split(name: string, body: string, count: number): string[] {
  if (count === 1) return [body]
  const nameBytes = Buffer.byteLength(name)
  const values: string[] = []
  let at = 0
  for (let index = 0; index < count; index++) {
    const end = index === count - 1 ? body.length : at + capacity(nameBytes, index)
    const piece = body.slice(at, end)
    values.push(index === 0 ? header(count) + piece : piece)
    at = end
  }
  return values
}

/**
 * The value held by `<name>` and, when it is chunked, its other pieces, or `undefined` when
 * `<name>` is absent or empty, its header is not "-" k "." with 2 <= k <= `max`, or a piece is
 * absent or empty. At most `max` look-ups.
 */
export function assemble(get: CookieGetter, name: string, max: number): Assembled | undefined {
  const first = get(name)
  if (!first) return undefined
  if (!first.startsWith(CHUNK_MARK)) return { value: first, body: first, count: 1 }
  // "-", one digit, ".": a longer count (such as 2^53) is refused without being read as a number.
  const count = first.charCodeAt(1) - 48
  if (!(count >= 2 && count <= max) || first[2] !== '.') return undefined
  let value = first
  for (let index = 1; index < count; index++) {
    const piece = get(chunkName(name, index))
    if (!piece) return undefined
    value += piece
  }
  return { value, body: value.slice(header(count).length), count }
}

/** The names of the pieces `<name>.from` … `<name>.to-1` the request holds (to clear them). */
export function present(get: CookieGetter, name: string, from: number, to: number): string[] {
  const names: string[] = []
  for (let index = Math.max(from, 1); index < to; index++) {
    const piece = chunkName(name, index)
    if (get(piece) !== undefined) names.push(piece)
  }
  return names
}

/** The bytes of name plus value of every cookie in `values` for `name`, as {@link split} made them. */
export function totalSize(name: string, values: readonly string[]): number {
  let size = 0
  for (let index = 0; index < values.length; index++) {
    size += Buffer.byteLength(chunkName(name, index)) + (values[index] as string).length
  }
  return size
}

/**
 * What an encrypted value split over `count` cookies is sealed for: the cookie name alone for
 * one cookie (as without chunking), else the name, a NUL (which no cookie name holds) and the
 * count, so that a value opens only as the number of pieces it was sealed as.
 */
export function sealedFor(name: string, count: number): string {
  return count === 1 ? name : `${name}\u0000${count}`
}
