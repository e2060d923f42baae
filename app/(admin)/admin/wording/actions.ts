'use server';

import { saveWordingRule, setWordingRuleEnabled } from '@/db/queries/wording/admin';
import { formAction, formSubmit } from '@/lib/server-action';

// 规范提法规则: add or edit (a form with its messages), disable or re-enable (one button per row).

export const saveWordingRuleAction = formAction(saveWordingRule, {
  revalidate: ['/admin/wording'],
  message: (r) => `已保存规则 ${r.code}`,
  success: (r) => ({ code: r.code }),
});

export const setWordingRuleEnabledAction = formSubmit(setWordingRuleEnabled, { revalidate: ['/admin/wording'] });
