// One Fetch-API app for every runtime (examples/bun.ts, deno.ts, worker.ts serve it):
// a view counter with login and logout, whose sessions an Express app with
// cookieSession() and the same options reads and writes too.
import { type CookieSessionOptions, createCookieSession } from 'cookie-session/fetch'

/**
 * How the session cookie is made:
 * - `signed`: base64 JSON and a `.sig` cookie, as cookie-session 2.1.1 (the default);
 * - `encrypted`: AES-256-GCM, one cookie; the keys must be 32 bytes or more;
 * - `encrypted+acceptSigned`: encrypted, and a signed cookie of the old keys is
 *   loaded once and replaced with an encrypted one (the move from signed);
 * - `signed+compress`: signed, deflated when that is shorter, in up to two cookies.
 */
export type SessionMode = 'signed' | 'encrypted' | 'encrypted+acceptSigned' | 'signed+compress'

/** The app's settings, from its environment (see {@link settingsFrom}). */
export interface AppSettings {
  /** The first key signs or seals; the others still open older cookies (rotation). */
  readonly keys: string[]
  readonly mode: SessionMode
  /** With `encrypted+acceptSigned`: the old signing keys (empty: `keys` themselves). */
  readonly acceptSignedKeys: string[]
}

const MODES: readonly SessionMode[] = ['signed', 'encrypted', 'encrypted+acceptSigned', 'signed+compress']

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').filter((key) => key !== '')
}

/**
 * Reads `SESSION_KEYS` (comma-separated, newest first), `SESSION_MODE`
 * (default `signed`) and `SESSION_ACCEPT_SIGNED_KEYS` (comma-separated).
 * Rotating a key is a restart with the new key first: `SESSION_KEYS=new,old`.
 */
export function settingsFrom(env: Record<string, string | undefined>): AppSettings {
  const keys = list(env.SESSION_KEYS)
  if (keys.length === 0) throw new Error('Set SESSION_KEYS to one or more secret keys, comma-separated, newest first.')
  const mode = (env.SESSION_MODE || 'signed') as SessionMode
  if (!MODES.includes(mode)) throw new Error(`SESSION_MODE must be one of ${MODES.join(', ')}.`)
  return { keys, mode, acceptSignedKeys: list(env.SESSION_ACCEPT_SIGNED_KEYS) }
}

/** The session options of these settings: the same for this app and for an Express app sharing its sessions. */
export function sessionOptions(settings: AppSettings): CookieSessionOptions {
  const encrypt = settings.mode.startsWith('encrypted')
  const acceptSigned = settings.mode === 'encrypted+acceptSigned'
  const large = settings.mode === 'signed+compress'
  return {
    name: 'session',
    keys: settings.keys,
    maxAge: 24 * 60 * 60 * 1000, // 24 hours
    sameSite: 'lax',
    ...(encrypt && { encrypt }),
    ...(large && { compress: true, chunks: 2 }),
    ...(acceptSigned && { acceptSigned: settings.acceptSignedKeys.length > 0 ? settings.acceptSignedKeys : true }),
  }
}

/**
 * The app:
 * - `GET /` counts a view and answers the session as JSON;
 * - `GET /session` answers it without changing it;
 * - `POST /login` (form field `user`) stores the user;
 * - `POST /logout` clears the cookie.
 */
export function createApp(settings: AppSettings): (request: Request) => Promise<Response> {
  const sessions = createCookieSession(sessionOptions(settings))

  return async (request) => {
    const { pathname } = new URL(request.url)
    const session = sessions.read(request)
    const route = `${request.method} ${pathname}`
    if (route === 'POST /logout') {
      // Emptied and new: write() clears the cookie, with what the request tells (HTTPS: Secure).
      session.regenerate()
      const response = Response.json({})
      sessions.write(session, response.headers)
      return response
    }
    if (route === 'POST /login') {
      const user = (await request.formData()).get('user')
      if (typeof user !== 'string' || user === '') return new Response('user required\n', { status: 400 })
      session.user = user
    } else if (route === 'GET /') {
      session.views = (session.views ?? 0) + 1
    } else if (route !== 'GET /session') {
      return new Response('Not found\n', { status: 404 })
    }
    // Made with Response.json (not returned from fetch()), so its headers take the cookie.
    const response = Response.json(session)
    sessions.write(session, response.headers)
    return response
  }
}
