// CommonJS types of cookie-session (`require('cookie-session')`), copied into
// dist/ by tsup. `module.exports` is the factory itself, with `.default` and
// `.cookieSession` pointing back to it; the types live on the namespace, so
// `import cookieSession = require('cookie-session')` gives both, and
// `declare module 'cookie-session' { interface SessionData {} }` merges into
// the one `SessionData` in types.d.cts. Keep the list in step with
// src/index.ts (test/packaging.test.ts checks it).
import * as api from './types.cjs';

/**
 * Creates the middleware: it gives every request `req.session`, read lazily
 * from a signed cookie, and `req.sessionOptions`, and writes the cookie back
 * when the session changed.
 *
 * @param options Cookie name, signing keys and cookie attributes; see {@link api.CookieSessionOptions}.
 * @throws {Error} `.keys required.` when signing without `keys` or `secret`.
 * @throws {TypeError} naming the option, when an option holds a value no cookie can carry.
 */
declare function cookieSession(options?: api.CookieSessionOptions): api.CookieSessionMiddleware;

declare namespace cookieSession {
  export { cookieSession as default, cookieSession };
  export import CookieSessionAssignment = api.CookieSessionAssignment;
  export import CookieSessionBase = api.CookieSessionBase;
  export import CookieSessionMiddleware = api.CookieSessionMiddleware;
  export import CookieSessionObject = api.CookieSessionObject;
  export import CookieSessionOptions = api.CookieSessionOptions;
  export import CookieSessionProperties = api.CookieSessionProperties;
  export import CookieSessionRequest = api.CookieSessionRequest;
  export import KeygripLike = api.KeygripLike;
  export import PriorityOption = api.PriorityOption;
  export import SameSiteOption = api.SameSiteOption;
  export type Session = api.Session;
  export import SessionCallback = api.SessionCallback;
  export import SessionData = api.SessionData;
  export import SessionKey = api.SessionKey;
  export import WarningCode = api.WarningCode;
}

export = cookieSession;
