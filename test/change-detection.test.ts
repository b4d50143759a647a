// When a loaded session is written back: exactly when its encoding differs
// from the cookie that came in, as in 2.1.1. Held to 2.1.1 over HTTP for
// canonical and non-canonical base64, invalid UTF-8, whitespace, escapes,
// number formats, duplicate and reserved keys, and edits that restore the data.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decode } from '../src/core/codec.js'
import { decodeValue } from '../src/core/large.js'
import { Session } from '../src/core/session.js'
import { signedCookie, withBoth } from './support/core-harness.js'
import { hosts, sendJson } from './support/hosts.js'

/** JSON object texts that are not what JSON.stringify would write, and some that are. */
const TEXTS = [
  '{}',
  '{"a":1}',
  '{ "a": 1 }',
  '{"a":1}\n',
  ' {"a":1}',
  '\uFEFF{"a":1}',
  '{"a":"\\u0041"}',
  '{"a":"A"}',
  '{"a":"\\/"}',
  '{"a":"é"}',
  '{"a":"\\u00e9"}',
  '{"a":"\\ud800"}',
  '{"a":"\\ud83d\\ude00"}',
  '{"a":"😀"}',
  '{"a":1.0}',
  '{"a":1e2}',
  '{"a":100}',
  '{"a":-0}',
  '{"a":0}',
  '{"a":1,"a":2}',
  '{"a":2}',
  '{"a":1,"b":2}',
  '{"b":2,"a":1}',
  '{"__proto__":{"x":1},"a":1}',
  '{"constructor":1,"a":1}',
  '{"_ctx":1,"isNew":true,"isChanged":false,"isPopulated":1,"a":1}',
  '{"regenerate":1,"save":2}',
  '{"1":1,"0":0}',
  '{"0":0,"1":1}',
  '{"a":[1, 2]}',
  '{"a":null,"b":true,"c":{"d":[]}}',
]

const invalidUtf8 = [
  Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff]), Buffer.from('"}')]),
  Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]),
  Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc3]), Buffer.from('"}')]),
  Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xef, 0xbf, 0xbd]), Buffer.from('"}')]),
]

/** Ways of writing the same bytes (or nearly) in base64 that Node's decoder accepts. */
function spellings(bytes: Buffer): string[] {
  const std = bytes.toString('base64')
  return [
    std,
    std.replace(/=+$/, ''),
    bytes.toString('base64url'),
    `${std}=`,
    ` ${std}`,
    std.replace(/(.{4})/, '$1 '),
    std.replace(/(.{4})/, '$1\n'),
    `${std}!`,
    `${std}e30=`,
    std.toLowerCase(),
    std.slice(0, -1),
  ]
}

/** The values to try: every spelling of every text, and of the invalid UTF-8 payloads. */
function values(): string[] {
  return [...TEXTS.map((t) => Buffer.from(t)), ...invalidUtf8].flatMap(spellings)
}

/** Edits a handler might make, including none and ones that restore the original. */
const edits: ((s: Record<string, unknown>) => void)[] = [
  () => {},
  (s) => {
    s.a = JSON.parse(JSON.stringify(s.a ?? null)) // an equal value
  },
  (s) => {
    s.a = 2
  },
  (s) => {
    delete s.a
  },
  (s) => {
    s.z = 'new'
  },
  (s) => {
    const a = s.a
    delete s.a
    s.a = a // same data, key moved to the end
  },
]

/** Cookie values a header can carry (no line breaks) that decode to an object: both packages load those. */
function loadable(list: string[]): string[] {
  return list.filter((v) => !/[\r\n;]/.test(v) && decode(v) !== undefined)
}

/** Sends each value with each edit to both packages; Set-Cookie and the flags must match. */
async function compare(list: string[]): Promise<number> {
  let tried = 0
  await withBoth(
    hosts[3]!,
    () => ({ keys: ['k1'] }),
    (req, res) => {
      const edit = edits[Number(req.headers['x-edit'])] as (s: Record<string, unknown>) => void
      edit(req.session)
      sendJson(res, { isChanged: req.session.isChanged })
    },
    async (both) => {
      for (const value of list) {
        for (let e = 0; e < edits.length; e++) {
          await both.get('/', { cookie: signedCookie(value), headers: { 'x-edit': String(e) } })
          tried++
        }
      }
    },
  )
  return tried
}

describe('writing a loaded session back', () => {
  it('happens exactly when 2.1.1 writes it, for every spelling and edit', async () => {
    expect(await compare(loadable(values()))).toBeGreaterThan(500)
  })

  it('happens exactly when 2.1.1 writes it, on random payloads and spellings', async () => {
    const samples = fc.sample(
      fc.tuple(
        fc.oneof(
          fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue()).map((d) => Buffer.from(JSON.stringify(d))),
          fc.json().map((j) => Buffer.from(j)),
          fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.concat([Buffer.from('{"a":"'), Buffer.from(b), Buffer.from('"}')])),
        ),
        fc.nat(10),
      ),
      { numRuns: 150, seed: 42 },
    )
    await compare(loadable(samples.map(([bytes, pick]) => spellings(bytes)[pick] as string)))
  })
})

describe('an unchanged session told by its JSON text', () => {
  const owner = { regenerate() {} }
  const loaded = (value: string) => {
    const decoded = decodeValue(value)
    if (decoded === undefined) throw new Error(`${value} does not decode`)
    return Session.load(owner, decoded.plain, decoded.data, decoded.json, decoded.bytes)
  }

  it('is unchanged exactly when 2.1.1 would re-encode it to the same value', () => {
    const canonical = Buffer.from('{"a":"bc"}').toString('base64')
    const cases: [string, string][] = [
      ['canonical base64', canonical],
      ['no padding', canonical.replace(/=+$/, '')],
      ['URL-safe letters', Buffer.from('{"a":"é?"}').toString('base64url')],
      ['bytes that are not UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]).toString('base64')],
      ['a session that holds U+FFFD', Buffer.from('{"a":"\uFFFD"}').toString('base64')],
      ['U+FFFD, unpadded', Buffer.from('{"a":"\uFFFD!"}').toString('base64').replace(/=+$/, '')],
    ]
    for (const [what, value] of cases) {
      const session = loaded(value)
      // 2.1.1: changed when base64 of the JSON of the session differs from the cookie value.
      const expected = Buffer.from(JSON.stringify(session)).toString('base64') !== value
      expect(session.isChanged, what).toBe(expected)
      expect(Session.contextOf(session).exact(), what).toBe(!expected)
    }
    // The two spellings the encoding writes stay unchanged; the others always change.
    expect(loaded(canonical).isChanged).toBe(false)
    expect(loaded(Buffer.from('{"a":"\uFFFD"}').toString('base64')).isChanged).toBe(false)
  })
})
