// Helpers for the proof tests (differential, hostile, load, instances): a small
// keep-alive HTTP client and a browser-like cookie jar.
import { Agent, request } from 'node:http'

export interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  setCookie: string[]
  body: string
}

/** A keep-alive agent with a bounded number of sockets. */
export function keepAliveAgent(maxSockets = 16): Agent {
  return new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets })
}

/** GET `path` on `baseUrl` (http://127.0.0.1:port) with `headers`; resolves with the whole reply. */
export function get(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
  agent: Agent,
  method = 'GET',
): Promise<Reply> {
  const url = new URL(baseUrl)
  return new Promise<Reply>((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path, method, headers, agent },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            setCookie: res.headers['set-cookie'] ?? [],
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        )
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end()
  })
}

interface JarEntry {
  name: string
  value: string
  path: string
  domain: string | undefined
  expires: number | undefined
  order: number
}

/**
 * A cookie jar that keeps what a browser would for one origin (host name
 * `host`), plain HTTP: rejects cookies for a foreign domain and Secure ones,
 * drops expired ones, sends cookies whose path matches, longest path first.
 */
export class CookieJar {
  #entries: JarEntry[] = []
  #order = 0

  constructor(readonly host = '127.0.0.1') {}

  /** Seeds the jar with host-only `name=value` pairs of a Cookie header (first occurrence wins). */
  seed(cookieHeader: string | undefined): void {
    if (!cookieHeader) return
    for (const part of cookieHeader.split(';')) {
      const eq = part.indexOf('=')
      if (eq < 0) continue
      const name = part.slice(0, eq).trim()
      if (!name || this.#entries.some((e) => e.name === name)) continue
      this.#entries.push({
        name,
        value: part.slice(eq + 1).trim(),
        path: '/',
        domain: undefined,
        expires: undefined,
        order: this.#order++,
      })
    }
  }

  /** Stores the cookies of a response to a request for `requestPath`. */
  store(setCookie: readonly string[], requestPath = '/', now = Date.now()): void {
    for (const line of setCookie) {
      const [pair = '', ...attrs] = line.split(';')
      const eq = pair.indexOf('=')
      if (eq < 0) continue
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      let path: string | undefined
      let domain: string | undefined
      let expires: number | undefined
      let secure = false
      for (const attr of attrs) {
        const i = attr.indexOf('=')
        const key = (i < 0 ? attr : attr.slice(0, i)).trim().toLowerCase()
        const val = i < 0 ? '' : attr.slice(i + 1).trim()
        if (key === 'path' && val.startsWith('/')) path = val
        else if (key === 'domain' && val) domain = val.replace(/^\./, '').toLowerCase()
        else if (key === 'expires') {
          const t = Date.parse(val)
          if (!Number.isNaN(t)) expires = t
        } else if (key === 'secure') secure = true
      }
      if (secure) continue
      if (domain !== undefined && !domainMatch(this.host, domain)) continue
      path ??= defaultPath(requestPath)
      const existing = this.#entries.findIndex((e) => e.name === name && e.path === path && e.domain === domain)
      const order = existing >= 0 ? this.#entries[existing]!.order : this.#order++
      if (existing >= 0) this.#entries.splice(existing, 1)
      if (expires !== undefined && expires <= now) continue
      this.#entries.push({ name, value, path, domain, expires, order })
    }
  }

  /** The Cookie header a browser would send with a request for `requestPath`, or undefined. */
  header(requestPath = '/', now = Date.now()): string | undefined {
    const sent = this.#entries
      .filter((e) => (e.expires === undefined || e.expires > now) && pathMatch(requestPath, e.path))
      .sort((a, b) => b.path.length - a.path.length || a.order - b.order)
    return sent.length ? sent.map((e) => `${e.name}=${e.value}`).join('; ') : undefined
  }

  /** The value of cookie `name` (most specific path first), if any. */
  value(name: string, requestPath = '/'): string | undefined {
    const header = this.header(requestPath)
    if (!header) return undefined
    for (const part of header.split('; ')) {
      if (part.startsWith(`${name}=`)) return part.slice(name.length + 1)
    }
    return undefined
  }
}

function domainMatch(host: string, domain: string): boolean {
  const h = host.toLowerCase()
  return h === domain || h.endsWith(`.${domain}`)
}

function defaultPath(requestPath: string): string {
  const i = requestPath.lastIndexOf('/')
  return i <= 0 ? '/' : requestPath.slice(0, i)
}

function pathMatch(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true
  if (!requestPath.startsWith(cookiePath)) return false
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'
}
