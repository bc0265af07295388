// What test files share when a whole run hands a project's files to Vitest as one (test/support/project-files.ts):
// closed after the last of them, or, when a file runs as itself, after that file.
import { afterAll } from 'vitest'

type Close = () => Promise<void>

let closingAfterAllFiles: Close[] | undefined

/** For test/support/project-files.ts, before it loads the files. */
export function runFilesAsOne(): void {
  const closing: Close[] = []
  closingAfterAllFiles = closing
  afterAll(async () => {
    for (const close of closing.splice(0).reverse())
      await close()
  })
}

/** Runs `close` after the last test file; call it while the file is collected, as any hook. */
export function afterAllFiles(close: Close): void {
  if (closingAfterAllFiles)
    closingAfterAllFiles.push(close)
  else
    afterAll(close)
}
