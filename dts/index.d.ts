// ESM types of cookie-session (`import cookieSession from 'cookie-session'`),
// copied into dist/ by tsup. Everything comes from types.d.cts, which the
// CommonJS types share: `declare module 'cookie-session' { interface
// SessionData {} }` merges into that one declaration either way.
export type * from './types.cjs';
export { cookieSession, cookieSession as default } from './types.cjs';
