// initdb in WASM costs about four seconds of CPU, and a test run makes over a dozen databases: the first one made with
// this PGlite version is saved as a tarball of its fresh data directory, and later ones start from that, in under a
// second. The tarball holds initdb's output and nothing else; migrations still run on every database.
import { randomUUID } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'

const GZIP = 'application/x-gzip'

/** node_modules/.cache/pglite-initdb/<version>.tar.gz: a new PGlite version makes a new one. */
function snapshotFile(): string {
  // The package's exports do not include its package.json.
  const packageJson = join(dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')), '..', 'package.json')
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }
  return fileURLToPath(new URL(`../../node_modules/.cache/pglite-initdb/${version}.tar.gz`, import.meta.url))
}

async function readSnapshot(file: string): Promise<Blob | undefined> {
  try {
    return new Blob([await readFile(file)], { type: GZIP })
  }
  catch {
    return undefined
  }
}

/** PGlite in memory, or persisted in `dataDir`: a new database starts from the snapshot, an existing one resumes. */
export async function openPGlite(dataDir?: string): Promise<PGlite> {
  if (dataDir && existsSync(join(dataDir, 'PG_VERSION')))
    return PGlite.create({ dataDir })
  const file = snapshotFile()
  const snapshot = await readSnapshot(file)
  if (snapshot)
    return PGlite.create({ dataDir, loadDataDir: snapshot })
  const db = await PGlite.create({ dataDir })
  const tarball = await db.dumpDataDir('gzip')
  await mkdir(dirname(file), { recursive: true })
  // Written aside and renamed, so a database starting beside this one (another process, or a thread of this one)
  // reads a whole tarball or none.
  const partial = `${file}.${process.pid}.${randomUUID()}`
  await writeFile(partial, new Uint8Array(await tarball.arrayBuffer()))
  await rename(partial, file)
  return db
}
