'use client';

import { useActionState } from 'react';
import Link from 'next/link';
import { createGroupAction, updateGroupAction } from '@/app/(organizer)/courses/actions';
import { buttonClass, SubmitButton } from '@/components/ui/button';
import { Field, SelectField } from '@/components/ui/field';
import { FormStatus } from './form-bits';

/** 添加小组, or edit one (with a 取消 link back to the list). */
export function GroupForm({
  courseId,
  group,
  members,
  cancelHref,
}: {
  courseId: number;
  group?: { id: number; name: string; leaderId: number | null };
  members: { id: number; name: string; title: string }[];
  cancelHref?: string;
}) {
  const [state, action] = useActionState(group ? updateGroupAction : createGroupAction, null);
  const typed = state && !state.ok ? state.values : undefined;
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormStatus state={state} />
      {group ? <input type="hidden" name="id" value={group.id} /> : <input type="hidden" name="courseId" value={courseId} />}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="小组名称"
          name="name"
          defaultValue={typed?.name ?? group?.name ?? ''}
          errors={errors?.name}
          maxLength={40}
          placeholder="如：第一组"
          required
        />
        <SelectField label="组长" name="leaderId" defaultValue={typed?.leaderId ?? String(group?.leaderId ?? '')} errors={errors?.leaderId}>
          <option value="">暂不设组长</option>
          {members.map((m) => (
            <option key={m.id} value={m.id}>
              {m.title ? `${m.name}(${m.title})` : m.name}
            </option>
          ))}
        </SelectField>
      </div>
      <p className="text-sm text-stone-600">组长从本班学员中选，选定后会分到这个小组。</p>
      <div className="flex flex-wrap gap-3">
        <SubmitButton pendingText="正在保存…">{group ? '保存' : '添加小组'}</SubmitButton>
        {cancelHref ? (
          <Link href={cancelHref} className={buttonClass('secondary')}>
            取消
          </Link>
        ) : null}
      </div>
    </form>
  );
}
