// Debug logging, enabled with DEBUG=cookie-session.
import createDebug from 'debug'

/** Logs under `DEBUG=cookie-session`, the namespace 2.1.1 used. */
export const debug = createDebug('cookie-session')
