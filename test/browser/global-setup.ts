import { mkdirSync, writeFileSync } from 'node:fs'
import { CHROMIUM_PATH, chromiumMissing } from './chromium.js'

/**
 * Runs once before any test file: without Chromium, prints one line saying how
 * to get it and exits 1, leaving a report of one failure so that the combined
 * `tests: N passed, N failed` line (scripts/test-summary.mjs) shows it too.
 */
export default function setup(): void {
  const message = chromiumMissing()
  if (message === undefined) return
  process.stderr.write(`${message}\n`)
  mkdirSync('test-results', { recursive: true })
  writeFileSync(
    'test-results/browser.json',
    JSON.stringify({ success: false, numPassedTests: 0, numFailedTests: 1, chromium: CHROMIUM_PATH, error: message }),
  )
  process.exit(1)
}
