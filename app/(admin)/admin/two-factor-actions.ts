'use server';

import { resetTwoFactor, setTwoFactorPolicy } from '@/db/queries/two-factor';
import { formAction } from '@/lib/server-action';

// 两步验证: an account's reset (a lost phone) and whether organizers must use it too.

export const resetTwoFactorAction = formAction(resetTwoFactor, {
  revalidate: (input) => [`/admin/users/${input.id}`],
  message: '两步验证已重置：该账号已退出所有登录，下次登录时重新启用',
});

export const setTwoFactorPolicyAction = formAction(setTwoFactorPolicy, {
  revalidate: ['/admin/security'],
  message: (_r, input) => (input.organizers ? '已要求组织者使用两步验证，下次登录时启用' : '组织者不再必须使用两步验证（已启用的仍然保留）'),
});
