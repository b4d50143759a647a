// cookie-session with plain node:http and no framework.
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import cookieSession, { type CookieSessionRequest } from 'cookie-session'

const session = cookieSession({ keys: [process.env.SESSION_KEY ?? randomBytes(32).toString('base64url')] })

export const server = createServer((incoming, res) => {
  session(incoming, res, (err?: unknown) => {
    if (err) {
      res.statusCode = 500
      res.end()
      return
    }
    const req = incoming as CookieSessionRequest
    if (req.url === '/logout') {
      req.session = null
      res.end('Logged out.\n')
      return
    }
    req.session.views = (req.session.views || 0) + 1
    res.end(`${req.session.views} views\n`)
  })
})

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  const port = Number(process.env.PORT ?? 3000)
  server.listen(port, () => console.log(`node:http example listening on http://localhost:${port}`))
}
