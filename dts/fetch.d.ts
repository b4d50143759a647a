// ESM types of the Fetch door (`import { createCookieSession } from
// 'cookie-session/fetch'`), copied into dist/ by tsup: the same names as the
// CommonJS types (fetch.d.cts), which list them once. Every declaration is in
// types.d.cts, shared with the middleware's entries, so `SessionData` merged
// through either entry types both doors.
export * from './fetch.cjs';
