// The quickstart from the README: a view counter with login and logout.
// Run it with `npm run example` (PORT defaults to 3000).
import { randomBytes } from 'node:crypto'
import cookieSession from 'cookie-session'
import express from 'express'

export const app = express()

/** The session is the user's to write: escape whatever of it goes into HTML. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

app.use(
  cookieSession({
    name: 'session',
    // Keep the key secret and out of the source. Without SESSION_KEY this example makes up
    // a random one, so sessions end when it restarts (and nobody can forge them).
    keys: [process.env.SESSION_KEY ?? randomBytes(32).toString('base64url')],
    maxAge: 24 * 60 * 60 * 1000, // 24 hours
  }),
)

app.get('/', (req, res) => {
  req.session.views = (req.session.views || 0) + 1
  const who = req.session.user ? `${escapeHtml(req.session.user)} has` : 'You have'
  res.send(`<p id="views">${who} viewed this page ${req.session.views} times.</p>`)
})

app.get('/login', (req, res) => {
  req.session.user = String(req.query.user ?? 'alice')
  res.send(`<p id="user">Logged in as ${escapeHtml(req.session.user)}.</p>`)
})

app.get('/logout', (req, res) => {
  req.session = null
  res.send('<p id="user">Logged out.</p>')
})

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  const port = Number(process.env.PORT ?? 3000)
  app.listen(port, () => console.log(`quickstart listening on http://localhost:${port}`))
}
