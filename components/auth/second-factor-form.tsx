'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import { secondFactorAction } from '@/app/(auth)/login/two-factor/actions';
import { Alert } from '@/components/ui/alert';
import { SubmitButton } from '@/components/ui/button';
import { Field } from '@/components/ui/field';

/** The code field of the second sign-in step; after enrolment, the ten recovery codes, shown once. */
export function SecondFactorForm({ mode }: { mode: 'verify' | 'enrol' }) {
  const [state, action] = useActionState(secondFactorAction, null);
  if (state?.ok && state.data) {
    return (
      <div className="space-y-4">
        <Alert kind="success">两步验证已启用。</Alert>
        <section aria-labelledby="recovery-heading">
          <h2 id="recovery-heading" className="text-base font-semibold">
            恢复码（只显示这一次）
          </h2>
          <p className="mt-1 text-sm text-stone-700">手机丢失时，每个恢复码可代替验证码登录一次。请抄下或打印后妥善保管。</p>
          <ol aria-label="恢复码" className="mt-3 grid grid-cols-2 gap-2 font-mono text-base">
            {state.data.recoveryCodes.map((c) => (
              <li key={c} className="rounded border border-stone-200 bg-stone-50 px-2 py-1 text-center">
                {c}
              </li>
            ))}
          </ol>
        </section>
        <Link href={state.data.next} className="block w-full rounded-md bg-brand-600 px-4 py-2 text-center font-medium text-white hover:bg-brand-700">
          我已保存恢复码，继续
        </Link>
      </div>
    );
  }
  return (
    <form action={action} method="post" className="space-y-4" noValidate>
      {state && !state.ok ? <Alert kind="error">{state.message}</Alert> : null}
      <Field
        label="验证码"
        name="code"
        inputMode={mode === 'enrol' ? 'numeric' : 'text'}
        autoComplete="one-time-code"
        autoCapitalize="characters"
        spellCheck={false}
        maxLength={20}
        hint={mode === 'enrol' ? '验证器显示的 6 位数字' : '验证器显示的 6 位数字；手机不在身边时可输入一个恢复码'}
        required
      />
      <SubmitButton className="w-full" pendingText="正在验证…">
        {mode === 'enrol' ? '启用并登录' : '验证并登录'}
      </SubmitButton>
    </form>
  );
}
