'use client';

import { useActionState } from 'react';
import { signInAction } from '@/app/(auth)/actions';
import { Alert } from '@/components/ui/alert';
import { SubmitButton } from '@/components/ui/button';
import { Field } from '@/components/ui/field';

export function SignInForm({ callbackUrl }: { callbackUrl?: string }) {
  const [state, action] = useActionState(signInAction, null);
  const values = state && !state.ok ? state.values : undefined;
  return (
    <form action={action} method="post" className="space-y-4" noValidate>
      {state && !state.ok ? <Alert kind="error">{state.message}</Alert> : null}
      {callbackUrl ? <input type="hidden" name="callbackUrl" value={values?.callbackUrl ?? callbackUrl} /> : null}
      <Field label="账号" name="username" defaultValue={values?.username} autoComplete="username" autoCapitalize="none" spellCheck={false} required />
      <Field label="密码" name="password" type="password" autoComplete="current-password" required />
      <SubmitButton className="w-full" pendingText="正在登录…">
        登录
      </SubmitButton>
    </form>
  );
}
