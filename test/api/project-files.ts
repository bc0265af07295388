// A project's test files as one file, for whole runs (vitest.config.ts): Vitest gives one worker, so one workerd, to
// each file, and importing the Worker into another workerd costs more than running the files one after another.
// For the "workers" project it is also what lets them count round trips at one SQL endpoint. Each file's tests,
// hooks included, sit in a suite named after the file.
import testFiles from 'virtual:project-test-files'
import { describe } from 'vitest'

for (const [path, load] of Object.entries(testFiles)) {
  describe(path.slice(path.lastIndexOf('/') + 1), async () => {
    await load()
  })
}
