import 'server-only';
import { and, desc, eq, sql } from 'drizzle-orm';
import { getDb } from '@/db';
import { auditLog, authSessions } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';

/** 单位 as a path from the root, e.g. 樊城区/牛首镇; '' when none. */
export function unitPathOf(unitId: number | null): string {
  if (unitId === null) return '';
  const rows = getDb().all<{ name: string }>(sql`
    with recursive chain(id, name, parent_id, depth) as (
      select id, name, parent_id, 0 from units where id = ${unitId}
      union all
      select u.id, u.name, u.parent_id, chain.depth + 1 from units u join chain on u.id = chain.parent_id
      where chain.depth < 32
    )
    select name from chain order by depth desc`);
  return rows.map((r) => r.name).join('/');
}

export interface MyAccountDto {
  name: string;
  username: string;
  title: string;
  unitPath: string;
  recentSignIns: { at: Date; ip: string | null; current: boolean }[];
  failedSinceLastSignIn: number;
}

/** The viewer's own account and their recent sign-ins: nobody else's. */
export function getMyAccount(viewer: Viewer): MyAccountDto {
  const db = getDb();
  const recent = db
    .select({ id: authSessions.id, at: authSessions.createdAt, ip: authSessions.ip })
    .from(authSessions)
    .where(eq(authSessions.userId, viewer.id))
    .orderBy(desc(authSessions.createdAt))
    .limit(5)
    .all();
  const previous = recent.find((r) => r.id !== viewer.sessionId);
  const failed = db
    .select({ n: sql<number>`count(*)` })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.actorId, viewer.id),
        eq(auditLog.action, 'login.failure'),
        previous ? sql`${auditLog.at} > ${previous.at.getTime()}` : sql`1 = 1`,
      ),
    )
    .get();
  return {
    name: viewer.name,
    username: viewer.username,
    title: viewer.title,
    unitPath: unitPathOf(viewer.unitId),
    recentSignIns: recent.map((r) => ({ at: r.at, ip: r.ip, current: r.id === viewer.sessionId })),
    failedSinceLastSignIn: failed?.n ?? 0,
  };
}
