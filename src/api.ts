// Every public declaration of both entries (`cookie-session` and
// `cookie-session/fetch`), for the one bundled declaration file dist/types.d.cts.
export * from './index.js'
export { default } from './index.js'
export { createCookieSession } from './fetch.js'
export type { CookieSessions, FetchSessionOptions } from './fetch/types.js'
