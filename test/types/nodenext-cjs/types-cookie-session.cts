// Code written against @types/cookie-session 2.0.49, unchanged: it compiles with this package alone.
import cookieSession = require('cookie-session')
import express = require('express')
import { expectTypeOf } from 'vitest'

// Its way of typing session data: merging into the global CookieSessionObject.
declare global {
  namespace CookieSessionInterfaces {
    interface CookieSessionObject {
      userId?: string
    }
  }
}

const sessionOptions: CookieSessionInterfaces.CookieSessionOptions = {
  name: 'session',
  keys: ['key1', 'key2'],
  secret: 'a secret',
  maxAge: 60_000,
  expires: undefined,
  path: '/',
  domain: undefined,
  sameSite: 'strict',
  secure: false,
  secureProxy: false,
  httpOnly: true,
  signed: true,
  overwrite: true,
  partitioned: false,
}

const middleware: express.RequestHandler = cookieSession(sessionOptions)
const app = express()
app.use(middleware)
app.use(cookieSession({ name: 'other', keys: ['k'] }))

function touch(session: CookieSessionInterfaces.CookieSessionObject): boolean {
  return Boolean(session.isNew || session.isChanged || session.isPopulated)
}

function handler(req: CookieSessionInterfaces.CookieSessionRequest): void {
  req.sessionOptions.maxAge = 1000
  if (req.session) req.session.count = 1
  req.session = null
}

app.get('/', (req: express.Request, res: express.Response) => {
  if (!req.session) {
    res.status(500).end()
    return
  }
  req.session!.views = (req.session?.views ?? 0) + 1
  expectTypeOf(req.session.userId).toEqualTypeOf<string | undefined>()
  req.session.userId = 'alice'
  // @ts-expect-error the global augmentation types userId
  req.session.userId = 1
  touch(req.session)
  handler(req)
  req.sessionOptions.maxAge = 24 * 60 * 60 * 1000
  req.session = undefined
  res.end()
})

const typed: CookieSessionInterfaces.CookieSessionRequest = {} as express.Request
void typed

// Objects and requests built by hand, as tests written against @types/cookie-session do: its
// CookieSessionObject is the flags (optional) and any key; its CookieSessionRequest has an
// optional, nullable session.
const flags: CookieSessionInterfaces.CookieSessionObject = { isNew: true, isChanged: false, isPopulated: false }
const empty: CookieSessionInterfaces.CookieSessionObject = {}
const withData: CookieSessionInterfaces.CookieSessionObject = { isNew: false, userId: 'bob', cart: [1, 2] }
expectTypeOf(flags.isNew).toEqualTypeOf<boolean | undefined>()
expectTypeOf(empty.anything).toBeAny()
void withData
const fakeRequest: CookieSessionInterfaces.CookieSessionRequest = { session: null, sessionOptions: {} }
const noSession: CookieSessionInterfaces.CookieSessionRequest = { sessionOptions: { maxAge: 1000 } }
const withSession: CookieSessionInterfaces.CookieSessionRequest = { session: flags, sessionOptions: {} }
expectTypeOf(fakeRequest.session).toEqualTypeOf<CookieSessionInterfaces.CookieSessionObject | null | undefined>()
handler(fakeRequest)
handler(noSession)
handler(withSession)
touch(flags)
// An Express request is one of them, and the session it reads fits the @types object.
const fromExpress: CookieSessionInterfaces.CookieSessionRequest = {} as express.Request
const sessionOfExpress: CookieSessionInterfaces.CookieSessionObject = ({} as express.Request).session
void fromExpress
void sessionOfExpress
// @ts-expect-error sessionOptions is required, as in @types/cookie-session
const missingOptions: CookieSessionInterfaces.CookieSessionRequest = { session: null }
void missingOptions
// @ts-expect-error the global augmentation types userId
const wrongUser: CookieSessionInterfaces.CookieSessionObject = { userId: 1 }
void wrongUser
