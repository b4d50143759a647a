// The cookie value: base64 of the session's JSON in UTF-8, byte for byte what
// cookie-session 2.1.1 writes, and its lenient reading.

/** A decoded session payload: a plain JSON object. */
export type Payload = Record<string, unknown>

/** Serialises session data to the cookie value. */
export function encode(data: object): string {
  return encodeJson(JSON.stringify(data))
}

/** The cookie value of a session's JSON text. */
export function encodeJson(json: string): string {
  return Buffer.from(json).toString('base64')
}


/**
 * Parses a cookie value, or returns `undefined` when it is not base64 JSON of
 * an object. Decoding is as lenient as Node's base64 decoder (padding
 * optional, URL-safe letters accepted), as in 2.1.1. Arrays and primitives are
 * refused on purpose: 2.1.1 spread a string into one key per character,
 * turning a 4 KB cookie into a 40 KB one.
 */
export function decode(value: string): Payload | undefined {
  return parseObject(Buffer.from(value, 'base64').toString('utf8'))
}

/** Parses JSON text, or returns `undefined` when it is not the JSON of an object. */
export function parseObject(json: string): Payload | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    return undefined
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Payload) : undefined
}
