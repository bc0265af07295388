// Ends every run with one plain line, "N passed, N failed, N skipped", that CI and people can read at a glance,
// after the notes the configuration passes (such as a test project left out, and how to include it).
import type { Reporter, TestModule } from 'vitest/node'
import process from 'node:process'

export interface SummaryOptions {
  notes?: string[]
}

export default class SummaryReporter implements Reporter {
  constructor(private readonly options: SummaryOptions = {}) {}

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>) {
    const counts = { passed: 0, failed: 0, skipped: 0 }
    for (const module of testModules) {
      let failedTests = 0
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === 'failed')
          failedTests++
        else if (state === 'passed')
          counts.passed++
        else
          counts.skipped++
      }
      // A file that fails to load, or whose beforeAll fails, has no failed test of its own (its tests are skipped),
      // but it is a failure all the same.
      counts.failed += module.state() === 'failed'
        ? Math.max(failedTests, 1)
        : failedTests
    }
    counts.failed += unhandledErrors.length
    const notes = (this.options.notes ?? []).map(note => `\n${note}`).join('')
    process.stdout.write(`${notes}\nTests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`)
  }
}
