// A Next.js route handler (app/api/session/route.ts) with cookie-session/fetch.
// Not run by the tests (Next.js is not installed here); it type-checks.
//
// It needs the Node.js runtime: the edge runtime has no node:crypto (nor
// node:zlib), so cookie-session cannot sign or encrypt there. Route handlers
// and, since Next.js 15.5, middleware (`proxy` in Next.js 16) run on Node.js
// with `export const runtime = 'nodejs'`. A route on the edge can still reach
// the session by calling a Node.js route.
import { createCookieSession } from 'cookie-session/fetch'

export const runtime = 'nodejs'

const sessions = createCookieSession({
  keys: (process.env.SESSION_KEYS ?? '').split(','),
  encrypt: true,
  maxAge: 24 * 60 * 60 * 1000,
})

/** GET /api/session: counts a view. The same cookie as an Express app with cookieSession() and these options. */
export function GET(request: Request): Response {
  const session = sessions.read(request)
  session.views = (session.views ?? 0) + 1
  const response = Response.json({ views: session.views })
  sessions.write(session, response.headers)
  return response
}

/** DELETE /api/session: logs out (the session emptied, so the cookie is cleared, Secure over HTTPS). */
export function DELETE(request: Request): Response {
  const session = sessions.read(request).regenerate()
  const response = new Response(null, { status: 204 })
  sessions.write(session, response.headers)
  return response
}
