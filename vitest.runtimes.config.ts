import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// The runtime suite: the Fetch examples served by Node.js, Bun, Deno and workerd
// (child processes on 127.0.0.1), their cookies crossing with an Express app's.
// Kept apart from the unit suite, which runs once per Node.js line; it needs
// `npm run build` first (the runtimes import dist/fetch.js): `npm run test:runtimes`.
export default defineConfig({
  resolve: {
    // The Express side imports the package by its public name; in tests that is the source.
    alias: [{ find: /^cookie-session$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) }],
  },
  test: {
    include: ['test/runtimes/**/*.test.ts'],
    globalSetup: ['test/runtimes/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: './test-results/runtimes.json' },
  },
})
