// Compression (`compress: true`): the session's JSON deflated (deflate-raw, node:zlib) when that is
// shorter, in a form a reader always recognises, and inflated within a fixed bound.
//
// Signed (and unsigned) cookies: the plain value is base64 of the JSON (what 2.1.1 writes, always
// starting with "e", the base64 of "{"); the compressed value is
//
//   "_" base64url( deflate-raw( JSON ) )      (no padding)
//
// "_" is base64url's 63: Node's base64 decoder, as 2.1.1 uses it, turns it into a first byte of
// 0xFC..0xFF, never valid UTF-8, so 2.1.1 fails to parse the JSON and starts a new session, and no
// value readable before this format existed starts with it.
//
// Encrypted cookies: the sealed payload is the JSON's UTF-8 (starting with "{"), or
//
//   0x00 deflate-raw( JSON )
//
// inside the seal, so the form is authenticated with the data.
import { deflateRawSync, inflateRawSync } from 'node:zlib'

/** What a compressed signed cookie value starts with. */
export const COMPRESSED_VALUE_MARK = '_'

/** The first byte of a compressed encrypted payload (a plain one is JSON, starting with "{"). */
export const COMPRESSED_PAYLOAD_MARK = 0

/**
 * The most JSON, in bytes, a compressed session inflates to: 256 KiB, about 21 times the largest
 * cookie budget (`chunks: 3`, 3 × 4096 bytes), well past what session JSON compresses to in
 * practice. Inflating stops there (`maxOutputLength`), so a deflate bomb costs at most this much
 * memory and the time to produce it; and a session over it is never compressed when written, so
 * every compressed cookie written can be read back.
 */
export const MAX_INFLATED_BYTES = 256 * 1024

/** `json` deflated, or `undefined` when it is over {@link MAX_INFLATED_BYTES} (it could not be read back). */
function deflate(json: Buffer): Buffer | undefined {
  return json.length > MAX_INFLATED_BYTES ? undefined : deflateRawSync(json)
}

/** The inflated bytes, or `undefined` when `packed` is not deflate-raw data or inflates past the bound. Never throws. */
export function inflate(packed: Uint8Array): Buffer | undefined {
  try {
    return inflateRawSync(packed, { maxOutputLength: MAX_INFLATED_BYTES })
  } catch {
    // Not deflate data, truncated, or past maxOutputLength (RangeError): zlib stopped at the bound.
    return undefined
  }
}

/**
 * The cookie value to write for `plain` (base64 of the session's JSON, as `encode` makes it):
 * the compressed form when it is shorter, else `plain` itself.
 */
export function compressValue(plain: string): string {
  const packed = deflate(Buffer.from(plain, 'base64'))
  if (packed === undefined) return plain
  const value = COMPRESSED_VALUE_MARK + packed.toString('base64url')
  return value.length < plain.length ? value : plain
}

/** Whether a cookie value is in the compressed form (then {@link inflateValue} reads it). */
export function isCompressedValue(value: string): boolean {
  return value.startsWith(COMPRESSED_VALUE_MARK)
}

/** The JSON bytes of a compressed cookie value, or `undefined` when it does not inflate within the bound. */
export function inflateValue(value: string): Buffer | undefined {
  return inflate(Buffer.from(value.slice(COMPRESSED_VALUE_MARK.length), 'base64url'))
}

/**
 * The payload to seal for `json`: with `compress`, the compressed form when it is shorter;
 * otherwise the JSON text itself (sealed as UTF-8, as without compression).
 */
export function packPayload(json: string, compress: boolean): string | Buffer {
  if (!compress) return json
  const bytes = Buffer.from(json)
  const packed = deflate(bytes)
  if (packed === undefined || packed.length + 1 >= bytes.length) return json
  const payload = Buffer.allocUnsafe(packed.length + 1)
  payload[0] = COMPRESSED_PAYLOAD_MARK
  packed.copy(payload, 1)
  return payload
}

/** The JSON text of an opened payload of either form, or `undefined` when a compressed one does not inflate within the bound. */
export function unpackPayload(payload: Buffer): string | undefined {
  if (payload[0] !== COMPRESSED_PAYLOAD_MARK) return payload.toString('utf8')
  return inflate(payload.subarray(1))?.toString('utf8')
}
