// The built package as its users load it: what require() and import give, in
// Node itself and through this test runner; both builds working as middleware;
// the ESM and CommonJS type entries exporting the same names; every option
// documented. Builds dist/ first when it is missing (`npm test` builds before
// running vitest).
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import express from 'express'
import request from 'supertest'
import ts from 'typescript'
import { beforeAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const dist = (file: string) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url))
const built = ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts', 'types.d.cts', 'fetch.js', 'fetch.cjs', 'fetch.d.ts', 'fetch.d.cts']
const require = createRequire(import.meta.url)

type Factory = (options?: object) => (req: unknown, res: unknown, next: (err?: unknown) => void) => void

beforeAll(() => {
  if (!built.every((file) => existsSync(dist(file)))) {
    execFileSync('npx', ['tsup'], { cwd: root, stdio: 'ignore', timeout: 120_000 })
  }
}, 130_000)

describe('require()', () => {
  it('returns the factory itself, with .default and .cookieSession pointing to it', () => {
    const cookieSession = require(dist('index.cjs'))
    expect(typeof cookieSession).toBe('function')
    expect(cookieSession.name).toBe('cookieSession')
    expect(cookieSession.default).toBe(cookieSession)
    expect(cookieSession.cookieSession).toBe(cookieSession)
  })

  it("resolves 'cookie-session' and 'cookie-session/package.json' through the exports map", () => {
    expect(require.resolve('cookie-session')).toBe(dist('index.cjs'))
    expect(require('cookie-session')).toBe(require(dist('index.cjs')))
    expect(require('cookie-session/package.json').name).toBe('cookie-session')
  })
})

describe('import', () => {
  it('gives the factory as the default export and as the named export', async () => {
    const esm = await import(pathToFileURL(dist('index.js')).href)
    expect(typeof esm.default).toBe('function')
    expect(esm.cookieSession).toBe(esm.default)
    expect(Object.keys(esm).sort()).toEqual(['cookieSession', 'default'])
  })

  it('behaves the same in Node itself, with no test runner in between', () => {
    const script = `
      import { createRequire } from 'node:module'
      import esmDefault, { cookieSession as esmNamed } from 'cookie-session'
      const cjs = createRequire(import.meta.url)('cookie-session')
      const { default: cjsViaImport } = await import('./dist/index.cjs')
      console.log(JSON.stringify({
        esm: [typeof esmDefault, esmNamed === esmDefault],
        cjs: [typeof cjs, cjs.default === cjs, cjs.cookieSession === cjs],
        cjsViaImport: cjsViaImport === cjs,
        pkg: createRequire(import.meta.url)('cookie-session/package.json').name,
      }))
    `
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' })
    expect(JSON.parse(out)).toEqual({
      esm: ['function', true],
      cjs: ['function', true, true],
      cjsViaImport: true,
      pkg: 'cookie-session',
    })
  })
})

describe("'cookie-session/fetch'", () => {
  it('require() and import give createCookieSession alone, in Node itself', () => {
    const script = `
      import { createRequire } from 'node:module'
      import * as esm from 'cookie-session/fetch'
      const cjs = createRequire(import.meta.url)('cookie-session/fetch')
      console.log(JSON.stringify({ esm: Object.keys(esm), cjs: Object.keys(cjs), kinds: [typeof esm.createCookieSession, typeof cjs.createCookieSession] }))
    `
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' })
    expect(JSON.parse(out)).toEqual({ esm: ['createCookieSession'], cjs: ['createCookieSession'], kinds: ['function', 'function'] })
  })

  it.each([
    ['CommonJS', async () => require(dist('fetch.cjs')).createCookieSession],
    ['ESM', async () => (await import(pathToFileURL(dist('fetch.js')).href)).createCookieSession],
  ])('%s: reads the cookie it wrote, and the middleware reads it too', async (_name, load) => {
    const createCookieSession = await load()
    const sessions = createCookieSession({ keys: ['a key'] })
    const first = sessions.read(new Request('http://127.0.0.1/'))
    first.views = 1
    const headers = new Headers()
    sessions.write(first, headers)
    const cookie = headers.getSetCookie().map((c: string) => c.split(';')[0]).join('; ')
    expect(sessions.read(new Request('http://127.0.0.1/', { headers: { cookie } })).views).toBe(1)
    const app = express()
    app.use(require(dist('index.cjs'))({ keys: ['a key'] }) as express.RequestHandler)
    app.get('/', (req, res) => res.send(String(req.session.views)))
    await request(app).get('/').set('Cookie', cookie).expect(200, '1')
  })
})

describe('both builds are working middleware', () => {
  const builds: [string, () => Promise<Factory>][] = [
    ['CommonJS', async () => require(dist('index.cjs'))],
    ['ESM', async () => (await import(pathToFileURL(dist('index.js')).href)).default],
  ]
  it.each(builds)('%s: counts views in a signed cookie', async (_name, load) => {
    const cookieSession = await load()
    const app = express()
    app.use(cookieSession({ keys: ['a key'] }) as express.RequestHandler)
    app.get('/', (req, res) => {
      req.session.views = (req.session.views || 0) + 1
      res.send(String(req.session.views))
    })
    const first = await request(app).get('/').expect(200, '1')
    const cookies = first.headers['set-cookie'] as unknown as string[]
    expect(cookies.map((c) => c.split('=')[0])).toEqual(['session', 'session.sig'])
    const cookie = cookies.map((c) => c.split(';')[0]).join('; ')
    await request(app).get('/').set('Cookie', cookie).expect(200, '2')
  })
})

describe('type entries', () => {
  // Made in beforeAll, once dist/ surely exists.
  let program: ts.Program
  let checker: ts.TypeChecker
  beforeAll(() => {
    program = ts.createProgram([dist('index.d.ts'), dist('index.d.cts'), dist('types.d.cts'), dist('fetch.d.ts'), dist('fetch.d.cts')], {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noEmit: true,
      types: ['node'],
    })
    checker = program.getTypeChecker()
  })
  const exportsOf = (file: string): string[] => {
    const source = program.getSourceFile(dist(file))
    const symbol = source && checker.getSymbolAtLocation(source)
    if (!symbol) throw new Error(`no module symbol for ${file}`)
    return checker
      .getExportsOfModule(symbol)
      .map((s) => s.name)
      .sort()
  }

  it('compile without errors, with library checking on', () => {
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName.startsWith(dist('')))
    expect(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([])
  })

  it('ESM (index.d.ts) and CommonJS (index.d.cts) export every name the declarations bundle does', () => {
    const all = exportsOf('types.d.cts')
    expect(all).toContain('SessionData')
    expect(all).toContain('cookieSession')
    // The middleware's entries: everything but the Fetch door's own names.
    const middleware = all.filter((name) => !['createCookieSession', 'CookieSessions', 'FetchSessionOptions'].includes(name))
    expect(exportsOf('index.d.ts')).toEqual(middleware)
    expect(exportsOf('index.d.cts')).toEqual(middleware)
  })

  it("the Fetch door's ESM (fetch.d.ts) and CommonJS (fetch.d.cts) entries export the same names, from the same declarations", () => {
    const fetchNames = exportsOf('fetch.d.ts')
    expect(fetchNames).toContain('createCookieSession')
    expect(fetchNames).toContain('SessionData')
    expect(fetchNames).not.toContain('cookieSession')
    expect(exportsOf('fetch.d.cts')).toEqual(fetchNames)
    const all = exportsOf('types.d.cts')
    for (const name of fetchNames) expect(all).toContain(name)
  })

  it('mention nothing of the runtime internals (the session class, its context, private fields)', () => {
    const all = exportsOf('types.d.cts')
    for (const name of ['Session', 'SessionContext', 'SessionOwner', 'Payload']) expect(all).not.toContain(name)
    const text = readFileSync(dist('types.d.cts'), 'utf8')
    expect(text).not.toMatch(/#private|\bdeclare class\b|\b_ctx\b|\bSessionContext\b|\bSessionOwner\b|\bPayload\b/)
  })

  it('document every option: what it does and its default', () => {
    const source = program.getSourceFile(dist('types.d.cts'))!
    const options = checker
      .getExportsOfModule(checker.getSymbolAtLocation(source)!)
      .find((s) => s.name === 'CookieSessionOptions')!
    const type = checker.getDeclaredTypeOfSymbol(options)
    const undocumented = type
      .getProperties()
      .filter((p) => !/default/i.test(ts.displayPartsToString(p.getDocumentationComment(checker))))
      .map((p) => p.name)
    expect(type.getProperties().length).toBeGreaterThan(10)
    expect(undocumented).toEqual([])
  })
})

describe('size', () => {
  // Like the `cookie` package's size limit: a budget that a stray copy of the
  // code (the core bundled twice into one file: about 2 x 9 KB) would blow,
  // with room for ordinary changes; a bundled dependency is caught by the
  // next test. Each entry carries the whole core: 8.3 KB (index.js) and
  // 10.4 KB (fetch.cjs) when the Fetch door came in, 10 KB the budget before.
  const GZIP_BUDGET = 16 * 1024

  it.each(['index.js', 'index.cjs', 'fetch.js', 'fetch.cjs'])('%s stays under 16 KB gzipped', (file) => {
    expect(gzipSync(readFileSync(dist(file))).length).toBeLessThanOrEqual(GZIP_BUDGET)
  })

  it('both builds import their dependencies instead of bundling them', () => {
    const imported = (file: string, pattern: RegExp) =>
      // (Deduplicated: each source module imports what it uses, node:crypto from two of them.)
      [...new Set([...readFileSync(dist(file), 'utf8').matchAll(pattern)].map((m) => (m[1] as string).replace(/^node:/, '')))].sort()
    const expected = ['cookies', 'crypto', 'debug', 'on-headers', 'util']
    expect(imported('index.js', /^import .* from "([^"]+)";$/gm)).toEqual(expected)
    expect(imported('index.cjs', /require\("([^"]+)"\)/g)).toEqual(expected)
    // The Fetch door needs neither cookies nor on-headers (node:http only): it runs where they cannot.
    const fetchExpected = ['crypto', 'debug', 'util']
    expect(imported('fetch.js', /^import .* from "([^"]+)";$/gm)).toEqual(fetchExpected)
    expect(imported('fetch.cjs', /require\("([^"]+)"\)/g)).toEqual(fetchExpected)
  })
})
