/**
 * The cookie value: base64 of the session's JSON in UTF-8, byte for byte what
 * cookie-session 2.1.1 writes. Decoding is as lenient as Node's base64 decoder
 * (padding optional, URL-safe letters accepted), again as in 2.1.1.
 */

/** A decoded session payload: a plain JSON object. */
export type Payload = Record<string, unknown>

/** A cookie value read: its data, and the JSON text when writing that text back would give the same value. */
export interface Decoded {
  readonly data: Payload
  /**
   * The decoded JSON text, when `value` is exactly {@link encode} of it
   * (canonical padded base64 of valid UTF-8); otherwise `undefined`, and no
   * session can ever encode to `value`. So for a session loaded from `value`,
   * `encode(session) === value` exactly when `JSON.stringify(session) === json`:
   * the write path compares JSON text and only base64-encodes what it sends.
   */
  readonly json: string | undefined
}

/** Serialises session data to the cookie value. */
export function encode(data: object): string {
  return encodeJson(JSON.stringify(data))
}

/** The cookie value for JSON text already made. */
export function encodeJson(json: string): string {
  return Buffer.from(json).toString('base64')
}

/**
 * Parses a cookie value, or returns `undefined` when it is not base64 JSON of
 * an object. Arrays and primitives are refused on purpose: 2.1.1 spread a
 * string into one key per character, turning a 4 KB cookie into a 40 KB one.
 * Also tells whether the value is the canonical encoding of its JSON text.
 */
export function decode(value: string): Decoded | undefined {
  const bytes = Buffer.from(value, 'base64')
  const json = bytes.toString('utf8')
  const data = parseObject(json)
  if (data === undefined) return undefined
  return { data, json: isCanonical(value, bytes, json) ? json : undefined }
}

/**
 * Whether `value` is what {@link encodeJson} gives for `json`, the UTF-8
 * decoding of `bytes` (its base64 decoding). Node's UTF-8 decoding replaces
 * every invalid sequence with U+FFFD, so text without one came from valid
 * UTF-8 and encodes back to the same bytes: then `value` only has to be the
 * base64 of the bytes as they are (no missing padding, no URL-safe letters,
 * nothing Node's decoder skipped). Text with U+FFFD is re-encoded to tell.
 */
function isCanonical(value: string, bytes: Buffer, json: string): boolean {
  return json.includes('\uFFFD') ? encodeJson(json) === value : bytes.toString('base64') === value
}

function parseObject(json: string): Payload | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    return undefined
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Payload) : undefined
}
