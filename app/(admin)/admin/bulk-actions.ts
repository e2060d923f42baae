'use server';

import { bulkChangeUsers } from '@/db/queries/users/bulk';
import { formAction } from '@/lib/server-action';

type Op = 'deactivate' | 'move' | 'role';

const DONE: Record<Op, (n: number) => string> = {
  deactivate: (n) => `已停用 ${n} 人，他们的登录已全部失效`,
  move: (n) => `已把 ${n} 人移到新单位`,
  role: (n) => `已修改 ${n} 人的角色`,
};

const SAME: Record<Op, string> = {
  deactivate: '原已停用',
  move: '原本就在该单位',
  role: '原本就是该角色',
};

/** 批量停用 / 批量移动到单位 / 批量修改角色 from the account list's ticked rows. */
export const bulkUsersAction = formAction(bulkChangeUsers, {
  lists: ['ids'],
  // The form carries every op's fields; each op's strict schema takes only its own.
  input: ({ op, ids, unitId, role }) => ({
    op,
    ids,
    ...(op === 'move' ? { unitId: unitId ?? '' } : {}),
    ...(op === 'role' ? { role: role ?? '' } : {}),
  }),
  revalidate: ['/admin'],
  message: (r, input) => `${DONE[input.op](r.affected)}${r.unchanged > 0 ? `；另有 ${r.unchanged} 人${SAME[input.op]}` : ''}`,
});
