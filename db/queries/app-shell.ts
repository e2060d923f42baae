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
const shellFactsQuery = () =>
  prepared('app-shell-facts', (db) =>
    db
      .select({
        largeUi: users.largeUi,
        // Spelled out: drizzle writes a select's columns unqualified, and a bare "id" here would be the notification's.
        unread: sql<number>`(select count(*) from notifications n where n.user_id = users.id and n.read_at is null)`,
      })
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
