'use client';

import { useActionState, useRef, useState } from 'react';
import { resetPasswordAction, setUserActiveAction } from '@/app/(admin)/admin/actions';
import { Alert } from '@/components/ui/alert';
import { SubmitButton, buttonClass } from '@/components/ui/button';
import { OneTimePassword } from './one-time-password';

/**
 * 重置密码 asks once more before it acts: a reset ends the person's sign-ins and their old password
 * at once, so a stray click should not do it.
 */
export function ResetPasswordForm({ userId, username }: { userId: number; username: string }) {
  const [state, action] = useActionState(resetPasswordAction, null);
  // The confirmation belongs to the result it was opened after: once a new result arrives
  // (reset done or refused), it closes by itself.
  const [openedAt, setOpenedAt] = useState<{ state: typeof state } | null>(null);
  const confirming = openedAt !== null && openedAt.state === state;
  const focusTrigger = useRef(false);
  const issued = state?.ok ? state.data : undefined;
  return (
    <div className="space-y-3">
      {state && !state.ok ? <Alert kind="error">{state.message}</Alert> : null}
      {issued ? (
        <>
          <Alert kind="success">{state?.message}</Alert>
          <OneTimePassword issued={issued} />
        </>
      ) : null}
      {confirming ? (
        <form
          action={action}
          className="space-y-3 rounded-md border border-red-200 bg-red-50 p-4"
        >
          <input type="hidden" name="id" value={String(userId)} />
          <p className="text-base text-stone-900">
            确定要重置 <strong>{username}</strong> 的密码吗？旧密码立即失效，该账号所有已登录的设备都会被退出。
          </p>
          <div className="flex flex-wrap gap-2">
            <SubmitButton variant="danger" pendingText="正在重置…" autoFocus>
              确认重置
            </SubmitButton>
            <button type="button" className={buttonClass('secondary')} onClick={() => {
                focusTrigger.current = true;
                setOpenedAt(null);
              }}>
              取消
            </button>
          </div>
        </form>
      ) : (
        <button
          type="button"
          className={buttonClass('secondary')}
          onClick={() => setOpenedAt({ state })}
          ref={(el) => {
            // Back from 取消: keyboard focus returns to where it was.
            if (el && focusTrigger.current) {
              focusTrigger.current = false;
              el.focus();
            }
          }}
        >
          重置密码
        </button>
      )}
    </div>
  );
}

/** 停用账号 / 启用账号. A deactivated person is signed out everywhere at once. */
export function UserStatusForm({
  userId,
  active,
  isSelf,
}: {
  userId: number;
  active: boolean;
  isSelf: boolean;
}) {
  const [state, action] = useActionState(setUserActiveAction, null);
  return (
    <form action={action} className="space-y-3">
      {state && !state.ok ? <Alert kind="error">{state.message}</Alert> : null}
      {state?.ok ? <Alert kind="success">{state.message}</Alert> : null}
      <input type="hidden" name="id" value={String(userId)} />
      <input type="hidden" name="active" value={active ? 'false' : 'true'} />
      {active ? (
        isSelf ? (
          <p className="text-base text-stone-700">这是你自己的账号，不能停用。</p>
        ) : (
          <>
            <p className="text-sm text-stone-600">停用后此人无法登录，已登录的设备立即退出；账号和学习记录都会保留。</p>
            <SubmitButton variant="danger" pendingText="正在停用…">
              停用账号
            </SubmitButton>
          </>
        )
      ) : (
        <>
          <p className="text-sm text-stone-600">此账号已停用，启用后可用原密码登录。</p>
          <SubmitButton pendingText="正在启用…">启用账号</SubmitButton>
        </>
      )}
    </form>
  );
}
