import 'server-only';
import { and, count, eq, inArray, notInArray } from 'drizzle-orm';
import type { z } from 'zod';
import type { Tx } from '@/db';
import { actorOf, writeAudit } from '@/db/audit';
import { mutation, type MutationContext } from '@/db/mutation';
import { unitPathOf } from '@/db/queries/account';
import { revokeSessions } from '@/db/queries/auth';
import { users, type Role } from '@/db/schema';
import { fail, type Failure } from '@/lib/action-result';
import { canChangeOwnAccess } from '@/lib/authz';
import { bulkActionSchema, type bulkDeactivateSchema, type bulkMoveSchema, type bulkRoleSchema } from '@/lib/validation/bulk-users';
import { LAST_ADMIN, unitExists, unitMissing } from './shared';

// 批量停用 / 批量移动到单位 / 批量修改角色 on the ticked rows of the account list: each all or nothing.

export type BulkDone = { ok: true; affected: number; unchanged: number };

type BulkTarget = { id: number; username: string; role: Role; active: boolean; unitId: number | null };

async function bulkTargets(tx: Tx, ids: number[]): Promise<BulkTarget[] | Failure> {
  const rows = await tx
    .select({ id: users.id, username: users.username, role: users.role, active: users.active, unitId: users.unitId })
    .from(users)
    .where(inArray(users.id, ids))
    .all();
  if (rows.length !== ids.length) {
    return fail('not_found', `有 ${ids.length - rows.length} 个账号已不存在，请刷新后重试`);
  }
  return rows;
}

/** Active admins left once these people stop being active admins. */
async function activeAdminsWithout(tx: Tx, ids: number[]): Promise<number> {
  return (
    (await tx
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.role, 'admin'), eq(users.active, true), notInArray(users.id, ids)))
      .get())?.n ?? 0
  );
}

/**
 * Refused when it includes the admin themself or would leave no active admin; people already
 * inactive are counted as unchanged. Sign-ins of those deactivated end.
 */
async function deactivate(tx: Tx, { viewer, request }: MutationContext, { ids }: z.output<typeof bulkDeactivateSchema>): Promise<BulkDone | Failure> {
  if (ids.some((id) => !canChangeOwnAccess(viewer, id))) return fail('forbidden', '不能停用自己的账号，请取消勾选自己');
  const targets = await bulkTargets(tx, ids);
  if (!Array.isArray(targets)) return targets;
  const changing = targets.filter((t) => t.active);
  if (changing.some((t) => t.role === 'admin') && await activeAdminsWithout(tx, changing.map((t) => t.id)) === 0) {
    return fail('last_admin', LAST_ADMIN);
  }
  if (changing.length > 0) {
    const changingIds = changing.map((t) => t.id);
    await tx.update(users).set({ active: false, updatedAt: new Date() }).where(inArray(users.id, changingIds)).run();
    await revokeSessions(tx, changingIds);
  }
  for (const t of changing) {
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'user.deactivate',
      targetType: 'user',
      targetId: t.id,
      detail: { username: t.username, bulk: changing.length },
    });
  }
  return { ok: true, affected: changing.length, unchanged: targets.length - changing.length };
}

/** unitId null: 无单位. */
async function move(tx: Tx, { viewer, request }: MutationContext, { ids, unitId }: z.output<typeof bulkMoveSchema>): Promise<BulkDone | Failure> {
  if (!await unitExists(tx, unitId)) return unitMissing();
  const targets = await bulkTargets(tx, ids);
  if (!Array.isArray(targets)) return targets;
  const changing = targets.filter((t) => t.unitId !== unitId);
  if (changing.length > 0) {
    await tx.update(users)
      .set({ unitId, updatedAt: new Date() })
      .where(inArray(users.id, changing.map((t) => t.id)))
      .run();
  }
  const to = unitId === null ? null : await unitPathOf(unitId);
  const paths = new Map<number, string>();
  for (const t of changing) {
    if (t.unitId !== null && !paths.has(t.unitId)) paths.set(t.unitId, await unitPathOf(t.unitId));
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'user.update',
      targetType: 'user',
      targetId: t.id,
      detail: {
        username: t.username,
        changes: { unit: { from: t.unitId === null ? null : (paths.get(t.unitId) ?? null), to } },
        bulk: changing.length,
      },
    });
  }
  return { ok: true, affected: changing.length, unchanged: targets.length - changing.length };
}

/** Nobody changes their own role, and the last active admin keeps theirs. */
async function setRole(tx: Tx, { viewer, request }: MutationContext, { ids, role }: z.output<typeof bulkRoleSchema>): Promise<BulkDone | Failure> {
  const targets = await bulkTargets(tx, ids);
  if (!Array.isArray(targets)) return targets;
  const changing = targets.filter((t) => t.role !== role);
  if (changing.some((t) => !canChangeOwnAccess(viewer, t.id))) {
    return fail('forbidden', '不能修改自己的角色，请取消勾选自己');
  }
  const demoted = changing.filter((t) => t.role === 'admin' && t.active);
  if (demoted.length > 0 && await activeAdminsWithout(tx, demoted.map((t) => t.id)) === 0) {
    return fail('last_admin', LAST_ADMIN);
  }
  if (changing.length > 0) {
    await tx.update(users)
      .set({ role, updatedAt: new Date() })
      .where(inArray(users.id, changing.map((t) => t.id)))
      .run();
  }
  for (const t of changing) {
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'user.role',
      targetType: 'user',
      targetId: t.id,
      detail: { username: t.username, from: t.role, to: role, bulk: changing.length },
    });
  }
  return { ok: true, affected: changing.length, unchanged: targets.length - changing.length };
}

/** One bulk change (op: deactivate, move or role) on the ticked accounts. */
export const bulkChangeUsers = mutation({
  roles: ['admin'],
  schema: bulkActionSchema,
  async run(tx, ctx, input) {
    if (input.op === 'deactivate') return await deactivate(tx, ctx, input);
    if (input.op === 'move') return await move(tx, ctx, input);
    return await setRole(tx, ctx, input);
  },
});
