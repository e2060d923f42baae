// Which database this process runs on (issue 16, docs/decisions/0017): PostgreSQL when
// DATABASE_URL is a postgres:// (or postgresql://) address, otherwise the embedded SQLite file of
// DATABASE_PATH, as always. Read once per process when the tables are chosen (db/schema.ts): a
// process runs on one database for its whole life.

export type Dialect = 'sqlite' | 'postgres';

const POSTGRES_URL = /^postgres(?:ql)?:\/\//u;

/** The dialect an environment selects. */
export function dialectOf(env: NodeJS.ProcessEnv = process.env): Dialect {
  return POSTGRES_URL.test(env.DATABASE_URL ?? '') ? 'postgres' : 'sqlite';
}

/** True when this process runs on PostgreSQL. */
export function isPostgres(): boolean {
  return dialectOf() === 'postgres';
}
