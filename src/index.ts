// The package's entry, `cookie-session`: the Express/Connect middleware
// (src/node.ts) and the public types. The Fetch door is `cookie-session/fetch`.
import { cookieSession } from './node.js'

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
  SessionData,
  SessionKey,
  SigningAlgorithm,
  WarningCode,
} from './types.js'

export { cookieSession }
export default cookieSession
