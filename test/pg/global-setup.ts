import path from 'node:path';
import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { TestProject } from 'vitest/node';
import { startCluster } from './cluster';

// The integration suite's second run, on PostgreSQL (issue 16; vitest.pg.config.ts): one
// throwaway cluster for the run, one database migrated once (xuesi_base), and every test gets its
// own copy of it (CREATE DATABASE … TEMPLATE, test/db.ts), as on SQLite every test gets a copy of
// the migrated base file.

export const BASE_DATABASE = 'xuesi_base';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const cluster = await startCluster();
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${BASE_DATABASE}`);
  await admin.end();
  const base = new pg.Client({ connectionString: cluster.url.replace(/\/postgres$/u, `/${BASE_DATABASE}`) });
  await base.connect();
  await migrate(drizzle(base), { migrationsFolder: path.resolve('db/migrations-pg') });
  await base.end();
  project.provide('pgAdminUrl', cluster.url);
  return async () => {
    await cluster.stop();
  };
}
