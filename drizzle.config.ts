import { defineConfig } from 'drizzle-kit'

// Only `npm run db:generate` uses this file; migrations are applied by scripts/migrate.ts.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './migrations',
  strict: true,
  verbose: true,
})
