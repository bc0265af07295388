// The server API keys and webhook secret of the test Worker: vitest.config.ts configures their hashes, tests present
// the keys. Plain constants, so both Node and workerd can import them.
export const TEST_SERVER_KEYS = {
  full: {
    key: 'pae_sk_test-full-access-0000000000000000000000000',
    scopes: ['users:read', 'points:write'],
  },
  reader: {
    key: 'pae_sk_test-read-only-00000000000000000000000000',
    scopes: ['users:read'],
  },
  writer: {
    key: 'pae_sk_test-write-only-0000000000000000000000000',
    scopes: ['points:write'],
  },
} as const

export const TEST_WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
