'use client';

import { useActionState } from 'react';
import { createBulletinAction } from '@/app/(organizer)/bulletins/actions';
import { Alert } from '@/components/ui/alert';
import { SubmitButton } from '@/components/ui/button';

/** 新建简报: a draft with the next 期号, opened for composing. */
export function NewBulletinButton({ courseId, nextNumber }: { courseId: number; nextNumber: number }) {
  const [state, action] = useActionState(createBulletinAction, null);
  return (
    <form action={action} className="inline-flex flex-col gap-2">
      <input type="hidden" name="courseId" value={courseId} />
      <SubmitButton pendingText="正在新建…">新建简报（第{nextNumber}期）</SubmitButton>
      {state && !state.ok ? <Alert kind="error">{state.message}</Alert> : null}
    </form>
  );
}
