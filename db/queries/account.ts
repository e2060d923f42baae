import 'server-only';
import { instant } from '@/db/sql-kit';
import { desc, eq, sql } from 'drizzle-orm';
import { queryCached } from '@/db';
import { authSessions } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import { prepared } from './reflections/prepared';

// /my shows the account on every request: its queries are built once (./reflections/prepared.ts,
// queryCached) and only run per request.

/** 单位 as a path from the root, e.g. 樊城区/牛首镇 — or '' when none. Built once (queryCached): /my asks on every request. */
export async function unitPathOf(unitId: number | null): Promise<string> {
  if (unitId === null) return '';
  const rows = await queryCached<{ name: string }>(
    'unit-chain',
    () => sql`with recursive chain(id, name, parent_id, depth) as (
        select id, name, parent_id, 0 from units where id = ${sql.placeholder('unitId')}
        union all
        select u.id, u.name, u.parent_id, chain.depth + 1 from units u join chain on u.id = chain.parent_id
        where chain.depth < 32
      )
      select name from chain order by depth desc`,
    { unitId },
  );
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

// The recent sign-ins and, with each, the failed sign-ins since the one before the current one
// (every failure when there is none: audit times are after 1970): one statement.
const recentSignIns = () =>
  prepared('my-recent-sign-ins', (db) =>
    db
      .select({
        id: authSessions.id,
        at: authSessions.createdAt,
        ip: authSessions.ip,
        failed: sql<number | string>`(select count(*) from audit_log a where a.actor_id = ${sql.placeholder('uid')} and a.action = 'login.failure'
          and a.at > coalesce((select max(p.created_at) from auth_sessions p where p.user_id = ${sql.placeholder('uid')} and p.id <> ${sql.placeholder('sid')}), ${sql.placeholder('epoch')}))`,
      })
      .from(authSessions)
      .where(eq(authSessions.userId, sql.placeholder('uid')))
      .orderBy(desc(authSessions.createdAt))
      .limit(5)
      .prepare(),
  );

/** The viewer's own account and their recent sign-ins: nobody else's. */
export async function getMyAccount(viewer: Viewer): Promise<MyAccountDto> {
  const recent = await recentSignIns().all({ uid: viewer.id, sid: viewer.sessionId, epoch: instant(new Date(-1)) });
  return {
    name: viewer.name,
    username: viewer.username,
    title: viewer.title,
    unitPath: await unitPathOf(viewer.unitId),
    recentSignIns: recent.map((r) => ({ at: r.at, ip: r.ip, current: r.id === viewer.sessionId })),
    failedSinceLastSignIn: Number(recent[0]?.failed ?? 0),
  };
}
