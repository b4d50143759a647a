// Option sets cookieSession() refuses, shared by the tests of its errors
// (option-errors, encrypt, algorithm) and by the Fetch door's, which must
// refuse the same sets with the same errors.
import Keygrip from 'keygrip'

/** A key long enough to encrypt with. */
export const ENCRYPT_KEY = `${'A'.repeat(16)} first key, 32+ bytes long`
const SHORT = 'x'.repeat(31)

/** Per option, values no cookie can carry: a TypeError naming the option (test/option-errors.test.ts). */
export const INVALID_VALUES: Readonly<Record<string, readonly unknown[]>> = {
  sameSite: ['foo', 'strictly', ' lax', 'lax ', 'true', 'no ne', 1, {}, ['lax']],
  priority: ['urgent', 'HIGHEST', 'med', ' low', 2, {}, true],
  // Past 8.64e15 ms no Date can carry it: 2.1.1 wrote `expires=Invalid Date`.
  maxAge: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e300, 8.64e15 + 2, -1e300, '1000', '1e3', true, {}, new Date()],
  expires: [new Date(Number.NaN), new Date('not a date'), '2030-01-01', Date.now(), {}, true, { getTime: () => 0 }],
  name: [
    '',
    'a;b',
    'a=b',
    'a b',
    ' lead',
    'trail ',
    'a\tb',
    'a\nb',
    'a\rb',
    'a\u0000b',
    'a\u001fb',
    'a\u007fb',
    'sess\u0100',
    123,
    {},
  ],
  path: ['/a;b', '/;', '/a\nb', '/a\r\nSet-Cookie: x=y', '/a\tb', '/\u0000', '/a\u007f', 123],
  domain: ['example.com;secure', 'example.com; SameSite=None', 'exa\nmple.com', 'a\u0000b.com', 'example.com\r\n', 'a b.com', 42],
  keys: [[], [''], ['ok', ''], [1], [null], [undefined], [{}], [Buffer.alloc(0)], 'a string', 42, {}, { sign() {} }],
  secret: ['', Buffer.alloc(0), 1, {}, true],
  compress: ['yes', 1, 0, {}, 'true'],
  chunks: [0, 4, -1, 1.5, '2', Number.NaN, Number.POSITIVE_INFINITY, true, {}, [2]],
}

/** Options without keys: `.keys required.`, an Error (not a TypeError) as in 2.1.1. */
export const KEYS_REQUIRED: readonly { name: string; options: Record<string, unknown> | undefined }[] = [
  { name: 'no options', options: undefined },
  { name: 'empty options', options: {} },
  { name: 'signed: true', options: { signed: true } },
  { name: 'keys: null', options: { keys: null } },
  { name: 'keys and secret undefined', options: { keys: undefined, secret: undefined } },
  { name: 'secret: null', options: { secret: null } },
  // 2.1.1 treats a falsy keys or secret as absent.
  { name: "keys: ''", options: { keys: '' } },
  { name: 'keys: false', options: { keys: false } },
  { name: 'keys: 0', options: { keys: 0 } },
  { name: 'secret: false', options: { secret: false } },
  { name: 'secret: 0', options: { secret: 0 } },
  { name: 'other options only', options: { name: 'sess', maxAge: 1000 } },
]

/** `encrypt`, `acceptSigned` and `absoluteTimeout` refused, with what the message must say (test/encrypt.test.ts). */
export const ENCRYPT_ERRORS: readonly [Record<string, unknown>, RegExp][] = [
  [{ encrypt: true, keys: [SHORT] }, /option keys must hold keys of at least 32 bytes.*openssl rand -base64 32.*got a string/],
  [{ encrypt: true, keys: [ENCRYPT_KEY, Buffer.alloc(31)] }, /option keys must hold keys of at least 32 bytes.*got a Buffer/],
  [{ encrypt: true, keys: ['é'.repeat(15)] }, /option keys must hold keys of at least 32 bytes/],
  [{ encrypt: true, secret: SHORT }, /option secret must hold keys of at least 32 bytes/],
  [{ encrypt: true }, /option keys is required with encrypt: true/],
  [{ encrypt: true, signed: false, keys: [ENCRYPT_KEY] }, /option signed cannot be false with encrypt: true/],
  [{ encrypt: true, keys: new Keygrip([ENCRYPT_KEY]) }, /option keys must be a list of keys with encrypt: true, not a Keygrip instance/],
  [{ encrypt: 'yes', keys: [ENCRYPT_KEY] }, /option encrypt must be true or false; got "yes"/],
  [{ encrypt: 1, keys: [ENCRYPT_KEY] }, /option encrypt must be true or false/],
  [{ acceptSigned: true, keys: [ENCRYPT_KEY] }, /option acceptSigned only applies with encrypt: true/],
  [{ encrypt: false, acceptSigned: ['k'], keys: [ENCRYPT_KEY] }, /option acceptSigned only applies with encrypt: true; got an array/],
  [{ encrypt: true, acceptSigned: [], keys: [ENCRYPT_KEY] }, /option acceptSigned must be true, false, a non-empty array/],
  [{ encrypt: true, acceptSigned: ['ok', ''], keys: [ENCRYPT_KEY] }, /option acceptSigned must be/],
  [{ encrypt: true, acceptSigned: 'retired-k3y', keys: [ENCRYPT_KEY] }, /option acceptSigned must be .*; got a string$/],
  [{ encrypt: true, acceptSigned: {}, keys: [ENCRYPT_KEY] }, /option acceptSigned must be/],
  [{ absoluteTimeout: 3_600_000, keys: [ENCRYPT_KEY] }, /option absoluteTimeout only applies with encrypt: true; got 3600000$/],
  [{ encrypt: false, absoluteTimeout: 1, keys: [ENCRYPT_KEY] }, /option absoluteTimeout only applies with encrypt: true/],
  ...[0, -1, Number.NaN, Number.POSITIVE_INFINITY, 8.64e15 + 2, 1e300, '3600000', true, {}, new Date(0)].map(
    (absoluteTimeout): [Record<string, unknown>, RegExp] => [
      { encrypt: true, absoluteTimeout, keys: [ENCRYPT_KEY] },
      /option absoluteTimeout must be a positive number of milliseconds, at most 8640000000000000/,
    ],
  ),
  [{ encrypt: true, maxAge: 1e300, keys: [ENCRYPT_KEY] }, /option maxAge must be a finite number of milliseconds, at most 8640000000000000.*; got 1e\+300$/],
]

/** `algorithm` values refused with a list of keys (test/algorithm.test.ts). */
export const INVALID_ALGORITHMS: readonly [string, unknown][] = [
  ['an unknown name', 'md5'],
  ['a name in capitals', 'SHA256'],
  ['an empty list', []],
  ['a list with an unknown name', ['sha256', 'sha3']],
  // biome-ignore lint/suspicious/noSparseArray: the hole is the point
  ['a list with a hole', [, 'sha256']],
  ['a number', 256],
  ['an object', { name: 'sha256' }],
]

/** Every refused option set above, each with the keys it needs to fail on the option under test only. */
export function refusedOptionSets(keys: readonly string[]): { label: string; options: Record<string, unknown> | undefined }[] {
  const label = (value: unknown) =>
    typeof value === 'string' ? JSON.stringify(value) : Buffer.isBuffer(value) ? 'Buffer' : String(value)
  return [
    ...Object.entries(INVALID_VALUES).flatMap(([option, values]) =>
      values.map((value) => ({
        label: `${option}: ${label(value)}`,
        options: option === 'keys' || option === 'secret' ? { [option]: value } : { keys, [option]: value },
      })),
    ),
    ...KEYS_REQUIRED.map(({ name, options }) => ({ label: `.keys required: ${name}`, options })),
    ...ENCRYPT_ERRORS.map(([options]) => ({ label: `encrypt: ${Object.keys(options).join(', ')}`, options })),
    ...INVALID_ALGORITHMS.map(([what, algorithm]) => ({ label: `algorithm: ${what}`, options: { keys, algorithm } })),
    { label: 'algorithm with a Keygrip instance', options: { keys: new Keygrip(['k'], 'sha256'), algorithm: 'sha256' } },
    { label: 'chunks over 1 with signed: false', options: { keys, chunks: 2, signed: false } },
    {
      label: 'algorithm with a Keygrip instance as acceptSigned',
      options: { keys: [ENCRYPT_KEY], encrypt: true, acceptSigned: new Keygrip(['old'], 'sha256'), algorithm: 'sha256' },
    },
  ]
}
