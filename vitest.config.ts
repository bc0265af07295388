import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    globalSetup: ['./test/support/global-setup.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        plugins: [
          cloudflareTest(({ inject }) => ({
            main: './src/index.ts',
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                ENVIRONMENT: 'test',
                DATABASE_URL: 'postgresql://test:test@localhost/phone_auth',
                LOCAL_SQL_ENDPOINT: inject('sqlEndpoint'),
                JWT_PRIVATE_KEYS: inject('signingKeys'),
                JWT_ISSUER: 'https://auth.test',
                JWT_AUDIENCE: 'phone-auth-test',
                OTP_HMAC_SECRET: 'test-otp-secret-that-is-at-least-32-characters',
                SMS_PROVIDER: 'twilio',
                SMS_TIMEOUT_MS: '1000',
                TWILIO_API_BASE_URL: inject('twilioOrigin'),
                TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000001',
                TWILIO_AUTH_TOKEN: 'twilio-test-auth-token',
                TWILIO_FROM_NUMBER: '+15005550006',
              },
            },
          })),
        ],
        test: {
          name: 'workers',
          include: ['test/api/**/*.test.ts'],
          // Round-trip counts are read from the one shared SQL endpoint, so files run one after another.
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/node/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          // Headless Chromium against the app served locally (test/browser/support): each file starts its own.
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
