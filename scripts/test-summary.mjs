// Prints one line, `tests: N passed, N failed`, summed over the Vitest JSON
// reports in test-results/. CI reads that line; Vitest's own summary is per run.
import { readdirSync, readFileSync } from 'node:fs'

const dir = new URL('../test-results/', import.meta.url)
let passed = 0
let failed = 0
let files = []
try {
  files = readdirSync(dir).filter((f) => f.endsWith('.json'))
} catch {}
for (const file of files) {
  const report = JSON.parse(readFileSync(new URL(file, dir), 'utf8'))
  passed += report.numPassedTests
  failed += report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0)
  if (report.numFailedTestSuites > 0 && report.numFailedTests === 0) failed += report.numFailedTestSuites
}
console.log(`tests: ${passed} passed, ${failed} failed`)
process.exitCode = files.length === 0 || failed > 0 ? 1 : 0
