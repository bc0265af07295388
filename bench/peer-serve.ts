// The project's side of the peer benchmark (bench/peer-adapter.mjs starts it in a clone of the checkout): the
// production bundle in workerd as `npm run bench` runs it, with the bench's settings, in front of the local SQL
// endpoint on a PostgreSQL database. Prints "ready <url>", then "sms <masked number> <code>" per code sent: the one
// line format the adapter relies on, whatever the console SMS sender writes.
//
//   PORT=… SQL_PORT=… LOCAL_DATABASE_URL=postgres://… node bench/peer-serve.ts
import process from 'node:process'
import { startLocalNeon } from '../scripts/local-neon/server.ts'
import { applyMigrations } from '../scripts/migrate.ts'
import { smsInLog } from './api.ts'
import { benchBindings } from './bindings.ts'
import { startWorker } from './worker.ts'

async function main(): Promise<void> {
  const neon = await startLocalNeon({
    host: '127.0.0.1',
    port: Number(process.env.SQL_PORT),
    databaseUrl: process.env.LOCAL_DATABASE_URL,
  })
  await applyMigrations({ localSqlEndpoint: neon.url })
  const worker = await startWorker({
    bundlePath: 'dist/index.js',
    bindings: await benchBindings(neon.url),
    port: Number(process.env.PORT),
    onLog: (line) => {
      const sms = smsInLog(line)
      if (sms)
        process.stdout.write(`sms ${sms.masked} ${sms.code}\n`)
    },
  })
  process.stdout.write(`ready ${worker.url.href}\n`)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      void Promise.all([
        worker.close(),
        neon.close(),
      ]).finally(() => process.exit(0))
    })
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
