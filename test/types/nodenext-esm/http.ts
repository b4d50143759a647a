// node:http and Connect: CookieSessionRequest is the request after the middleware ran.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import connect from 'connect'
import cookieSession, { type CookieSessionObject, type CookieSessionRequest } from 'cookie-session'
import { expectTypeOf } from 'vitest'

declare const keys: string[]

// The README's node:http example, unchanged.
const session = cookieSession({ keys })

createServer((incoming, res) => {
  session(incoming, res, () => {
    const req = incoming as CookieSessionRequest
    req.session.views = (req.session.views || 0) + 1
    res.end(`${req.session.views} views`)
  })
}).listen(3000)

expectTypeOf<CookieSessionRequest>().toExtend<IncomingMessage>()
expectTypeOf<CookieSessionRequest['session']>().toEqualTypeOf<CookieSessionObject>()

// Connect: the middleware is a NextHandleFunction.
const app = connect()
app.use(cookieSession({ keys }))
expectTypeOf(cookieSession({ keys })).toExtend<connect.NextHandleFunction>()
app.use((incoming: IncomingMessage, res: ServerResponse) => {
  const req = incoming as CookieSessionRequest
  if (req.url === '/logout') {
    req.session = null
    res.end()
    return
  }
  req.session.views = (req.session.views || 0) + 1
  // @ts-expect-error only an object or null replaces the session
  req.session = 'x'
  res.end(`${req.session.views} views`)
})
