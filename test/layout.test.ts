// The source layout the README's file list describes: one core that knows
// nothing of node:http or Fetch, thin doors over it, small files that each
// say what they are for.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const src = fileURLToPath(new URL('../src/', import.meta.url))
const files = readdirSync(src, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => join(src, f))
const text = (file: string) => readFileSync(file, 'utf8')
/** The code alone: comments and messages may name the doors. */
const code = (file: string) =>
  text(file)
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
    .replace(/'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, "''")
const core = files.filter((f) => relative(src, f).startsWith('core'))

describe('source layout', () => {
  it('src/core/ imports neither the middleware transport nor the Fetch door, and uses no Fetch type', () => {
    expect(core.length).toBeGreaterThan(5)
    for (const file of core) {
      const imports = [...text(file).matchAll(/from '([^']+)'/g)].map((m) => m[1])
      for (const name of imports) {
        expect(name, relative(src, file)).not.toMatch(/^(node:)?(http|https|net)$|^cookies$|^on-headers$|^\.\.\/(node|fetch)/)
      }
      expect(code(file), relative(src, file)).not.toMatch(/\b(Request|Response|Headers|IncomingMessage|ServerResponse|req|res)\b/)
    }
  })

  it('every source file opens with a comment on what it is for, and none is much over 250 lines', () => {
    for (const file of files) {
      expect(text(file), relative(src, file)).toMatch(/^\/\/ \S/)
      expect(text(file).split('\n').length, relative(src, file)).toBeLessThanOrEqual(270)
    }
  })
})
