'use client';

import { useActionState, useId } from 'react';
import { enrollMembersAction } from '@/app/(organizer)/courses/actions';
import { SubmitButton } from '@/components/ui/button';
import { SelectField } from '@/components/ui/field';
import { FormStatus } from './form-bits';

export interface CandidateRow {
  id: number;
  name: string;
  username: string;
  title: string;
  unitPath: string;
  enrolled: boolean;
}

/** The search results as checkboxes; 加入读书班 enrolls every ticked cadre, optionally into a group. */
export function EnrollForm({
  courseId,
  candidates,
  groups,
}: {
  courseId: number;
  candidates: CandidateRow[];
  groups: { id: number; name: string }[];
}) {
  const [state, action] = useActionState(enrollMembersAction, null);
  const typed = state && !state.ok ? state.values : undefined;
  const ticked = new Set((typed?.userIds ?? '').split(',').filter(Boolean).map(Number));
  const id = useId();
  const open = candidates.filter((c) => !c.enrolled);
  return (
    <form action={action} className="space-y-3" noValidate>
      <FormStatus state={state} />
      <input type="hidden" name="courseId" value={courseId} />
      <fieldset>
        <legend className="mb-2 text-sm font-medium text-stone-800">勾选要加入的学员</legend>
        <ul className="divide-y divide-stone-100 rounded-md border border-stone-200 bg-white">
          {candidates.map((c) => (
            <li key={c.id} className="flex items-start gap-3 px-3 py-2">
              <input
                id={`${id}-${c.id}`}
                type="checkbox"
                name="userIds"
                value={c.id}
                disabled={c.enrolled}
                defaultChecked={ticked.has(c.id)}
                aria-describedby={`${id}-${c.id}-d`}
                className="mt-1 size-5 shrink-0 accent-brand-600"
              />
              <span className="min-w-0 flex-1">
                <label htmlFor={`${id}-${c.id}`} className="font-medium text-stone-900">
                  {c.name}
                </label>
                <span className="ml-2 text-sm text-stone-500">{c.username}</span>
                {c.enrolled ? <span className="ml-2 rounded bg-stone-100 px-1.5 py-0.5 text-xs text-stone-700">已加入</span> : null}
                <span id={`${id}-${c.id}-d`} className="block break-words text-sm text-stone-600">
                  {[c.title, c.unitPath].filter(Boolean).join(' · ') || '未填写职务和单位'}
                </span>
              </span>
            </li>
          ))}
        </ul>
      </fieldset>
      {open.length > 0 ? (
        <div className="flex flex-wrap items-end gap-3">
          {groups.length > 0 ? (
            <div className="w-full sm:w-60">
              <SelectField label="分到小组" name="groupId" defaultValue={typed?.groupId ?? ''}>
                <option value="">暂不分组</option>
                {groups.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name}
                  </option>
                ))}
              </SelectField>
            </div>
          ) : (
            <input type="hidden" name="groupId" value="" />
          )}
          <SubmitButton pendingText="正在加入…">加入读书班</SubmitButton>
        </div>
      ) : (
        <p className="text-sm text-stone-600">找到的学员都已在这个读书班中。</p>
      )}
    </form>
  );
}
