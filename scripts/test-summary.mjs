// Prints one line, `tests: N passed, N failed`, summed over the Vitest JSON
// reports in test-results/ (CI reads that line; Vitest's own summary is per
// run), and exits non-zero when anything failed.
//
//   node scripts/test-summary.mjs unit=<exit code> browser=<exit code> runtimes=<exit code>
//
// Each argument names a report (test-results/<name>.json) and the exit code of
// the step that wrote it. A missing report, or a step that failed with no
// failing test in its report (type-check, lint, build, a coverage threshold),
// counts as one failure, so the line never says 0 failed for a red run.
import { readFileSync } from 'node:fs'

let passed = 0
let failed = 0
const steps = process.argv.slice(2).map((arg) => {
  const [name, code] = arg.split('=')
  return { name, code: Number(code) }
})
if (steps.length === 0) {
  console.error('usage: test-summary.mjs <report>=<exit code> ...')
  process.exit(2)
}

for (const { name, code } of steps) {
  let report
  try {
    report = JSON.parse(readFileSync(new URL(`../test-results/${name}.json`, import.meta.url), 'utf8'))
  } catch {
    console.error(`test-summary: no report from the ${name} step`)
    failed += 1
    continue
  }
  const stepFailed = report.numFailedTests + report.numFailedTestSuites
  passed += report.numPassedTests
  failed += report.numFailedTests
  if (report.numFailedTestSuites > 0 && report.numFailedTests === 0) failed += report.numFailedTestSuites
  if (code !== 0 && stepFailed === 0) {
    console.error(`test-summary: the ${name} step exited with ${code} with no failing test`)
    failed += 1
  }
}

console.log(`tests: ${passed} passed, ${failed} failed`)
process.exitCode = failed > 0 ? 1 : 0
