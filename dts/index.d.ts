// ESM types of cookie-session (`import cookieSession from 'cookie-session'`),
// copied into dist/ by tsup. Every declaration is in types.d.cts, shared with
// the CommonJS types (index.d.cts): `declare module 'cookie-session' {
// interface SessionData {} }` merges into the one SessionData there, whichever
// way the package was loaded. Keep the list in step with src/index.ts
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
  Session,
  SessionCallback,
  SessionData,
  SessionKey,
  WarningCode,
} from './types.cjs';
