// Runs once before the runtime suite: fetches the pinned Bun, Deno and workerd
// (scripts/runtime.sh) and bundles examples/worker.ts for workerd. A runtime
// that cannot be had is not skipped: its tests fail with the reason.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join } from 'node:path'
import { build } from 'esbuild'
import type { TestProject } from 'vitest/node'
import { type Found, ROOT } from './launch.ts'


declare module 'vitest' {
  export interface ProvidedContext {
    bun: Found
    deno: Found
    workerd: Found
    workerBundle: Found
  }
}

function fetchRuntime(name: 'bun' | 'deno' | 'workerd'): Found {
  try {
    const path = execFileSync('bash', [join(ROOT, 'scripts/runtime.sh'), name], { encoding: 'utf8' }).trim()
    execFileSync(path, ['--version'])
    return { path }
  } catch (err) {
    return { error: `could not fetch or run ${name}: ${(err as Error).message}` }
  }
}

/**
 * Bundles the worker as wrangler would: one ES module, `node:` modules left to
 * workerd's nodejs_compat (also the bare names the package's build imports,
 * "crypto" and "util"), and the packages' browser builds (`debug`'s Node.js
 * build needs require("tty"), which a Worker module has not).
 */
async function bundleWorker(): Promise<Found> {
  const outfile = join(ROOT, '.runtimes/worker/worker.js')
  try {
    if (!existsSync(join(ROOT, 'dist/fetch.js'))) throw new Error('dist/fetch.js is missing: run `npm run build` first')
    await build({
      entryPoints: [join(ROOT, 'examples/worker.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      conditions: ['workerd', 'worker', 'browser'],
      external: ['node:*', ...builtinModules],
      outfile,
      logLevel: 'error',
    })
    return { path: outfile }
  } catch (err) {
    return { error: `could not bundle examples/worker.ts: ${(err as Error).message}` }
  }
}

export default async function setup(project: TestProject): Promise<void> {
  project.provide('bun', fetchRuntime('bun'))
  project.provide('deno', fetchRuntime('deno'))
  project.provide('workerd', fetchRuntime('workerd'))
  project.provide('workerBundle', await bundleWorker())
}
