import type { IncomingMessage, ServerResponse } from 'node:http'
import Cookies from 'cookies'
import { decode, encode } from './codec.js'
import { debug } from './debug.js'
import type { CookieSessionOptions, KeygripLike } from './options.js'
import { Session, type SessionOwner } from './session.js'
import { COOKIE_SIZE_LIMIT, type Warnings } from './warnings.js'

/** What one middleware instance shares with all its requests. */
export interface SessionCookieConfig {
  /** The cookie name. */
  readonly name: string
  /** Its size in bytes, for the size warning. */
  readonly nameBytes: number
  /** Passed to every `new Cookies()`; one object for all requests. */
  readonly cookiesOptions: { readonly keys: KeygripLike | undefined }
  readonly warnings: Warnings
}

/** The request as the middleware sees it. */
export interface SessionRequest extends IncomingMessage {
  sessionOptions: CookieSessionOptions
}

/**
 * The session cookie of one request: reads it the first time `req.session` is
 * used and writes it, through `cookies`, when the response headers go out.
 */
export class SessionCookie implements SessionOwner {
  /** `undefined`: never accessed; `false`: set to null (destroyed). */
  session: Session | false | undefined = undefined
  /** `regenerate()` was called: an empty result clears the cookie instead of leaving it. */
  regenerated = false
  #cookies: Cookies | undefined

  constructor(
    readonly config: SessionCookieConfig,
    readonly req: SessionRequest,
    readonly res: ServerResponse,
  ) {}

  /** `cookies` for this request, made on first need: requests that never touch the session pay nothing. */
  get cookies(): Cookies {
    this.#cookies ??= new Cookies(this.req, this.res, this.config.cookiesOptions as Cookies.Option)
    return this.#cookies
  }

  /** The value of `req.session`. */
  get(): Session | null {
    const session = this.session
    if (session) return session
    if (session === false) return null
    let created = this.read()
    if (!created) {
      debug('new session')
      created = Session.create(this)
    }
    this.session = created
    return created
  }

  /** Assignment to `req.session`. */
  set(value: unknown): void {
    if (value == null) {
      this.session = false
    } else if (typeof value === 'object') {
      this.session = Session.create(this, value)
    } else {
      throw new Error('req.session can only be set as null or an object.')
    }
  }

  regenerate(): void {
    debug('regenerate')
    this.session = Session.create(this)
    this.regenerated = true
  }

  /** The session in the request's cookie, if it is there, correctly signed and an object. */
  read(): Session | undefined {
    const value = this.cookies.get(this.config.name, this.req.sessionOptions as Cookies.GetOption)
    if (!value) return undefined
    debug('parse %s', value)
    const data = decode(value)
    return data && Session.load(this, value, data)
  }

  /** Sets or clears the cookie as the session requires; runs as the headers go out. */
  commit(): void {
    const options = this.req.sessionOptions
    const rolling = Boolean(options?.rolling)
    // Untouched: nothing to write, unless rolling re-sends a valid session.
    if (this.session === undefined && !rolling) return
    const { name } = this.config
    try {
      const session = this.session ?? this.read()
      if (session === undefined) return
      if (session === false || (this.regenerated && session.isNew && !session.isPopulated)) {
        debug('remove %s', name)
        this.cookies.set(name, '', options as Cookies.SetOption)
        return
      }
      const value = valueToWrite(session, rolling)
      if (value === undefined) return
      const size = this.config.nameBytes + value.length
      if (size > COOKIE_SIZE_LIMIT) {
        // Signed unless this response says otherwise, as `cookies` decides it.
        const signed = options?.signed ?? this.config.cookiesOptions.keys !== undefined
        this.config.warnings.tooLarge(name, size, Boolean(signed))
      }
      debug('save %s', name)
      this.cookies.set(name, value, options as Cookies.SetOption)
    } catch (err) {
      this.config.warnings.notSet(name, err)
    }
  }
}

/**
 * The cookie value to send for `session`, or `undefined` to send none. A new
 * session is sent once it holds data; a loaded one when its data changed (or,
 * when rolling, whenever it holds data). Serialises once.
 */
function valueToWrite(session: Session, rolling: boolean): string | undefined {
  if (Object.getPrototypeOf(session) !== Session.prototype) {
    // The handler replaced the session's prototype; decide through whatever
    // its properties now say, as 2.1.1 did.
    return (!session.isNew || session.isPopulated) && session.isChanged ? encode(session) : undefined
  }
  const ctx = Session.contextOf(session)
  const populated = hasData(session)
  if (ctx.isNew) return populated ? encode(session) : undefined
  const value = encode(session)
  return value !== ctx.loaded || (rolling && populated) ? value : undefined
}

function hasData(session: Session): boolean {
  for (const key in session) {
    if (Object.hasOwn(session, key)) return true
  }
  return false
}
