// The warnings emitted where 2.1.1 failed silently: a cookie too large to keep, a cookie not set.
import { debug } from './debug.js'
import type { WarningCode } from '../types.js'

/** The largest cookie name plus value that Chromium and Firefox keep (RFC 6265bis sec 5.6). */
export const COOKIE_SIZE_LIMIT = 4096

/**
 * Emits each warning code once per middleware instance, so that a
 * misconfigured app is told without flooding its logs; `debug` still logs
 * every occurrence.
 */
export class Warnings {
  readonly #emitted = new Set<WarningCode>()

  emit(code: WarningCode, message: string): void {
    debug('%s: %s', code, message)
    if (this.#emitted.has(code)) return
    this.#emitted.add(code)
    // Workers before compatibility date 2025-09-15 have a `process` without emitWarning:
    // a warning must not turn into an exception out of write().
    if (typeof process !== 'undefined' && typeof process.emitWarning === 'function') {
      process.emitWarning(message, { type: 'CookieSessionWarning', code })
    } else {
      console.warn(`CookieSessionWarning [${code}]: ${message}`)
    }
  }

  /** Warns that browsers will drop a cookie whose name plus value is over the limit. */
  tooLarge(name: string, size: number, signed: boolean): void {
    const consequence = signed
      ? `The browser will drop it but keep the new "${name}.sig", so on the next request the signature no ` +
        'longer matches and the whole session is lost.'
      : 'The browser will drop it and keep sending the previous value, so this change is lost.'
    this.emit(
      'COOKIE_SESSION_TOO_LARGE',
      `cookie-session: the "${name}" cookie is ${size} bytes (name plus value), over the ${COOKIE_SIZE_LIMIT} bytes ` +
        `browsers keep. ${consequence} Keep the session small: store an id in it and load the rest server-side.`,
    )
  }

  /**
   * Warns that a session needing `size` bytes of cookies (`undefined`: a name
   * too long for any) was not written: over what `chunks` cookies hold.
   */
  overChunks(name: string, size: number | undefined, chunks: number): void {
    const needs = size === undefined ? 'cannot be split: its name leaves no room for a value in' : `needs ${size} bytes of cookies (names plus values), over`
    this.emit(
      'COOKIE_SESSION_TOO_LARGE',
      `cookie-session: the "${name}" session ${needs} the ` +
        `${chunks * COOKIE_SIZE_LIMIT} bytes of chunks: ${chunks} (${chunks} cookies of ${COOKIE_SIZE_LIMIT} bytes). ` +
        'It was not written: the browser keeps the cookies it has, so this change is lost. Keep the session small: ' +
        'store an id in it and load the rest server-side.',
    )
  }

  /** Warns that the session cookie could not be written, and why. */
  notSet(name: string, err: unknown): void {
    const reason = err instanceof Error ? err.message : describeThrown(err)
    const hint = /secure cookie over unencrypted/i.test(reason)
      ? ' The request looked like plain HTTP. Behind a proxy that terminates TLS, tell the app to trust it ' +
        "(Express: app.set('trust proxy', 1); cookie-session/fetch: createCookieSession({ trustProxy: true })) " +
        'so that the request counts as HTTPS.'
      : ''
    this.emit(
      'COOKIE_SESSION_NOT_SET',
      `cookie-session: the "${name}" cookie was not set: ${reason}.${hint} The response was sent without it.`,
    )
  }
}

/** What a handler threw, as text; never throws itself (an object whose toString throws). */
function describeThrown(err: unknown): string {
  try {
    return String(err)
  } catch {
    return 'an unprintable value was thrown'
  }
}
