// ESM types of cookie-session (`import cookieSession from 'cookie-session'`),
// copied into dist/ by tsup. Every declaration is in types.d.cts, shared with
// the CommonJS types (index.d.cts). Keep the list in step with src/index.ts
// (test/packaging.test.ts checks it).
export { cookieSession, cookieSession as default } from './types.cjs';
export type {
  CookieSessionAssignment,
  CookieSessionBase,
  CookieSessionMiddleware,
  CookieSessionObject,
  CookieSessionOptions,
  CookieSessionProperties,
  CookieSessionRequest,
  KeygripLike,
  PriorityOption,
  SameSiteOption,
  SessionCallback,
  SessionKey,
  SigningAlgorithm,
  WarningCode,
} from './types.cjs';

/**
 * The shape of your session data. `declare module 'cookie-session' {
 * interface SessionData {} }` merges here, into the global
 * `CookieSessionInterfaces.SessionData`, as it does from a CommonJS file
 * (index.d.cts exports the same one): whichever way a file loads the package,
 * its keys reach the other's `SessionData` and `req.session`.
 */
export import SessionData = CookieSessionInterfaces.SessionData;
