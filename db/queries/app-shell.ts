import 'server-only';
import { eq, sql } from 'drizzle-orm';
import { users } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import { rememberedShellFacts, type ShellFacts } from '@/lib/auth/shell-facts';
import { prepared } from './reflections/prepared';

export type { ShellFacts };

// Shown on every signed-in page (the root layout and components/app-shell.tsx). Normally read with
// the sign-in row (loadViewer, lib/auth/shell-facts.ts); this query, built and prepared once per
// connection (./reflections/prepared.ts) and scoped to the viewer's own row, reads them when the
// viewer has since changed something.
/**
 * The frame's facts as columns of a select over users (this query's, and the sign-in row's in
 * loadViewer). Spelled out: a bare "id" in the subquery would be the notification's. The count is
 * a string from PostgreSQL.
 */
export const shellFactColumns = {
  largeUi: users.largeUi,
  unread: sql<number | string>`(select count(*) from notifications n where n.user_id = "users"."id" and n.read_at is null)`,
};

const shellFactsQuery = () =>
  prepared('app-shell-facts', (db) =>
    db
      .select(shellFactColumns)
      .from(users)
      .where(eq(users.id, sql.placeholder('uid')))
      .prepare(),
  );

export async function shellFacts(viewer: Viewer): Promise<ShellFacts> {
  const remembered = rememberedShellFacts(viewer);
  if (remembered) return remembered;
  const row = await shellFactsQuery().get({ uid: viewer.id });
  return { largeUi: row?.largeUi ?? false, unread: Number(row?.unread ?? 0) };
}
