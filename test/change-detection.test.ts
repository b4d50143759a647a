// The write path decides "unchanged" by comparing JSON text with the text the
// cookie decoded to, and base64-encodes only what it sends. These tests hold
// that to the old rule, encode(session) === the cookie value, for canonical
// and non-canonical base64, invalid UTF-8, whitespace, escapes, number
// formats, duplicate and reserved keys, text holding U+FFFD.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type * as Codec from '../src/codec.js'
import { Session } from '../src/session.js'

const owner = { regenerate() {} }

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
const edits: ((s: Session) => void)[] = [
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

function check(codec: typeof Codec) {
  let tried = 0
  for (const value of values()) {
    const decoded = codec.decode(value)
    if (decoded === undefined) continue
    for (const edit of edits) {
      const session = Session.load(owner, value, decoded)
      edit(session)
      const json = JSON.stringify(session)
      // The rule the write path used to apply, and still applies through isChanged.
      const unchanged = codec.encode(session) === value
      expect(Session.contextOf(session).isLoadedJson(json), `${value} ${edit}`).toBe(unchanged)
      expect(session.isChanged).toBe(!unchanged)
      tried++
    }
  }
  expect(tried).toBeGreaterThan(500)
}

function checkRandom(codec: typeof Codec) {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue()).map((d) => Buffer.from(JSON.stringify(d))),
        fc.json().map((j) => Buffer.from(j)),
        fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.concat([Buffer.from('{"a":"'), Buffer.from(b), Buffer.from('"}')])),
      ),
      fc.nat(10),
      (bytes, pick) => {
        const value = spellings(bytes)[pick] as string
        const decoded = codec.decode(value)
        if (decoded === undefined) return
        const session = Session.load(owner, value, decoded)
        expect(Session.contextOf(session).isLoadedJson(JSON.stringify(session))).toBe(codec.encode(session) === value)
      },
    ),
    { numRuns: 1000 },
  )
}

describe('change detection by JSON text', () => {
  it('decides exactly as encode(session) === value did', async () => {
    check(await import('../src/codec.js'))
  })

  it('decides exactly as encode(session) === value did, on random payloads and spellings', async () => {
    checkRandom(await import('../src/codec.js'))
  })

  it('treats a freshly written value as unchanged and any other spelling as changed', async () => {
    const codec = await import('../src/codec.js')
    const data = { a: 'é', n: 1 }
    const canonical = codec.encode(data)
    expect(codec.decode(canonical)?.json).toBe(JSON.stringify(data))
    expect(codec.decode(canonical.replace(/=+$/, ''))?.json).toBeUndefined()
    expect(codec.decode(Buffer.from(JSON.stringify(data)).toString('base64url'))?.json).toBeUndefined()
    expect(codec.decode(codec.encode([1]))).toBeUndefined()
  })
})
