import 'server-only';
import { eq, sql } from 'drizzle-orm';
import { users } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import { prepared } from './reflections/prepared';

/** What the frame of every signed-in page shows about the viewer: 大字模式 and the unread count. */
export interface ShellFacts {
  largeUi: boolean;
  unread: number;
}

// Read on every signed-in page (the root layout and components/app-shell.tsx): one query, built
// and prepared once per connection (./reflections/prepared.ts), scoped to the viewer's own row.
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
  const row = await shellFactsQuery().get({ uid: viewer.id });
  return { largeUi: row?.largeUi ?? false, unread: row?.unread ?? 0 };
}
