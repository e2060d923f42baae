// The e2e fixtures' way to make data: the shared factories (db/factories.ts), writing to the
// server's database from the test process, so that a spec's rows look exactly like the ones the
// application writes (字数 counted, handed-in text in the search index) and no spec keeps its own
// SQL. The factories load the data-access layer, whose `server-only` marker must resolve to an
// empty module outside Next: the shim comes first, before anything imports the factories.
import '../scripts/server-only-shim.cjs';
import { makeUser } from '@/db/factories';
import { hashPassword } from '@/lib/auth/password';
import { e2eDbPath } from './support';

process.env.DATABASE_PATH = e2eDbPath();

export * from '@/db/factories';

/** The password of the accounts the fixtures create. */
export const FIXTURE_PASSWORD = 'Lianxi-2026-xuesi';

/** An active account with a chosen password (fixtures only; the admin UI is tested on its own). */
export async function createAccount(opts: {
  username: string;
  name: string;
  role: 'admin' | 'organizer' | 'cadre' | 'auditor';
  password: string;
  title?: string;
}): Promise<number> {
  const passwordHash = await hashPassword(opts.password);
  return await makeUser(opts.role, { username: opts.username, name: opts.name, title: opts.title ?? '', passwordHash });
}
