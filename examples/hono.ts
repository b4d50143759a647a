// cookie-session in a Hono app, served on Node.js by @hono/node-server:
//   SESSION_KEYS=... npx tsx examples/hono.ts
// The routes and options of examples/fetch-app.ts, written the Hono way: a
// middleware reads the session before the route and writes it after.
import { serve } from '@hono/node-server'
import { type CookieSessionObject, createCookieSession } from 'cookie-session/fetch'
import { Hono } from 'hono'
import { type AppSettings, sessionOptions, settingsFrom } from './fetch-app.ts'

/** What the routes share: the request's session. */
type SessionEnv = { Variables: { session: CookieSessionObject } }

export function createHonoApp(settings: AppSettings): Hono<SessionEnv> {
  const sessions = createCookieSession(sessionOptions(settings))
  const app = new Hono<SessionEnv>()

  app.use(async (c, next) => {
    c.set('session', sessions.read(c.req.raw))
    await next()
    // c.res is the response the route made (c.json, c.text): its headers take the cookie.
    sessions.write(c.get('session'), c.res.headers)
  })

  app.get('/', (c) => {
    const session = c.get('session')
    session.views = (session.views ?? 0) + 1
    return c.json(session)
  })
  app.get('/session', (c) => c.json(c.get('session')))
  app.post('/login', async (c) => {
    const { user } = await c.req.parseBody()
    if (typeof user !== 'string' || user === '') return c.text('user required\n', 400)
    c.get('session').user = user
    return c.json(c.get('session'))
  })
  app.post('/logout', (c) => {
    // Emptied and new: the write after the route clears the cookie.
    c.get('session').regenerate()
    return c.json({})
  })
  return app
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  const app = createHonoApp(settingsFrom(process.env))
  serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env.PORT ?? 3000) }, ({ port }) =>
    console.log(`listening on http://127.0.0.1:${port}`),
  )
}
