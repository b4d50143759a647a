// What the core needs from a door for one request: the request's cookies, a
// way to emit Set-Cookie lines, and the options in force for the response.

/**
 * The attributes of one Set-Cookie, as `cookies` 0.9.2's `set` takes them.
 * Left out, an attribute takes `cookies`' default (`path=/`, `httponly`,
 * `secure` when the request is HTTPS).
 */
export interface SetCookieAttributes {
  /** Also emit `<name>.sig`, the signature of `<name>=<value>`, with the same attributes. */
  signed?: boolean
  httpOnly?: boolean
  /** Replace Set-Cookie lines for the same name already on the response. */
  overwrite?: boolean
  path?: string
  domain?: string
  maxAge?: number
  expires?: Date
  sameSite?: string | boolean
  secure?: boolean
  secureProxy?: boolean
  partitioned?: boolean
  priority?: string
}

/**
 * One request's cookies, as a door gives them to the core. A door for
 * another framework implements `get`, `set` and `options` (see src/node.ts,
 * then src/fetch.ts) and nothing else of the session; `blind` is optional.
 */
export interface CookieJar {
  /**
   * The value of the request's cookie `name` exactly as `cookies` 0.9.2
   * reads it: the first `name=` pair of the Cookie header, one pair of
   * surrounding double quotes removed; `undefined` when absent.
   */
  get(name: string): string | undefined
  /**
   * Emits one Set-Cookie (two with `attributes.signed`); an empty or `null`
   * value expires the cookie. Throws, as `cookies.set` does, on a value,
   * name or attribute no cookie can carry, and on a secure cookie over a
   * request that is not HTTPS.
   */
  set(name: string, value: string | null, attributes: SetCookieAttributes): void
  /**
   * True when the door has no request to read, only a response to write (the
   * Fetch door's `write()` of a session `read()` did not give): the core
   * then clears every chunk name `chunks` allows, since it cannot see which
   * ones the browser holds.
   */
  readonly blind?: boolean
  /**
   * The options in force for this response: for the middleware, whatever
   * `req.sessionOptions` holds when asked (a handler may replace it). A
   * door's own per-response options must inherit the instance's
   * (`Object.create(config.options)`): an object that does not means every
   * option's default, as `req.sessionOptions = {}` does.
   */
  options(): unknown
}
