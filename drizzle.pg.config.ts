import { defineConfig } from 'drizzle-kit';

// The PostgreSQL twin of drizzle.config.ts (issue 16 step 2): generate its migrations with
// `npx drizzle-kit generate --config drizzle.pg.config.ts` after every change of db/sqlite/schema.ts
// and db/pg/schema.ts (docs/decisions/0017-postgresql-dialect.md).
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/pg/schema.ts',
  out: './db/migrations-pg',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://localhost/xuesi' },
  strict: true,
  verbose: true,
});
