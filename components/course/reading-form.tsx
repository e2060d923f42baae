'use client';

import { useActionState } from 'react';
import { createReadingAction, updateReadingAction } from '@/app/(organizer)/courses/actions';
import { SubmitButton } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormStatus, TextAreaField } from './form-bits';

export interface ReadingFormValues {
  id: number;
  title: string;
  source: string;
  chapters: string;
  notes: string;
}

/** 添加篇目 to the library, or edit one. */
export function ReadingForm({ reading }: { reading?: ReadingFormValues }) {
  const [state, action] = useActionState(reading ? updateReadingAction : createReadingAction, null);
  const typed = state && !state.ok ? state.values : undefined;
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const value = (k: 'title' | 'source' | 'chapters' | 'notes') => typed?.[k] ?? reading?.[k] ?? '';
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormStatus state={state} />
      {reading ? <input type="hidden" name="id" value={reading.id} /> : null}
      <Field label="篇名" name="title" defaultValue={value('title')} errors={errors?.title} maxLength={200} placeholder="如：《论党的自我革命》" required />
      <Field label="出处" name="source" defaultValue={value('source')} errors={errors?.source} maxLength={200} placeholder="如：中央文献出版社" />
      <Field label="章节" name="chapters" defaultValue={value('chapters')} errors={errors?.chapters} maxLength={500} hint="可不填；如只读其中几篇，写在这里" />
      <TextAreaField label="备注" name="notes" defaultValue={value('notes')} errors={errors?.notes} maxLength={2000} rows={3} />
      <SubmitButton pendingText="正在保存…">{reading ? '保存' : '添加篇目'}</SubmitButton>
    </form>
  );
}
