/// <reference types="vite/types/importMeta.d.ts" />
// The "workers" project's files as one file, for whole runs (vitest.config.ts): Vitest gives one worker to a file,
// so the files run one after another in one workerd, where round trips are counted at one SQL endpoint, while the
// other projects run beside them. Each file's tests, hooks included, sit in a suite named after the file. The
// globs match the project's include and exclude in vitest.config.ts.
import { describe } from 'vitest'

const files = import.meta.glob(['./*.test.ts', '!./fuzz.test.ts', '!./webhooks*.test.ts'])

for (const [path, load] of Object.entries(files)) {
  describe(path.slice('./'.length), async () => {
    await load()
  })
}
