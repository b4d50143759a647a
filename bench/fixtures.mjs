// Shared by the benchmarks: keys and a typical signed session cookie.
import Keygrip from 'keygrip'

export const KEYS = ['bench key one', 'bench key two']
export const NAME = 'session'
/** Keys for the encrypted variant (32 bytes or more each), as `openssl rand -base64 32` makes them. */
export const ENCRYPTION_KEYS = ['q1Vd3m4n0Zb8Xk2Rj7Lp5Wc9Ht6Ys1Ge4Fa0Uo3Ni8M=', 'T5xK2pQ9wL7mR4vB1nC8jH3gF6dS0aZyXeWuIoPlKmE=']

/** A typical small session: a user id, a counter, a flash message and a few flags. */
export const SESSION = {
  userId: 'u_5f1c2a9b8e',
  name: 'Ada Lovelace',
  n: 41,
  roles: ['reader', 'editor'],
  flash: { type: 'info', text: 'Welcome back!' },
  csrf: 'Zr3xQ8b2LkPm0aNq',
}

export const VALUE = Buffer.from(JSON.stringify(SESSION)).toString('base64')
export const SIG = Keygrip(KEYS).sign(`${NAME}=${VALUE}`)
/** An unrelated cookie, as browsers send along. */
export const OTHER_COOKIE = '_ga=GA1.1.123456789.1700000000'
/** The request Cookie header carrying the session as 2.1.1 signs it, plus the unrelated cookie. */
export const COOKIE_HEADER = `${OTHER_COOKIE}; ${NAME}=${VALUE}; ${NAME}.sig=${SIG}`
