// The Worker's settings for the benchmark and the soak: development mode with console SMS, a fresh signing key and
// OTP secret, and the database behind the local SQL endpoint.
import { randomBytes } from 'node:crypto'
import { serverKeyHash } from '../scripts/server-key.ts'
import { generateSigningKey } from '../scripts/signing-key.ts'
import { PLACEHOLDER_DATABASE_URL } from './database.ts'

/** The server API key the benchmark calls /server/v1 with; only its hash is configured, as in production. */
export const BENCH_SERVER_KEY = 'pae_sk_bench-0000000000000000000000000000000000000'

export async function benchBindings(sqlEndpoint: string): Promise<Record<string, string>> {
  return {
    ENVIRONMENT: 'development',
    SMS_PROVIDER: 'console',
    DATABASE_URL: PLACEHOLDER_DATABASE_URL,
    LOCAL_SQL_ENDPOINT: sqlEndpoint,
    JWT_PRIVATE_KEYS: JSON.stringify([await generateSigningKey()]),
    JWT_ISSUER: 'https://auth.bench',
    JWT_AUDIENCE: 'phone-auth-bench',
    OTP_HMAC_SECRET: randomBytes(32).toString('base64url'),
    // One client on loopback signs in thousands of +7 numbers, some of them more than once: the abuse limits would
    // stop it within seconds (their cost per request is still measured: every send and verify goes through them).
    OTP_RESEND_SECONDS: '0',
    OTP_SENDS_PER_HOUR: '100',
    IP_SENDS_PER_HOUR: '100000',
    IP_VERIFIES_PER_HOUR: '100000',
    SMS_NEW_NUMBERS_PER_RANGE_PER_DAY: '10000000',
    SMS_NEW_NUMBERS_PER_COUNTRY_PER_DAY: '100000000',
    // A handful of seeded users make every profile edit of a load run: thousands an hour each.
    PROFILE_UPDATES_PER_HOUR: '10000',
    SERVER_API_KEYS: JSON.stringify([
      {
        name: 'bench',
        scopes: ['users:read', 'points:write'],
        sha256: serverKeyHash(BENCH_SERVER_KEY),
      },
    ]),
  }
}
