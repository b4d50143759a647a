// The Fetch door as one more Host: `cookie-session/fetch` through the
// middleware-shaped adapter of fetch-door-middleware.ts, served on node:http,
// so that a `describe.each` over hosts runs its cases on the Fetch door too.
// Assigning req.session replaces the data of the session read, in place.
import { cookieSession, type CookieSessionOptions } from 'cookie-session'
import { fetchDoorMiddleware } from './fetch-door-middleware.js'
import { type Host, hosts, type Middleware, nodeHttpHost } from './hosts.js'

/** The adapters this host made: it mounts nothing else, so a test cannot run the Node door under its name. */
const made = new WeakSet<Middleware>()

export const fetchDoorHost: Host = {
  name: 'the Fetch door',
  session(options) {
    const middleware = fetchDoorMiddleware(options, 'in place')
    made.add(middleware)
    return middleware
  },
  create(middleware, handler) {
    if (!made.has(middleware)) throw new TypeError('the Fetch door host mounts only what sessionFor(fetchDoorHost, options) made')
    return nodeHttpHost.create(middleware, handler)
  },
}

/** The four Node hosts, then the Fetch door. */
export const hostsAndFetchDoor: readonly Host[] = [...hosts, fetchDoorHost]

/** Whether `host` is the Fetch door (for the few cases only `req.sessionOptions` replacement can express). */
export const isFetchDoor = (host: Host): boolean => host === fetchDoorHost

/** The session middleware `host` mounts for `options`: its own (the Fetch door's adapter), or `cookieSession(options)`. */
export function sessionFor(host: Host, options: CookieSessionOptions): Middleware {
  return host.session ? host.session(options) : (cookieSession(options) as Middleware)
}
