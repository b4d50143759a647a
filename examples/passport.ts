// Passport 0.6+ login with cookie-session: Passport calls req.session.regenerate()
// and req.session.save(), which cookie-session 2.1.1 lacked.
// Run it with `npm run build && npx tsx examples/passport.ts`, then open http://localhost:3000
// and log in as alice / wonderland.
import { randomBytes } from 'node:crypto'
import cookieSession, { type CookieSessionOptions } from 'cookie-session'
import express, { type NextFunction, type Request, type Response } from 'express'
import passport from 'passport'
import { Strategy as LocalStrategy } from 'passport-local'

interface User {
  id: number
  username: string
  name: string
}

declare global {
  namespace Express {
    interface User {
      id: number
      username: string
      name: string
    }
  }
}

const users: readonly (User & { password: string })[] = [
  { id: 1, username: 'alice', password: 'wonderland', name: 'Alice' },
  { id: 2, username: 'bob', password: 'builder', name: 'Bob' },
]

passport.use(
  new LocalStrategy((username, password, done) => {
    const user = users.find((u) => u.username === username && u.password === password)
    done(null, user ? { id: user.id, username: user.username, name: user.name } : false)
  }),
)
// Keep the session small: only the id goes into the cookie.
passport.serializeUser((user, done) => done(null, user.id))
passport.deserializeUser((id: number, done) => {
  const user = users.find((u) => u.id === id)
  done(null, user ? { id: user.id, username: user.username, name: user.name } : false)
})

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

function requireLogin(req: Request, res: Response, next: NextFunction): void {
  if (req.isAuthenticated()) next()
  else res.redirect('/login')
}

/** The example app; `sessionOptions` are merged into the cookie-session options. */
export function createApp(sessionOptions: CookieSessionOptions = {}): express.Express {
  const app = express()
  app.use(express.urlencoded({ extended: false }))
  app.use(cookieSession({ keys: [process.env.SESSION_KEY ?? randomBytes(32).toString('base64url')], ...sessionOptions }))
  app.use(passport.session())

  app.get('/', (req, res) => {
    const who = req.user ? `Signed in as <b id="name">${escapeHtml(req.user.name)}</b>.` : '<span id="name">Anonymous.</span>'
    res.send(page('Home', `<p>${who}</p><p><a href="/profile">Profile</a> · <a href="/login">Log in</a></p>`))
  })

  app.get('/login', (req, res) => {
    const failed = req.query.failed ? '<p id="error">Wrong user name or password.</p>' : ''
    res.send(
      page(
        'Log in',
        `${failed}<form method="post" action="/login">
          <label>User <input name="username" autocomplete="username"></label>
          <label>Password <input name="password" type="password" autocomplete="current-password"></label>
          <button type="submit">Log in</button>
        </form>`,
      ),
    )
  })

  app.post('/login', passport.authenticate('local', { successRedirect: '/profile', failureRedirect: '/login?failed=1' }))

  app.get('/profile', requireLogin, (req, res) => {
    res.send(
      page(
        'Profile',
        `<p id="profile">Hello, ${escapeHtml(req.user?.name ?? '')}.</p>
        <form method="post" action="/logout"><button type="submit">Log out</button></form>`,
      ),
    )
  })

  app.post('/logout', (req, res, next) => {
    req.logout((err) => (err ? next(err) : res.redirect('/')))
  })

  return app
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  const port = Number(process.env.PORT ?? 3000)
  createApp().listen(port, () => console.log(`passport example listening on http://localhost:${port}`))
}
