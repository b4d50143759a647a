// `require('cookie-session/fetch')` from CommonJS: the Fetch door, its types,
// and the SessionData declared in augmentation.cts typing read()'s result.
import fetchDoor = require('cookie-session/fetch')
import { expectTypeOf } from 'vitest'

const sessions: fetchDoor.CookieSessions = fetchDoor.createCookieSession({ keys: ['a key'] })
declare const request: Request
const session = sessions.read(request)
expectTypeOf(session.cart).toEqualTypeOf<string[] | undefined>()
session.cart = ['book']
// @ts-expect-error cart is a list of strings
session.cart = [1]
const headers = new Headers()
sessions.write(session, headers)
