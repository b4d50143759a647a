// cookie-session with Connect: the same view counter.
import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import connect from 'connect'
import cookieSession, { type CookieSessionRequest } from 'cookie-session'

export const app = connect()

app.use(cookieSession({ keys: [process.env.SESSION_KEY ?? randomBytes(32).toString('base64url')] }))

app.use((incoming: IncomingMessage, res: ServerResponse) => {
  const req = incoming as CookieSessionRequest
  if (req.url === '/logout') {
    req.session = null
    res.end('Logged out.\n')
    return
  }
  req.session.views = (req.session.views || 0) + 1
  res.end(`${req.session.views} views\n`)
})

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  const port = Number(process.env.PORT ?? 3000)
  app.listen(port, () => console.log(`connect example listening on http://localhost:${port}`))
}
