import { inject } from 'vitest';

// Runs before each test file of the PostgreSQL run, before it imports anything: the process is on
// PostgreSQL (db/dialect.ts reads DATABASE_URL when db/schema.ts loads). Until a test's
// useTestDatabase() names its own database, the address names one that does not exist, so that a
// test that forgets it fails instead of touching another's data.
const admin = inject('pgAdminUrl');
process.env.XUESI_TEST_PG_ADMIN = admin;
process.env.DATABASE_URL = admin.replace(/\/postgres$/u, '/xuesi_no_test_database');
// Every test's database is a copy of the migrated base: nothing to migrate.
process.env.XUESI_DB_MIGRATED = '1';
