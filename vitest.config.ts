import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: {
    // Examples import the package by its public name; in tests that is the source.
    alias: [
      { find: /^cookie-session$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
      { find: /^cookie-session\/fetch$/, replacement: fileURLToPath(new URL('./src/fetch.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**', 'test/runtimes/**', 'node_modules/**'],
    testTimeout: 30_000,
    reporters: ['default', 'json'],
    outputFile: { json: './test-results/unit.json' },
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      thresholds: { lines: 95, branches: 95, functions: 95, statements: 95 },
    },
  },
})
