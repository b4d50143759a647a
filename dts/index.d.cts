// CommonJS types of cookie-session (`require('cookie-session')`), copied into
// dist/ by tsup. `module.exports` is the factory itself, with `.default` and
// `.cookieSession` pointing back to it; the types live on the namespace, so
// `import cookieSession = require('cookie-session')` gives both. Every
// declaration is in types.d.cts, shared with the ESM types (index.d.ts), so a
// program that loads the package both ways still sees one of each.
// Keep the list in step with src/index.ts (test/packaging.test.ts checks it).
import * as api from './types.cjs';

/**
 * Creates the middleware: it gives every request `req.session`, read lazily
 * from a signed (or, with `encrypt`, encrypted) cookie, and
 * `req.sessionOptions`, and writes the cookie back when the session changed.
 *
 * @param options Cookie name, signing keys and cookie attributes; see {@link api.CookieSessionOptions}.
 * @throws {Error} `.keys required.` when signing without `keys` or `secret`.
 * @throws {TypeError} naming the option, when an option holds a value no cookie can carry,
 *   or when `encrypt` lacks keys it can use.
 */
declare function cookieSession(options?: api.CookieSessionOptions): api.CookieSessionMiddleware;

declare namespace cookieSession {
  export { cookieSession as default, cookieSession };
  /**
   * The shape of your session data. `declare module 'cookie-session' {
   * interface SessionData {} }` merges here, into the global
   * `CookieSessionInterfaces.SessionData`, from a CommonJS file or an ESM one
   * (index.d.ts exports the same interface), and the `SessionData` of
   * types.d.cts (what `req.session` is made of) extends it. (An alias to that
   * one is not possible: it is exported type-only.)
   */
  export import SessionData = CookieSessionInterfaces.SessionData;
  export type CookieSessionAssignment = api.CookieSessionAssignment;
  export type CookieSessionBase = api.CookieSessionBase;
  export type CookieSessionMiddleware = api.CookieSessionMiddleware;
  export type CookieSessionObject = api.CookieSessionObject;
  export type CookieSessionOptions = api.CookieSessionOptions;
  export type CookieSessionProperties = api.CookieSessionProperties;
  export type CookieSessionRequest = api.CookieSessionRequest;
  export type KeygripLike = api.KeygripLike;
  export type PriorityOption = api.PriorityOption;
  export type SameSiteOption = api.SameSiteOption;
  export type SessionCallback = api.SessionCallback;
  export type SessionKey = api.SessionKey;
  export type SigningAlgorithm = api.SigningAlgorithm;
  export type WarningCode = api.WarningCode;
}

export = cookieSession;
