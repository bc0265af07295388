// Starts, in Node, what the Worker under test talks to over HTTP: the Neon-protocol SQL endpoint (with migrations
// applied through the production driver), the fake Twilio and Telegram Gateway APIs and the fake webhook receiver.
// Their addresses reach the Worker as bindings.
import type { TestProject } from 'vitest/node'
import type { LocalNeonThread } from './local-neon-thread.ts'
import type { TestDatabase } from './test-database.ts'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { applyMigrations } from '../../scripts/migrate.ts'
import { generateSigningKey } from '../../scripts/signing-key.ts'
import { startDatabaseFaultProxy } from './database-fault-proxy.ts'
import { hideExpectedFaultLogs } from './expected-fault-logs.ts'
import { startFakeTelegramGateway } from './fake-telegram-gateway.ts'
import { startFakeTurnstile } from './fake-turnstile.ts'
import { startFakeTwilio } from './fake-twilio.ts'
import { startFakeWebhookReceiver } from './fake-webhook-receiver.ts'
import { startLocalNeonThread } from './local-neon-thread.ts'
import { createTestDatabase } from './test-database.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    sqlEndpoint: string
    twilioOrigin: string
    telegramGatewayOrigin: string
    turnstileOrigin: string
    signingKeys: string
    /** The SQL endpoint behind a fault injector, for the "faults" project's Worker. */
    faultySqlEndpoint: string
    faultControlOrigin: string
    /** The fake webhook receiver, for the "webhooks" project's Worker. */
    webhookOrigin: string
  }
}

interface MigratedDatabase {
  database: TestDatabase
  sqlEndpoint: LocalNeonThread
}

// Vitest runs the projects' global setups one after another, and a database takes over a second to start, most of it
// on the endpoint's own thread: the first setup starts every project's at once. Kept on globalThis, since each
// project may load this file anew.
const SHARED = Symbol.for('phone-auth.test-databases')
const shared = ((globalThis as { [SHARED]?: { started: Map<string, Promise<MigratedDatabase>>, migrations: Promise<unknown> } })[SHARED] ??= {
  started: new Map(),
  migrations: Promise.resolve(),
})

async function startMigratedDatabase(): Promise<MigratedDatabase> {
  const database = await createTestDatabase(process.env.TEST_DATABASE_URL)
  const sqlEndpoint = await startLocalNeonThread({ databaseUrl: database.url })
  // One at a time: the driver's endpoint (neonConfig.fetchEndpoint) is one setting for the whole process.
  const migrated = shared.migrations.then(() => applyMigrations({ localSqlEndpoint: sqlEndpoint.url }))
  shared.migrations = migrated.catch(() => {})
  await migrated
  return { database, sqlEndpoint }
}

function databaseFor(project: TestProject): Promise<MigratedDatabase> {
  const { started } = shared
  if (started.size === 0) {
    const thisFile = fileURLToPath(import.meta.url)
    for (const { name, config } of project.vitest.projects) {
      if (config.globalSetup.includes(thisFile))
        started.set(name, startMigratedDatabase())
    }
  }
  const database = started.get(project.name) ?? startMigratedDatabase()
  started.delete(project.name)
  return database
}

/** Databases started for projects that had nothing to run (files named on the command line). */
async function closeUnclaimed() {
  const unclaimed = [
    ...shared.started.values(),
  ]
  shared.started.clear()
  await Promise.all(unclaimed.map(async (pending) => {
    const { database, sqlEndpoint } = await pending
    await sqlEndpoint.close()
    await database.drop()
  }))
}

export default async function setup(project: TestProject) {
  const { database, sqlEndpoint } = await databaseFor(project)
  const twilio = await startFakeTwilio()
  const turnstile = await startFakeTurnstile()
  const telegramGateway = await startFakeTelegramGateway()
  const webhookReceiver = await startFakeWebhookReceiver()
  const faultProxy = await startDatabaseFaultProxy(sqlEndpoint.origin)
  const showFaultLogs = hideExpectedFaultLogs()
  // Two keys, newest first, as during a rotation: the first signs, both verify.
  const signingKeys = JSON.stringify([await generateSigningKey(), await generateSigningKey()])

  project.provide('sqlEndpoint', sqlEndpoint.url)
  project.provide('twilioOrigin', twilio.origin)
  project.provide('turnstileOrigin', turnstile.origin)
  project.provide('telegramGatewayOrigin', telegramGateway.origin)
  project.provide('signingKeys', signingKeys)
  project.provide('faultySqlEndpoint', faultProxy.url)
  project.provide('faultControlOrigin', faultProxy.controlOrigin)
  project.provide('webhookOrigin', webhookReceiver.origin)

  return async () => {
    await closeUnclaimed()
    showFaultLogs()
    await faultProxy.close()
    await twilio.close()
    await turnstile.close()
    await telegramGateway.close()
    await webhookReceiver.close()
    await sqlEndpoint.close()
    await database.drop()
  }
}
