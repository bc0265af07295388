// Ends every run with one plain line, "N passed, N failed, N skipped", that CI and people can read at a glance.
import type { Reporter, TestModule } from 'vitest/node'
import process from 'node:process'

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>) {
    const counts = { passed: 0, failed: 0, skipped: 0 }
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === 'passed' || state === 'failed')
          counts[state]++
        else
          counts.skipped++
      }
      // A file that fails to load has no tests to count, but it is a failure all the same.
      if (module.state() === 'failed' && [
        ...module.children.allTests(),
      ].length === 0) {
        counts.failed++
      }
    }
    counts.failed += unhandledErrors.length
    process.stdout.write(`\nTests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`)
  }
}
