'use client';

import { useActionState, useId } from 'react';
import { setMemberGroupAction } from '@/app/(organizer)/courses/actions';
import { SubmitButton } from '@/components/ui/button';

/** One member's 小组: a select and 保存, in the member list. */
export function MemberGroupForm({
  courseId,
  member,
  groups,
}: {
  courseId: number;
  member: { userId: number; name: string; groupId: number | null };
  groups: { id: number; name: string }[];
}) {
  const [state, action] = useActionState(setMemberGroupAction, null);
  const id = useId();
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="courseId" value={courseId} />
      <input type="hidden" name="userId" value={member.userId} />
      <label htmlFor={id} className="sr-only">
        {member.name}的小组
      </label>
      <select id={id} name="groupId" defaultValue={member.groupId ?? ''} className="min-h-11 min-w-28 rounded-md border border-stone-300 bg-white px-3 py-2 text-base text-stone-900">
        <option value="">未分组</option>
        {groups.map((g) => (
          <option key={g.id} value={g.id}>
            {g.name}
          </option>
        ))}
      </select>
      <SubmitButton variant="secondary" pendingText="保存中…">
        保存<span className="sr-only">{member.name}的小组</span>
      </SubmitButton>
      {state ? (
        <span role={state.ok ? 'status' : 'alert'} className={`text-sm ${state.ok ? 'text-green-800' : 'text-red-700'}`}>
          {state.message}
        </span>
      ) : null}
    </form>
  );
}
