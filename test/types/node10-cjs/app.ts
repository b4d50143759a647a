// The quickstart and typed data under `moduleResolution: node10`, with no `target`.
import cookieSession = require('cookie-session')
import express = require('express')
import defaultImport from 'cookie-session'

declare module 'cookie-session' {
  interface SessionData {
    views: number
  }
}

// Plain assertions (no vitest: its types need a newer resolution).
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
function assert<T extends true>(): T | undefined {
  return undefined
}

const app = express()
app.use(cookieSession({ keys: ['key'], maxAge: 24 * 60 * 60 * 1000 }))
app.use(defaultImport({ keys: ['key'] }))
app.use(cookieSession.default({ keys: ['key'] }))

app.get('/', (req, res) => {
  assert<Equal<typeof req.session.views, number | undefined>>()
  req.session.views = (req.session.views || 0) + 1
  assert<Equal<typeof req.session, cookieSession.CookieSessionObject>>()
  assert<Equal<typeof req.session.isNew, boolean>>()
  req.session.other = 'any key'
  // @ts-expect-error views is a number
  req.session.views = 'one'
  req.session = { views: 1 }
  // @ts-expect-error only an object or null replaces the session
  req.session = 'none'
  req.sessionOptions.maxAge = 1000
  req.session = null
  res.send('ok')
})

const global: CookieSessionInterfaces.CookieSessionObject = { isNew: true, isChanged: false, isPopulated: false }
void global
assert<Equal<typeof defaultImport, typeof cookieSession>>()

// The Fetch door through the fetch/ folder's package.json (node10 reads no "exports").
import fetchDoor = require('cookie-session/fetch')
const sessions = fetchDoor.createCookieSession({ keys: ['key'] })
declare const request: Request
const fetched = sessions.read(request)
assert<Equal<typeof fetched.views, number | undefined>>()
sessions.write(fetched, new Headers())
