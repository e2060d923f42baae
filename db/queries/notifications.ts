import { changesOf } from '@/db';
import 'server-only';
import { mutation } from '@/db/mutation';
import { markNotificationsSchema } from '@/lib/validation/notifications';
import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import { getDb, type Tx } from '@/db';
import { notifications, type NOTIFICATION_KINDS } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import { prepared } from './reflections/prepared';

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface NotificationDto {
  id: number;
  kind: NotificationKind;
  title: string;
  body: string;
  link: string | null;
  read: boolean;
  createdAt: Date;
}

export const NOTIFICATIONS_PAGE_SIZE = 20;

/**
 * Queues a notification for each user, inside the caller's transaction, so that it exists if and
 * only if the change it tells of was committed. Callers have already checked their right to act.
 */
export async function notify(
  tx: Tx,
  userIds: number[],
  n: { kind: NotificationKind; title: string; body?: string; link?: string | null },
): Promise<void> {
  if (userIds.length === 0) return;
  await tx.insert(notifications)
    .values(userIds.map((userId) => ({ userId, kind: n.kind, title: n.title, body: n.body ?? '', link: n.link ?? null })))
    .run();
}

/** How many unread notifications the viewer has (for the header badge). */
export async function countUnreadNotifications(viewer: Viewer): Promise<number> {
  return (await unreadCount().get({ uid: viewer.id }))?.n ?? 0;
}

// The header's badge on every signed-in page: built and prepared once per connection (./reflections/prepared.ts).
const unreadCount = () =>
  prepared('unread-notifications', (db) =>
    db
      .select({ n: count() })
      .from(notifications)
      .where(and(eq(notifications.userId, sql.placeholder('uid')), isNull(notifications.readAt)))
      .prepare(),
  );

/** The viewer's own notifications, newest first. */
export async function listMyNotifications(viewer: Viewer, { page = 1 }: { page?: number } = {}): Promise<{ items: NotificationDto[]; total: number; page: number; pageCount: number }> {
  const db = getDb();
  const where = eq(notifications.userId, viewer.id);
  const total = (await db.select({ n: count() }).from(notifications).where(where).get())?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / NOTIFICATIONS_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pageCount);
  const rows = await db
    .select()
    .from(notifications)
    .where(where)
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(NOTIFICATIONS_PAGE_SIZE)
    .offset((current - 1) * NOTIFICATIONS_PAGE_SIZE)
    .all();
  return {
    items: rows.map((r) => ({ id: r.id, kind: r.kind, title: r.title, body: r.body, link: r.link, read: r.readAt !== null, createdAt: r.createdAt })),
    total,
    page: current,
    pageCount,
  };
}

/** Marks the viewer's own notifications read: the given ids, or all when none are given. */
/** Marks one of the viewer's notifications (id), or all of them, read. Only ever their own. */
export const markNotificationsRead = mutation({
  roles: ['cadre', 'organizer', 'admin', 'auditor'],
  schema: markNotificationsSchema,
  async run(tx, { viewer }, { id }) {
    const conditions = [eq(notifications.userId, viewer.id), isNull(notifications.readAt)];
    if (id) conditions.push(eq(notifications.id, id));
    const changed = changesOf((await tx.update(notifications).set({ readAt: new Date() }).where(and(...conditions)).run()));
    return { ok: true as const, changed };
  },
});
