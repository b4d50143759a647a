// The Fetch door's public types: its options and the object
// `createCookieSession()` returns (the session itself is src/types.ts's).
import type { CookieSessionAssignment, CookieSessionObject, CookieSessionOptions, SessionData } from '../types.js'

/** Options of `createCookieSession()` (`cookie-session/fetch`): those of `cookieSession()`, and one more. */
export interface FetchSessionOptions extends CookieSessionOptions {
  /**
   * Take the scheme from the first `X-Forwarded-Proto` of the request, as
   * Express's `trust proxy` does, for an app behind a proxy that terminates
   * TLS. Default `false`: the scheme of the Request's URL decides whether the
   * request is HTTPS (a secure cookie is refused over HTTP, and `Secure` is
   * added by default over HTTPS, as the middleware does).
   */
  trustProxy?: boolean | undefined
}

/** The Fetch door: what `createCookieSession()` returns. */
export interface CookieSessions {
  /**
   * The session in the request's cookie, or a new, empty one: the same
   * session `req.session` gives, typed through {@link SessionData}. Given a
   * `Headers` rather than a `Request`, the door cannot tell whether the
   * request is HTTPS: `Secure` is then written only when asked for.
   */
  read(request: Request | Headers): CookieSessionObject
  /**
   * Appends to `headers` the Set-Cookie lines the middleware would send for
   * `session`: none when it is unchanged, the cookie when it changed, and a
   * cleared cookie for `null` (as `req.session = null`). Another object is
   * written as a new session holding its keys (as assigning it to
   * `req.session`).
   *
   * @param options This response's options, as `req.sessionOptions`: they
   *   override the instance's for this response only.
   * @throws {TypeError} when `headers` cannot be changed (a `Response` from
   *   `fetch()` or `Response.redirect()`); never sends no cookie silently.
   */
  write(session: CookieSessionAssignment, headers: Headers, options?: CookieSessionOptions): void
}
