// The session model: the user's data as own properties, its flags and methods
// on the prototype, and what is not data (new? loaded from which value?) in a context.
import { encodeJson, type Payload } from './codec.js'
import type { SessionCallback } from '../types.js'

/** What a session needs from the request that holds it. */
export interface SessionOwner {
  /** Puts a new, empty session in place of `session`, its current one (or empties it in place). */
  regenerate(session: Session): void
}

/** Reads a context's owner (set in SessionContext's static block): see {@link ownerOf}. */
let ownerOfContext: (ctx: SessionContext) => SessionOwner

/**
 * What holds `session`: the request state that made it, for a door that is
 * handed the session back (the Fetch door's `write()`). A function of this
 * module, not a method: nothing a session or its class exposes leads to the
 * request.
 */
export function ownerOf(session: Session): SessionOwner {
  return ownerOfContext(Session.contextOf(session))
}

/**
 * Metadata of one session, kept out of the session's own properties so that
 * it is never serialised: whether it is new in this request and the cookie
 * value it was loaded from. The request it belongs to is private: the context
 * is reachable as `req.session._ctx`, and nothing there should lead to the
 * request, the response or the keys.
 */
export class SessionContext {
  readonly #owner: SessionOwner

  static {
    ownerOfContext = (ctx) => ctx.#owner
  }

  constructor(
    /** True unless the session was read from a valid cookie. */
    readonly isNew: boolean,
    /** The cookie value it was loaded from (for an encrypted cookie, the JSON text it opened to). */
    readonly loaded: string | undefined,
    owner: SessionOwner,
    /**
     * The JSON text {@link loaded} holds (for an encrypted cookie, `loaded`
     * itself), to tell whether the data changed by comparing JSON text.
     */
    readonly json?: string | undefined,
    /** Signed: the bytes `loaded` decoded to, to tell whether `loaded` is exactly their encoding. */
    bytes?: Buffer,
  ) {
    this.#owner = owner
    this.#bytes = bytes
  }

  readonly #bytes: Buffer | undefined
  #exact: boolean | undefined

  /**
   * Whether {@link loaded} is exactly what encoding {@link json} writes, so
   * that equal JSON text means an equal cookie value, as 2.1.1 compared it.
   * Not so for a value spelled as the encoding never writes it (base64
   * without padding, URL-safe letters, bytes that are not UTF-8): then any
   * write differs from it. Worked out once, and only for a session whose text
   * did not change.
   */
  exact(): boolean {
    if (this.#exact === undefined) {
      const bytes = this.#bytes
      this.#exact =
        bytes === undefined ||
        // U+FFFD in the text: bytes that were not UTF-8, or a session that holds it; the encoding tells which.
        (this.json?.includes('\uFFFD') ? encodeJson(this.json) === this.loaded : bytes.toString('base64') === this.loaded)
    }
    return this.#exact
  }

  /** Whether `data`, written down as the cookie was, differs from what was loaded. */
  differs(data: object): boolean {
    return this.json !== JSON.stringify(data) || !this.exact()
  }

  /** Asks the request to put a new, empty session in place of `session`, the one of this context. */
  regenerate(session: Session): void {
    this.#owner.regenerate(session)
  }

  /** 2.1.1's name for {@link isNew}, for code that read `req.session._ctx._new`. */
  get _new(): boolean {
    return this.isNew
  }

  /** 2.1.1's name for {@link loaded}, for code that read `req.session._ctx._val`. */
  get _val(): string | undefined {
    return this.loaded
  }
}

/**
 * Names a session never takes as data, from a cookie or an assigned object:
 * its own accessors, and (checked separately) everything every object has.
 * cookie-session 2.1.1 skipped each key `in` the session; `regenerate` and
 * `save` are not in the list, so data under those names behaves as in 2.1.1.
 */
const OWN_NAMES: ReadonlySet<string> = new Set(['_ctx', 'isNew', 'isChanged', 'isPopulated'])

function isReserved(key: string): boolean {
  return key in Object.prototype || OWN_NAMES.has(key)
}

/**
 * A session: the user's data as own enumerable properties, and nothing else.
 * Flags are getters on the prototype; metadata sits in a private field.
 */
export class Session {
  #ctx: SessionContext;

  /** User data. */
  [key: string]: unknown

  constructor(ctx: SessionContext, data?: object) {
    this.#ctx = ctx
    if (data) {
      // for-in, not Object.keys: inherited enumerable keys are copied too, as in 2.1.1.
      for (const key in data) {
        if (!isReserved(key)) this[key] = (data as Payload)[key]
      }
    }
  }

  /** A new session, empty or holding a copy of `data`. */
  static create(owner: SessionOwner, data?: object): Session {
    return new Session(new SessionContext(true, undefined, owner), data)
  }

  /**
   * A session read from a cookie, holding `data`: `value` is the cookie
   * value, or for an encrypted cookie the JSON text it opened to; `json` the
   * JSON text `value` holds; `bytes` (signed) what `value` decoded to (see
   * {@link SessionContext.exact}).
   */
  static load(owner: SessionOwner, value: string, data: Payload, json: string, bytes?: Buffer): Session {
    return new Session(new SessionContext(false, value, owner, json, bytes), data)
  }

  /**
   * `session` itself, emptied of its data and made new again, with `owner`:
   * `regenerate()` for a door where the caller keeps the session object.
   */
  static renew(session: Session, owner: SessionOwner): Session {
    for (const key of Object.keys(session)) delete session[key]
    session.#ctx = new SessionContext(true, undefined, owner)
    return session
  }

  /** Whether `value` is a session (whatever its prototype became: a handler may set `__proto__`). */
  static isSession(value: object): value is Session {
    return #ctx in value
  }

  /** The metadata of `session`. */
  static contextOf(session: Session): SessionContext {
    return session.#ctx
  }

  /** The context, under the name 2.1.1 used, so that `_ctx` stays out of the data. */
  get _ctx(): SessionContext {
    return this.#ctx
  }

  /** True when the session did not come from the request's cookie. */
  get isNew(): boolean {
    return this.#ctx.isNew
  }

  /** True when the session is new or its data differs from the cookie it came from. */
  get isChanged(): boolean {
    return this.#ctx.isNew || this.#ctx.differs(this)
  }

  /** True when the session holds any data. */
  get isPopulated(): boolean {
    return Object.keys(this).length > 0
  }

  /**
   * Replaces `req.session` with a new, empty session (as Passport does on
   * login and logout, against session fixation). The response then clears the
   * cookie, or overwrites it if the new session gets data.
   */
  regenerate(callback?: SessionCallback): this {
    this.#ctx.regenerate(this)
    if (callback) process.nextTick(callback)
    return this
  }

  /** Calls back; the cookie itself is written with the response headers. */
  save(callback?: SessionCallback): this {
    if (callback) process.nextTick(callback)
    return this
  }
}
