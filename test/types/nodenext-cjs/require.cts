// CommonJS: `require('cookie-session')` is the factory; `.default` and `.cookieSession` are the same function.
import cookieSession = require('cookie-session')
import express = require('express')
import Keygrip = require('keygrip')
import defaultImport from 'cookie-session'
import { cookieSession as named } from 'cookie-session'
import { expectTypeOf } from 'vitest'

expectTypeOf(cookieSession.default).toEqualTypeOf(cookieSession)
expectTypeOf(cookieSession.cookieSession).toEqualTypeOf(cookieSession)
expectTypeOf(defaultImport).toEqualTypeOf(cookieSession)
expectTypeOf(named).toEqualTypeOf(cookieSession)
expectTypeOf(cookieSession).returns.toEqualTypeOf<cookieSession.CookieSessionMiddleware>()

// The types are on the namespace.
const options: cookieSession.CookieSessionOptions = { name: 'session', keys: new Keygrip(['k']) }
expectTypeOf<cookieSession.CookieSessionRequest['session']>().toEqualTypeOf<cookieSession.CookieSessionObject>()
expectTypeOf<cookieSession.SessionData>().toHaveProperty('cart')
expectTypeOf<cookieSession.SessionData>().toHaveProperty('theme')
expectTypeOf<cookieSession.CookieSessionObject>().toHaveProperty('theme')

const app = express()
app.use(cookieSession(options))
app.use(cookieSession.default({ keys: ['k'] }))
app.get('/', (req, res) => {
  req.session.views = (req.session.views || 0) + 1
  expectTypeOf(req.session.cart).toEqualTypeOf<string[] | undefined>()
  req.session.cart = ['apple']
  // @ts-expect-error cart is declared as string[] (augmentation.cts)
  req.session.cart = 'apple'
  // @ts-expect-error an unknown field in a profile literal (augmentation.cts)
  req.session.profile = { id: 1, name: 'alice', admin: true }
  req.session.profile = { id: 1, name: 'alice' }
  // Declared from an ESM file (esm-augmentation.ts), read here.
  expectTypeOf(req.session.theme).toEqualTypeOf<'light' | 'dark' | undefined>()
  req.session.theme = 'dark'
  // @ts-expect-error theme is light or dark (esm-augmentation.ts)
  req.session.theme = 'blue'
  // Replacing the session checks the declared keys, from either file.
  req.session = { cart: ['apple'], profile: { id: 2, name: 'bob' }, theme: 'light', other: 1 }
  req.session = {}
  // @ts-expect-error cart is a list of strings
  req.session = { cart: 'apple' }
  // @ts-expect-error an unknown field in a profile literal
  req.session = { profile: { id: 2, name: 'bob', admin: true } }
  // @ts-expect-error theme is light or dark
  req.session = { theme: 'blue' }
  // @ts-expect-error only an object or null replaces the session
  req.session = 'none'
  req.session = null
  res.send(`${req.session.views} views`)
})

// @ts-expect-error maxAge is a number
cookieSession({ keys: ['k'], maxAge: '1d' })
