import type { TestProject } from 'vitest/node'
// Starts, in Node, what the Worker under test talks to over HTTP: the Neon-protocol SQL endpoint (with migrations
// applied through the production driver), the fake Twilio and Telegram Gateway APIs and the fake webhook receiver.
// Their addresses reach the Worker as bindings.
import process from 'node:process'
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

export default async function setup(project: TestProject) {
  const database = await createTestDatabase(process.env.TEST_DATABASE_URL)
  const sqlEndpoint = await startLocalNeonThread({ databaseUrl: database.url })
  await applyMigrations({ localSqlEndpoint: sqlEndpoint.url })
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
