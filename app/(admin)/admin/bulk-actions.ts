'use server';

import { revalidatePath } from 'next/cache';
import { bulkDeactivateUsers, bulkMoveUsers, bulkSetRole } from '@/db/queries/users';
import { invalid, type ActionResult } from '@/lib/action-result';
import { requireRole } from '@/lib/auth/viewer';
import { requestInfo } from '@/lib/request';
import { bulkActionSchema } from '@/lib/validation/bulk-users';

const DONE: Record<'deactivate' | 'move' | 'role', (n: number) => string> = {
  deactivate: (n) => `已停用 ${n} 人,他们的登录已全部失效`,
  move: (n) => `已把 ${n} 人移到新单位`,
  role: (n) => `已修改 ${n} 人的角色`,
};

const SAME: Record<'deactivate' | 'move' | 'role', string> = {
  deactivate: '原已停用',
  move: '原本就在该单位',
  role: '原本就是该角色',
};

/** 批量停用 / 批量移动到单位 / 批量修改角色 from the account list's ticked rows. */
export async function bulkUsersAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('admin');
  const op = form.get('op');
  const input = {
    op,
    ids: form.getAll('ids').filter((v): v is string => typeof v === 'string'),
    ...(op === 'move' ? { unitId: form.get('unitId') ?? '' } : {}),
    ...(op === 'role' ? { role: form.get('role') ?? '' } : {}),
  };
  const parsed = bulkActionSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const req = await requestInfo();
  const data = parsed.data;
  const result =
    data.op === 'deactivate'
      ? bulkDeactivateUsers(viewer, { ids: data.ids }, req)
      : data.op === 'move'
        ? bulkMoveUsers(viewer, { ids: data.ids, unitId: data.unitId }, req)
        : bulkSetRole(viewer, { ids: data.ids, role: data.role }, req);
  if (!result.ok) return result;
  revalidatePath('/admin');
  const rest = result.unchanged > 0 ? `;另有 ${result.unchanged} 人${SAME[data.op]}` : '';
  return { ok: true, message: `${DONE[data.op](result.affected)}${rest}` };
}
