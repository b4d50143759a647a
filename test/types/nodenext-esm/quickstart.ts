// The README quickstart, unchanged: strict mode, no null checks, no casts.
import cookieSession from 'cookie-session'
import express from 'express'

const app = express()
app.use(cookieSession({ keys: [process.env.SESSION_KEY!], maxAge: 24 * 60 * 60 * 1000 }))

app.get('/', (req, res) => {
  req.session.views = (req.session.views || 0) + 1
  res.send(`${req.session.views} views`)
})
