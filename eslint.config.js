import antfu from '@antfu/eslint-config'

export default antfu({
  typescript: true,
  ignores: [
    'worker-configuration.d.ts',
    'migrations/**',
    '.wrangler/**',
    '.local/**',
    'dist/**',
  ],
}, {
  rules: {
    // Neon's HTTP driver has no interactive transactions: atomic changes are one statement or a batch.
    'no-restricted-syntax': [
      'error',
      {
        selector: 'CallExpression[callee.property.name="transaction"][callee.object.name=/^(db|database)$/]',
        message: 'drizzle-orm/neon-http has no interactive transactions: use one statement (CTEs) or db.batch().',
      },
    ],
  },
})
