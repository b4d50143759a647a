// A plain Request/Response bridge for the Fetch-door tests: serves a Fetch
// handler `(request) => Response` on node:http (or node:https) at 127.0.0.1,
// as Hono's node-server or any Fetch runtime would, every Set-Cookie line kept.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import { type Served, serve } from './core-harness.js'

/** What a Fetch runtime calls for each request. */
export type FetchHandler = (request: Request) => Response | Promise<Response>

/**
 * The Fetch `Request` for `req`: its method, its URL with the scheme of the
 * connection (https over TLS), and its headers as Node joined them (several
 * Cookie headers into one, with "; ").
 */
export function toRequest(req: IncomingMessage): Request {
  const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one)
  }
  return new Request(`${scheme}://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers })
}

/** Sends `response` on `res`: status, headers, each Set-Cookie line as its own header, and the body. */
export async function sendResponse(response: Response, res: ServerResponse): Promise<void> {
  res.statusCode = response.status
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') res.setHeader(name, value)
  }
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) res.setHeader('Set-Cookie', cookies)
  res.end(Buffer.from(await response.arrayBuffer()))
}

/** The node:http listener that answers every request with `handler`; an exception is a 500 with its message. */
export function fetchListener(handler: FetchHandler): RequestListener {
  return (req, res) => {
    const answer = async () => {
      let response: Response
      try {
        response = await handler(toRequest(req))
      } catch (err) {
        response = new Response(String(err), { status: 500 })
      }
      await sendResponse(response, res)
    }
    answer().catch((err: unknown) => {
      res.statusCode = 500
      res.end(String(err))
    })
  }
}

/** Serves `handler` on 127.0.0.1 over HTTP, or over HTTPS with the test certificate. */
export function serveFetch(handler: FetchHandler, https = false): Promise<Served> {
  return serve(fetchListener(handler), https)
}
