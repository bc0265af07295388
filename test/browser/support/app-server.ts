// The whole service on this machine for a browser to use, as `npm run dev` runs it: the Worker with its static
// assets in workerd (wrangler's test harness, the same Miniflare setup as `wrangler dev`), a fresh database behind
// the local Neon endpoint (PGlite, or PostgreSQL with TEST_DATABASE_URL), and the fake Twilio API, whose recorded
// messages stand in for the person's phone. Every part listens on a free port of 127.0.0.1.
import process from 'node:process'
import { createTestHarness } from 'wrangler'
import { startLocalNeon } from '../../../scripts/local-neon/server.ts'
import { applyMigrations } from '../../../scripts/migrate.ts'
import { generateSigningKey } from '../../../scripts/signing-key.ts'
import { devVarsResets } from '../../support/dev-vars-resets.ts'
import { startFakeTwilio } from '../../support/fake-twilio.ts'
import { createTestDatabase } from '../../support/test-database.ts'

export interface AppServer {
  /** http://127.0.0.1:<port> */
  origin: string
  /** The digits of the newest sign-in code texted to `phone` (E.164). */
  lastCodeSentTo: (phone: string) => Promise<string>
  close: () => Promise<void>
}

/** `vars` are added to the Worker's settings, e.g. the README walkthrough's test numbers. */
export async function startAppServer(vars: Record<string, string> = {}): Promise<AppServer> {
  const database = await createTestDatabase(process.env.TEST_DATABASE_URL)
  const sqlEndpoint = await startLocalNeon({ databaseUrl: database.url })
  await applyMigrations({ localSqlEndpoint: sqlEndpoint.url })
  const twilio = await startFakeTwilio()

  const settings = {
    ENVIRONMENT: 'test',
    LOCAL_SQL_ENDPOINT: sqlEndpoint.url,
    JWT_ISSUER: 'http://127.0.0.1',
    JWT_AUDIENCE: 'phone-auth-browser-test',
    SMS_PROVIDER: 'twilio',
    TWILIO_API_BASE_URL: twilio.origin,
    TWILIO_FROM_NUMBER: '+15005550006',
    TWILIO_MESSAGING_SERVICE_SID: '',
    // Every person here comes from 127.0.0.1; the per-address quotas have tests of their own.
    IP_SENDS_PER_HOUR: '100000',
    IP_VERIFIES_PER_HOUR: '100000',
    ...vars,
  }
  const secrets = {
    DATABASE_URL: 'postgresql://test:test@localhost/phone_auth',
    JWT_PRIVATE_KEYS: JSON.stringify([await generateSigningKey()]),
    OTP_HMAC_SECRET: 'browser-test-otp-secret-of-at-least-32-characters',
    TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000001',
    TWILIO_AUTH_TOKEN: 'twilio-test-auth-token',
  }
  const harness = createTestHarness({
    workers: [
      {
        configPath: new URL('../../../wrangler.toml', import.meta.url),
        // A developer's .dev.vars, which the harness reads too, changes nothing here.
        vars: {
          ...devVarsResets({
            ...settings,
            ...secrets,
          }),
          ...settings,
        },
        secrets,
      },
    ],
  })
  const { url } = await harness.listen()

  return {
    origin: url.origin,
    async lastCodeSentTo(phone) {
      const response = await fetch(`${twilio.origin}/__fake/requests?to=${encodeURIComponent(phone)}`)
      const messages = await response.json() as { form: { Body?: string } }[]
      const code = /^(\d{4,8}) /.exec(messages.at(-1)?.form.Body ?? '')?.[1]
      if (!code)
        throw new Error(`No sign-in code was texted to ${phone}.`)
      return code
    },
    async close() {
      await harness.close()
      await twilio.close()
      await sqlEndpoint.close()
      await database.drop()
    },
  }
}
