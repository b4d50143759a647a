import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http'
import type { CookieSessionOptions } from 'cookie-session'
import connect from 'connect'
import express from 'express'
import express4 from 'express4'

/** A middleware as cookie-session (either version) makes it. */
export type Middleware = (req: any, res: any, next: (err?: unknown) => void) => void
/** The route behind the middleware. It must end the response itself. */
export type Handler = (req: any, res: ServerResponse) => void

/** A web framework (or none) that mounts a middleware in front of a handler. */
export interface Host {
  readonly name: string
  /** The session middleware for `options`, when this host does not mount `cookieSession(options)` (the Fetch door). */
  session?(options: CookieSessionOptions): Middleware
  /** A request listener (what supertest and `http.createServer` take). */
  create(middleware: Middleware, handler: Handler): RequestListener
}

function errorHandler(err: unknown, _req: IncomingMessage, res: ServerResponse): void {
  res.statusCode = 500
  res.end(String(err))
}

export const express5Host: Host = {
  name: 'express 5',
  create(middleware, handler) {
    const app = express()
    app.use(middleware)
    app.use((req, res) => handler(req, res))
    app.use((err: unknown, req: IncomingMessage, res: ServerResponse, _next: unknown) => errorHandler(err, req, res))
    return app as unknown as RequestListener
  },
}

export const express4Host: Host = {
  name: 'express 4',
  create(middleware, handler) {
    const app = express4()
    app.use(middleware)
    app.use((req: any, res: any) => handler(req, res))
    app.use((err: unknown, req: IncomingMessage, res: ServerResponse, _next: unknown) => errorHandler(err, req, res))
    return app as unknown as RequestListener
  },
}

export const connectHost: Host = {
  name: 'connect',
  create(middleware, handler) {
    const app = connect()
    app.use(middleware as connect.NextHandleFunction)
    app.use((req: IncomingMessage, res: ServerResponse) => handler(req, res))
    app.use((err: unknown, req: IncomingMessage, res: ServerResponse, _next: unknown) => errorHandler(err, req, res))
    return app as unknown as RequestListener
  },
}

export const nodeHttpHost: Host = {
  name: 'node:http',
  create(middleware, handler) {
    return (req, res) => {
      try {
        middleware(req, res, (err) => {
          if (err) return errorHandler(err, req, res)
          try {
            handler(req, res)
          } catch (e) {
            errorHandler(e, req, res)
          }
        })
      } catch (e) {
        errorHandler(e, req, res)
      }
    }
  },
}

/** Every host the package supports; run behaviour tests over all of them. */
export const hosts: readonly Host[] = [express5Host, express4Host, connectHost, nodeHttpHost]

/** Starts `listener` on 127.0.0.1 on a free port. */
export async function listen(listener: RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(listener)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}

/** Ends `res` with `body` as JSON. */
export function sendJson(res: ServerResponse, body: unknown, status = 200): void {
  res.statusCode = status
  res.setHeader('Content-Type', 'application/json')
  res.end(JSON.stringify(body))
}

/** The `name=value` pairs of `Set-Cookie` headers, as a browser would send them back (expired ones dropped). */
export function cookieHeader(setCookie: string[] | string | undefined): string {
  const list = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie]
  return list
    .filter((c) => !/expires=Thu, 01 Jan 1970/i.test(c))
    .map((c) => c.split(';')[0])
    .join('; ')
}
