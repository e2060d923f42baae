'use client';

import { useActionState } from 'react';
import { changePasswordAction } from '@/app/(auth)/actions';
import { Alert } from '@/components/ui/alert';
import { SubmitButton } from '@/components/ui/button';
import { Field } from '@/components/ui/field';

export function ChangePasswordForm() {
  const [state, action] = useActionState(changePasswordAction, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={action} method="post" className="space-y-4" noValidate>
      {state && !state.ok ? <Alert kind="error">{state.message}</Alert> : null}
      <Field label="当前密码" name="currentPassword" type="password" autoComplete="current-password" errors={errors?.currentPassword} required />
      <Field
        label="新密码"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        hint="至少 8 个字符，不能是常见密码，不能包含账号。可以用一句好记的话。"
        errors={errors?.newPassword}
        required
      />
      <Field label="确认新密码" name="confirmPassword" type="password" autoComplete="new-password" errors={errors?.confirmPassword} required />
      <SubmitButton className="w-full" pendingText="正在保存…">
        修改密码
      </SubmitButton>
    </form>
  );
}
