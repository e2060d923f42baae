'use client';

import { useActionState } from 'react';
import { resetTwoFactorAction, setTwoFactorPolicyAction } from '@/app/(admin)/admin/two-factor-actions';
import { Alert } from '@/components/ui/alert';
import { SubmitButton } from '@/components/ui/button';

/** 重置两步验证 for a person who lost their phone and their recovery codes. */
export function ResetTwoFactorForm({ userId, username }: { userId: number; username: string }) {
  const [state, action] = useActionState(resetTwoFactorAction, null);
  return (
    <form action={action} className="space-y-3">
      {state ? <Alert kind={state.ok ? 'success' : 'error'}>{state.message}</Alert> : null}
      <input type="hidden" name="id" value={String(userId)} />
      <p className="text-sm text-stone-700">
        {username} 的手机和恢复码都丢失时使用：清除其验证器密钥和恢复码，退出其所有登录，下次登录时重新启用。此操作记入审计日志。
      </p>
      <SubmitButton variant="secondary" pendingText="正在重置…">
        重置两步验证
      </SubmitButton>
    </form>
  );
}

/** Whether organizers must use 两步验证 too. */
export function TwoFactorPolicyForm({ organizers }: { organizers: boolean }) {
  const [state, action] = useActionState(setTwoFactorPolicyAction, null);
  return (
    <form action={action} className="space-y-3">
      {state ? <Alert kind={state.ok ? 'success' : 'error'}>{state.message}</Alert> : null}
      <label className="flex items-start gap-2 text-base">
        <input type="checkbox" name="organizers" defaultChecked={organizers} className="mt-1 size-5" />
        <span>组织者也必须使用两步验证（下次登录时启用）</span>
      </label>
      <SubmitButton pendingText="正在保存…">保存</SubmitButton>
    </form>
  );
}
