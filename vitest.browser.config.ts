import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// The browser suite: end-to-end tests in headless Chromium (see test/browser/chromium.ts).
// Kept apart from the unit suite so that `npm test` needs no browser.
export default defineConfig({
  resolve: {
    // Examples import the package by its public name; in tests that is the source.
    alias: [{ find: /^cookie-session$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) }],
  },
  test: {
    include: ['test/browser/**/*.test.ts'],
    globalSetup: ['test/browser/global-setup.ts'],
    // One Chromium at a time: the machines that run this are small.
    fileParallelism: false,
    // ...and one module cache for all files: express, passport and playwright load once.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', 'json'],
    outputFile: { json: './test-results/browser.json' },
  },
})
