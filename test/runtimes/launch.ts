// Starts the Fetch-API examples as child processes under Node.js, Bun, Deno
// and workerd, each listening on a free port of 127.0.0.1, and stops them.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository's root: the examples import `cookie-session/fetch` from its package.json exports (dist/). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** What an example reads from its environment (see examples/fetch-app.ts). */
export interface AppEnv {
  SESSION_KEYS: string
  SESSION_MODE?: string
  SESSION_ACCEPT_SIGNED_KEYS?: string
}

/** One example being served. */
export interface Running {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** What the process has written to stdout and stderr so far. */
  output(): string
  stop(): Promise<void>
}

/** A binary or file the global setup found, or why it could not. */
export type Found = { path: string } | { error: string }

/** The binaries and files the runtimes need, found once by the global setup. */
export interface RuntimePaths {
  readonly bun: Found
  readonly deno: Found
  readonly workerd: Found
  /** examples/worker.ts bundled for workerd (see global-setup.ts). */
  readonly workerBundle: Found
}

/** The path found, or an error saying why there is none (so that the runtime's tests fail, not skip). */
function pathOf(found: Found): string {
  if ('error' in found) throw new Error(found.error)
  return found.path
}

/** A way to serve one example: its name, the version it reports, how to start it. */
export interface Runtime {
  readonly name: string
  readonly version: string
  start(env: AppEnv): Promise<Running>
}

const STARTUP_MS = 20_000
/** What every example prints once it listens (workerd's port comes over its control pipe instead). */
const LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+)/

/**
 * Spawns `command` and resolves with the URL it reports, from its stdout
 * (`listening on http://127.0.0.1:<port>`) or, for workerd, from the
 * `{"event":"listen"}` message on file descriptor 3. Rejects, with what the
 * process wrote to stderr, when it exits first or does not listen in time.
 */
function launch(command: string, args: string[], env: Record<string, string>, controlFd = false): Promise<Running> {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? ROOT, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe', ...(controlFd ? (['pipe'] as const) : [])],
  })
  let stdout = ''
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk
  })
  const output = () => stdout + stderr
  return new Promise<Running>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(new Error(`${command} ${args.join(' ')}: ${why}\n${stderr}`))
    }
    const timer = setTimeout(() => fail(`not listening after ${STARTUP_MS} ms`), STARTUP_MS)
    const found = (url: string) => {
      clearTimeout(timer)
      child.off('exit', exited)
      resolve({ url, output, stop: () => stop(child) })
    }
    const exited = (code: number | null, signal: string | null) => fail(`exited (${signal ?? code}) before listening`)
    child.on('exit', exited)
    child.on('error', (err) => fail(err.message))
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk
      const m = LISTENING.exec(stdout)
      if (m && !controlFd) found(m[1] as string)
    })
    if (controlFd) {
      let control = ''
      ;(child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
        control += chunk
        const m = /"event":"listen"[^}]*"port":(\d+)/.exec(control)
        if (m) found(`http://127.0.0.1:${m[1]}`)
      })
    }
  })
}

/** Ends a child process and waits for it to be gone. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref()
  })
}

/** The output of `command args`, trimmed: a runtime's version. */
function versionOf(found: Found, args: string[]): string {
  if ('error' in found) return 'unavailable'
  return execFileSync(found.path, args, { encoding: 'utf8' }).split('\n')[0]?.trim() ?? '?'
}

const TSX = ['--import', 'tsx']

/** The four runtimes (Node.js twice: the shared app on a plain bridge, and the Hono example). */
export function runtimes(paths: RuntimePaths): Runtime[] {
  const node = process.execPath
  return [
    {
      name: 'node',
      version: `node ${process.version}`,
      start: (env) => launch(node, [...TSX, 'test/runtimes/serve-node.ts'], { ...env, PORT: '0' }),
    },
    {
      name: 'hono on node',
      version: `node ${process.version}`,
      start: (env) => launch(node, [...TSX, 'examples/hono.ts'], { ...env, PORT: '0' }),
    },
    {
      name: 'bun',
      version: `bun ${versionOf(paths.bun, ['--version'])}`,
      start: (env) => launch(pathOf(paths.bun), ['examples/bun.ts'], { ...env, PORT: '0' }),
    },
    {
      name: 'deno',
      version: versionOf(paths.deno, ['--version']),
      start: (env) =>
        launch(
          pathOf(paths.deno),
          ['run', '--no-prompt', '--no-lock', '--allow-net=127.0.0.1', '--allow-env', 'examples/deno.ts'],
          { ...env, PORT: '0', DENO_NO_UPDATE_CHECK: '1' },
        ),
    },
    {
      name: 'workerd',
      version: versionOf(paths.workerd, ['--version']),
      start: (env) => startWorkerd(paths, env),
    },
  ]
}

/**
 * Serves the bundled worker with examples/worker.capnp, copied with the
 * bundle into a folder of its own (the config embeds `worker.js` from beside
 * it), on port 0; `edit` may change the config first (its compatibility date or flags).
 */
export async function startWorkerd(paths: RuntimePaths, env: AppEnv, edit = (capnp: string) => capnp): Promise<Running> {
  const workerd = pathOf(paths.workerd)
  const bundle = pathOf(paths.workerBundle)
  const dir = mkdtempSync(join(tmpdir(), 'cookie-session-workerd-'))
  copyFileSync(bundle, join(dir, 'worker.js'))
  writeFileSync(join(dir, 'worker.capnp'), edit(readFileSync(join(ROOT, 'examples/worker.capnp'), 'utf8')))
  try {
    const running = await launch(
      workerd,
      ['serve', join(dir, 'worker.capnp'), '--socket-addr=http=127.0.0.1:0', '--control-fd=3'],
      { SESSION_MODE: '', SESSION_ACCEPT_SIGNED_KEYS: '', ...env },
      true,
    )
    return {
      url: running.url,
      output: running.output,
      async stop() {
        await running.stop()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
}
