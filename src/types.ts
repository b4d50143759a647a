import type { IncomingMessage } from 'node:http'
import type { CookieSessionOptions } from './options.js'
import type { SessionCallback } from './session.js'

/**
 * The shape of your session data. Empty here; declare your keys by merging:
 *
 * ```ts
 * declare module 'cookie-session' {
 *   interface SessionData { views: number }
 * }
 * ```
 *
 * Declared keys are typed (and optional: a new session is empty); any other
 * key stays usable as `any`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by declaration merging
export interface SessionData {}

/** What `req.session` reads as: your data plus the session's flags and methods. */
export interface CookieSessionObject extends Partial<SessionData> {
  /** True unless the session was read from a valid cookie on this request. */
  readonly isNew: boolean
  /** True when the session is new or differs from the cookie it came from. */
  readonly isChanged: boolean
  /** True when the session holds any data. */
  readonly isPopulated: boolean
  /** Replaces `req.session` with a new, empty session (Passport calls it on login and logout). */
  regenerate(callback?: SessionCallback): this
  /** Calls back; the cookie is written with the response headers. */
  save(callback?: SessionCallback): this
  /** Keys not declared in {@link SessionData}. */
  // biome-ignore lint/suspicious/noExplicitAny: undeclared keys stay usable, as with @types/cookie-session
  [key: string]: any
}

/** What `req.session` accepts: new data, or `null` to destroy the session. */
export type CookieSessionAssignment = (Partial<SessionData> & Record<string, unknown>) | null | undefined

/** A `node:http` or Connect request after the middleware ran. */
export interface CookieSessionRequest extends IncomingMessage {
  get session(): CookieSessionObject
  set session(value: CookieSessionAssignment)
  /** This request's options: inherit the middleware's; changes apply to this response only. */
  sessionOptions: CookieSessionOptions
}

declare global {
  namespace Express {
    interface Request {
      get session(): CookieSessionObject
      set session(value: CookieSessionAssignment)
      /** This request's options: inherit the middleware's; changes apply to this response only. */
      sessionOptions: CookieSessionOptions
    }
  }
}
