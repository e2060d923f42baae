import 'server-only';
import { and, count, desc, eq, gte, inArray, isNull, lt, or, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { getDb } from '@/db';
import { auditLog, units, users } from '@/db/schema';
import { AUDIT_ACTIONS, type AuditAction } from '@/lib/audit-actions';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import { shanghaiDayStart } from '@/lib/time';
import { listAuditSchema } from '@/lib/validation/audit';

export const AUDIT_PAGE_SIZE = 50;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface AuditRowDto {
  id: number;
  at: Date;
  actorId: number | null;
  actorUsername: string | null;
  action: string;
  /** The Chinese name of the action; the code itself for actions this build does not know. */
  actionLabel: string;
  targetType: string | null;
  targetId: string | null;
  /** What the target is called now (账号 and 姓名, or the unit's name), when it still exists. */
  targetLabel: string | null;
  /** The parsed JSON detail; a string when it is not JSON. */
  detail: unknown;
  ip: string | null;
}

export interface AuditListDto {
  items: AuditRowDto[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
  /** The filter as understood, for the form to show back. */
  filter: { actor?: string; action?: AuditAction; from?: string; to?: string };
}

export function isAuditAction(s: string | undefined): s is AuditAction {
  return !!s && Object.hasOwn(AUDIT_ACTIONS, s);
}

function validDay(ymd: string | undefined): Date | undefined {
  if (!ymd) return undefined;
  const d = shanghaiDayStart(ymd);
  if (Number.isNaN(d.getTime())) return undefined;
  // shanghaiDayStart('2024-02-31') rolls over to March; such a day does not exist.
  const back = new Date(d.getTime() + 8 * 60 * 60 * 1000).toISOString().slice(0, 10);
  return back === ymd ? d : undefined;
}

type RawRow = {
  id: number;
  at: Date;
  actorId: number | null;
  actorUsername: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  detail: string | null;
  ip: string | null;
};

const rawColumns = {
  id: auditLog.id,
  at: auditLog.at,
  actorId: auditLog.actorId,
  actorUsername: auditLog.actorUsername,
  action: auditLog.action,
  targetType: auditLog.targetType,
  targetId: auditLog.targetId,
  detail: auditLog.detail,
  ip: auditLog.ip,
};

function parseDetail(detail: string | null): unknown {
  if (detail === null) return null;
  try {
    return JSON.parse(detail) as unknown;
  } catch {
    return detail;
  }
}

/** Rows as DTOs, with the current name of each user or unit they point at (two small lookups). */
async function toDtos(rows: RawRow[]): Promise<AuditRowDto[]> {
  const db = getDb();
  const ids = (type: string) => [
    ...new Set(
      rows
        .filter((r) => r.targetType === type && r.targetId && /^\d+$/u.test(r.targetId))
        .map((r) => Number(r.targetId)),
    ),
  ];
  const userIds = ids('user');
  const unitIds = ids('unit');
  const userNames = new Map(
    userIds.length
      ? (await db
          .select({ id: users.id, username: users.username, name: users.name })
          .from(users)
          .where(inArray(users.id, userIds))
          .all())
          .map((u) => [String(u.id), `${u.name}(${u.username})`])
      : [],
  );
  const unitNames = new Map(
    unitIds.length
      ? (await db
          .select({ id: units.id, name: units.name })
          .from(units)
          .where(inArray(units.id, unitIds))
          .all())
          .map((u) => [String(u.id), u.name])
      : [],
  );
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actorId: r.actorId,
    actorUsername: r.actorUsername,
    action: r.action,
    actionLabel: isAuditAction(r.action) ? AUDIT_ACTIONS[r.action] : r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    targetLabel:
      r.targetId === null
        ? null
        : r.targetType === 'user'
          ? (userNames.get(r.targetId) ?? null)
          : r.targetType === 'unit'
            ? (unitNames.get(r.targetId) ?? null)
            : null,
    detail: parseDetail(r.detail),
    ip: r.ip,
  }));
}

/**
 * The audit log, newest first, for the 审计员 only (三员分立: docs/decisions/0013-three-duties.md), 50 a page. Each filter maps onto an index: 账号 → audit_actor_at_idx
 * (through the account's id, so rows written before a rename still match), 操作 →
 * audit_action_at_idx, dates → audit_at_idx. Days are Asia/Shanghai days, both ends included.
 */
export async function listAudit(viewer: Viewer, filter: z.input<typeof listAuditSchema>): Promise<AuditListDto> {
  assertRole(viewer, 'auditor');
  const f = listAuditSchema.parse(filter);
  const db = getDb();
  const conditions: (SQL | undefined)[] = [];
  const shown: AuditListDto['filter'] = {};

  const actor = f.actor?.toLowerCase();
  if (actor) {
    shown.actor = actor;
    const user = await db.select({ id: users.id }).from(users).where(eq(users.username, actor)).get();
    // Failed sign-ins with an unknown 账号 carry no id, only the name as typed.
    conditions.push(
      user
        ? or(eq(auditLog.actorId, user.id), and(isNull(auditLog.actorId), eq(auditLog.actorUsername, actor)))
        : and(isNull(auditLog.actorId), eq(auditLog.actorUsername, actor)),
    );
  }
  if (isAuditAction(f.action)) {
    shown.action = f.action;
    conditions.push(eq(auditLog.action, f.action));
  }
  const from = validDay(f.from);
  if (from) {
    shown.from = f.from;
    conditions.push(gte(auditLog.at, from));
  }
  const to = validDay(f.to);
  if (to) {
    shown.to = f.to;
    conditions.push(lt(auditLog.at, new Date(to.getTime() + DAY_MS)));
  }
  const where = and(...conditions);
  const total = (await db.select({ n: count() }).from(auditLog).where(where).get())?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const rows = await db
    .select(rawColumns)
    .from(auditLog)
    .where(where)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE)
    .offset((f.page - 1) * AUDIT_PAGE_SIZE)
    .all();
  return { items: await toDtos(rows), total, page: f.page, pageCount, pageSize: AUDIT_PAGE_SIZE, filter: shown };
}

/** Actions that name a user as their target. */
const USER_TARGET_ACTIONS: AuditAction[] = [
  'user.create',
  'user.update',
  'user.role',
  'user.deactivate',
  'user.reactivate',
  'user.bootstrap',
  'password.reset',
  'password.change',
];

/**
 * What one person did (sign-ins, failures, changes they made) and what was done to their account,
 * newest first. Both halves read an index: actor_id, and the handful of user.* actions.
 */
export async function listAuditForUser(viewer: Viewer, { userId, limit = 20 }: { userId: number; limit?: number }): Promise<AuditRowDto[]> {
  assertRole(viewer, 'auditor');
  const db = getDb();
  const n = Math.min(Math.max(1, limit), 100);
  const byActor = await db
    .select(rawColumns)
    .from(auditLog)
    .where(eq(auditLog.actorId, userId))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(n)
    .all();
  const onTarget = await db
    .select(rawColumns)
    .from(auditLog)
    .where(
      and(
        inArray(auditLog.action, USER_TARGET_ACTIONS),
        eq(auditLog.targetType, 'user'),
        eq(auditLog.targetId, String(userId)),
      ),
    )
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(n)
    .all();
  const merged = new Map<number, RawRow>();
  for (const r of [...byActor, ...onTarget]) merged.set(r.id, r);
  const rows = [...merged.values()]
    .sort((a, b) => b.at.getTime() - a.at.getTime() || b.id - a.id)
    .slice(0, n);
  return await toDtos(rows);
}
