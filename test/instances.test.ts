// Several instances behind one name: two processes with the same keys share
// sessions, and keys rotate in two steps across two instances without losing
// a session at any point (the procedure the README documents).
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import Keygrip from 'keygrip'
import { afterAll, describe, expect, it } from 'vitest'
import cookieSession from '../src/index.js'
import { express5Host, type Host, listen, nodeHttpHost, sendJson } from './support/hosts.js'
import { CookieJar, get, keepAliveAgent } from './support/proof.js'

const agent = keepAliveAgent(4)
afterAll(() => agent.destroy())

interface Visit {
  instance: string
  isNew: boolean
  count: number
}

async function visit(url: string, jar: CookieJar): Promise<Visit> {
  const cookie = jar.header('/')
  const reply = await get(url, '/', cookie ? { cookie } : {}, agent)
  expect(reply.status).toBe(200)
  jar.store(reply.setCookie, '/')
  return JSON.parse(reply.body)
}

// ---------------------------------------------------------------------------
// Two processes

const script = fileURLToPath(new URL('./support/instance-server.ts', import.meta.url))
const children: ChildProcessWithoutNullStreams[] = []

async function spawnInstance(instance: string, keys: string[]): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, SESSION_KEYS: JSON.stringify(keys), INSTANCE: instance },
  })
  children.push(child)
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => {
    stderr += c
  })
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (c: Buffer) => {
      out += c
      const m = /listening (\d+)/.exec(out)
      if (m) resolve(Number(m[1]))
    })
    child.on('exit', (code) => reject(new Error(`instance ${instance} exited with ${code}: ${stderr}`)))
  })
  return `http://127.0.0.1:${port}`
}

afterAll(async () => {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve()
          child.once('exit', () => resolve())
          child.stdin.end()
          setTimeout(() => child.kill(), 2000).unref()
        }),
    ),
  )
})

describe('two instances in separate processes', () => {
  it('share one session when they share the keys: a client alternating between them counts on', async () => {
    const keys = ['shared key 2', 'shared key 1']
    const [a, b] = await Promise.all([spawnInstance('a', keys), spawnInstance('b', keys)])
    const jar = new CookieJar()
    const seen: Visit[] = []
    for (let i = 0; i < 10; i++) seen.push(await visit(i % 2 ? b : a, jar))
    expect(seen.map((v) => v.count)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(seen.map((v) => v.isNew)).toEqual([true, ...Array(9).fill(false)])
    expect(seen.map((v) => v.instance)).toEqual(['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b', 'a', 'b'])
    const pids = new Set(seen.map((v: any) => v.pid))
    expect(pids.size).toBe(2)
    expect(pids.has(process.pid)).toBe(false)
  }, 60_000)
})

// ---------------------------------------------------------------------------
// Key rotation, two instances on different hosts (Express 5 and node:http)

const OLD = 'old key, in use since launch'
const NEW = 'new key, replacing it'

function handler(req: any, res: any): void {
  const session = req.session
  const isNew = session.isNew
  session.count = (session.count ?? 0) + 1
  sendJson(res, { isNew, count: session.count })
}

/** One deployed instance; `deploy()` replaces it with a new process-equivalent holding other keys. */
class Instance {
  #server: { url: string; close(): Promise<void> } | undefined
  keys: string[] = []

  constructor(
    readonly name: string,
    readonly host: Host,
  ) {}

  async deploy(keys: string[]): Promise<void> {
    await this.#server?.close()
    this.keys = [...keys]
    this.#server = await listen(this.host.create(cookieSession({ keys: this.keys, maxAge: 86_400_000 }), handler))
  }

  get url(): string {
    return this.#server!.url
  }

  close(): Promise<void> | undefined {
    return this.#server?.close()
  }
}

/** Which key signed the session cookie in `jar`. */
function signedBy(jar: CookieJar): string {
  const value = jar.value('session')
  const sig = jar.value('session.sig')
  const keys = [OLD, NEW]
  const i = new Keygrip(keys).index(`session=${value}`, sig ?? '')
  return i < 0 ? 'nobody' : i === 0 ? 'old' : 'new'
}

describe('key rotation across two instances', () => {
  const a = new Instance('a', express5Host)
  const b = new Instance('b', nodeHttpHost)
  afterAll(async () => {
    await a.close()
    await b.close()
  })

  it('walks a client through [old] → [old, new] → [new, old] → [new], one instance at a time, losing nothing', async () => {
    const active = new CookieJar()
    let count = 0
    /** Four requests alternating between the instances: the session must go on at every one. */
    async function alternate(label: string): Promise<void> {
      for (const instance of [a, b, a, b]) {
        const v = await visit(instance.url, active)
        count++
        expect(v, `${label}: ${instance.name} with [${instance.keys.map((k) => (k === OLD ? 'old' : 'new'))}]`).toEqual({
          isNew: count === 1,
          count,
        })
      }
    }
    // Sessions that sit idle through part of the rotation.
    const idleUntilStep2 = new CookieJar()
    const idleUntilEnd = new CookieJar()

    await Promise.all([a.deploy([OLD]), b.deploy([OLD])])
    await alternate('launch')
    await visit(a.url, idleUntilStep2)
    await visit(b.url, idleUntilEnd)
    expect(signedBy(active)).toBe('old')

    // Step 1: deploy [old, new]. Everyone still signs with old; both keys verify.
    await a.deploy([OLD, NEW])
    await alternate('step 1, half deployed')
    await b.deploy([OLD, NEW])
    await alternate('step 1 deployed')
    expect(signedBy(active)).toBe('old')

    // Step 2: once step 1 is everywhere, deploy [new, old]. New sessions and
    // every write are signed with new; an instance not yet updated verifies
    // them with its second key.
    await a.deploy([NEW, OLD])
    await alternate('step 2, half deployed')
    await b.deploy([NEW, OLD])
    await alternate('step 2 deployed')
    expect(signedBy(active)).toBe('new')

    // A session last written before the rotation is still good, and its
    // visit re-signs it with the new key.
    expect(signedBy(idleUntilStep2)).toBe('old')
    expect(await visit(b.url, idleUntilStep2)).toMatchObject({ isNew: false, count: 2 })
    expect(signedBy(idleUntilStep2)).toBe('new')

    // Later (after maxAge, when no cookie signed with old can still be alive), drop old.
    await a.deploy([NEW])
    await alternate('old dropped, half deployed')
    await b.deploy([NEW])
    await alternate('old dropped')
    expect(await visit(a.url, idleUntilStep2)).toMatchObject({ isNew: false, count: 3 })

    // The reason to wait: a session signed with old and unused since is gone once old is dropped.
    expect(signedBy(idleUntilEnd)).toBe('old')
    expect(await visit(a.url, idleUntilEnd)).toMatchObject({ isNew: true, count: 1 })
  })

  it('loses sessions when the new key goes first in a single step (why there are two steps)', async () => {
    await Promise.all([a.deploy([OLD]), b.deploy([OLD])])
    const jar = new CookieJar()
    expect(await visit(a.url, jar)).toMatchObject({ isNew: true, count: 1 })
    expect(await visit(b.url, jar)).toMatchObject({ isNew: false, count: 2 })
    // A is updated straight to [new, old] while B still runs [old].
    await a.deploy([NEW, OLD])
    expect(await visit(a.url, jar)).toMatchObject({ isNew: false, count: 3 })
    expect(signedBy(jar)).toBe('new')
    // B cannot verify the new signature: the session is lost.
    expect(await visit(b.url, jar)).toMatchObject({ isNew: true, count: 1 })
  })
})
