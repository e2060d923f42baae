'use client';

import { useActionState } from 'react';
import { addCommentBankAction } from '@/app/(organizer)/review/actions';
import { FormStatus } from '@/components/course/form-bits';
import { inputClass } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionResult } from '@/lib/action-result';

export function AddCommentBankForm({ courses }: { courses: { id: number; name: string }[] }) {
  const [state, formAction] = useActionState<ActionResult | null, FormData>(addCommentBankAction, null);
  const values = state && !state.ok ? state.values : undefined;
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={formAction} className="space-y-3 rounded-lg border border-stone-200 bg-white p-4">
      <h2 className="text-lg font-semibold">添加常用评语</h2>
      <div className="space-y-1">
        <label htmlFor="bank-body" className="block text-sm font-medium text-stone-800">
          评语内容
        </label>
        <textarea
          id="bank-body"
          name="body"
          rows={3}
          maxLength={500}
          defaultValue={values?.body ?? ''}
          aria-invalid={errors?.body ? true : undefined}
          aria-describedby={errors?.body ? 'bank-body-error' : undefined}
          className={`${inputClass} leading-relaxed`}
        />
        {errors?.body ? (
          <p id="bank-body-error" className="text-sm text-red-700">
            {errors.body.join('；')}
          </p>
        ) : null}
      </div>
      <div className="space-y-1">
        <label htmlFor="bank-scope" className="block text-sm font-medium text-stone-800">
          给谁用
        </label>
        <select id="bank-scope" name="courseId" defaultValue={values?.courseId ?? ''} className={inputClass}>
          <option value="">只有我自己</option>
          {courses.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}的组织者共用
            </option>
          ))}
        </select>
      </div>
      <SubmitButton pendingText="正在添加…">加入评语库</SubmitButton>
      <FormStatus state={state} />
    </form>
  );
}
