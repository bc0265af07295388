// A project's test files as one file, for whole runs (vitest.config.ts): Vitest gives one worker to each file, so
// one workerd to each file of an API project and one Node process, app server and Chromium to each browser file,
// and starting these again costs more than running the files one after another. For the "workers" project it is
// also what lets them count round trips at one SQL endpoint. Each file's tests, hooks included, sit in a suite named
// after the file; what the files share is closed after the last (test/support/after-all-files.ts).
import testFiles from 'virtual:project-test-files'
import { describe } from 'vitest'
import { runFilesAsOne } from './after-all-files'

runFilesAsOne()
for (const [path, load] of Object.entries(testFiles)) {
  describe(path.slice(path.lastIndexOf('/') + 1), async () => {
    await load()
  })
}
