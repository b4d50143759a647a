// ESM types of the Fetch door (`import { createCookieSession } from
// 'cookie-session/fetch'`), copied into dist/ by tsup. Every declaration is in
// types.d.cts, shared with the middleware's entries, so `SessionData` merged
// through either entry types both doors. Keep the list in step with
// src/fetch.ts (test/packaging.test.ts checks it).
export { createCookieSession } from './types.cjs';
export type {
  CookieSessionAssignment,
  CookieSessionBase,
  CookieSessionObject,
  CookieSessionOptions,
  CookieSessions,
  FetchSessionOptions,
  KeygripLike,
  PriorityOption,
  SameSiteOption,
  SessionCallback,
  SessionKey,
  SigningAlgorithm,
  WarningCode,
} from './types.cjs';

/**
 * The shape of your session data: the same interface as `cookie-session`'s
 * `SessionData` (the global `CookieSessionInterfaces.SessionData`), so a
 * `declare module` merge into either reaches `read()`'s result.
 */
export import SessionData = CookieSessionInterfaces.SessionData;
