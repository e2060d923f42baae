'use client';

import { useActionState } from 'react';
import { createAssignmentAction, updateAssignmentAction } from '@/app/(organizer)/courses/actions';
import { SubmitButton } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { CheckboxField, FormStatus, ReadingCheckboxes, selectedIds, TextAreaField, type ReadingChoice } from './form-bits';

export interface AssignmentFormValues {
  id: number;
  title: string;
  prompt: string;
  /** datetime-local values in Asia/Shanghai */
  dueAt: string;
  cutoffAt: string;
  minChars: number;
  maxChars: number;
  allowLate: boolean;
  readingIds: number[];
}

/** 布置心得任务 for a meeting, or edit one. New tasks start with the meeting's readings ticked. */
export function AssignmentForm({
  meetingId,
  assignment,
  choices,
  defaultReadingIds,
}: {
  meetingId: number;
  assignment?: AssignmentFormValues;
  choices: ReadingChoice[];
  defaultReadingIds: number[];
}) {
  const [state, action] = useActionState(assignment ? updateAssignmentAction : createAssignmentAction, null);
  const typed = state && !state.ok ? state.values : undefined;
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const value = (k: 'title' | 'prompt' | 'dueAt' | 'cutoffAt') => typed?.[k] ?? assignment?.[k] ?? '';
  const limit = (k: 'minChars' | 'maxChars') => typed?.[k] ?? (assignment?.[k] ? String(assignment[k]) : '');
  const allowLate = typed ? typed.allowLate === 'on' : (assignment?.allowLate ?? true);
  const selected = selectedIds(typed ? (typed.readingIds ?? '') : undefined, assignment?.readingIds ?? defaultReadingIds);
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormStatus state={state} />
      {assignment ? <input type="hidden" name="id" value={assignment.id} /> : <input type="hidden" name="meetingId" value={meetingId} />}
      <Field
        label="任务名称"
        name="title"
        defaultValue={value('title')}
        errors={errors?.title}
        maxLength={100}
        placeholder="如：第六次集中学习心得体会"
        required
      />
      <TextAreaField
        label="写作要求"
        name="prompt"
        defaultValue={value('prompt')}
        errors={errors?.prompt}
        maxLength={5000}
        rows={5}
        hint="学员写作时会看到这段话"
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="截止时间" name="dueAt" type="datetime-local" defaultValue={value('dueAt')} errors={errors?.dueAt} hint="北京时间" required />
        <Field
          label="停止提交时间"
          name="cutoffAt"
          type="datetime-local"
          defaultValue={value('cutoffAt')}
          errors={errors?.cutoffAt}
          hint="可不填；填写时不能早于截止时间，到点后不再接收提交"
        />
        <Field
          label="最少字数"
          name="minChars"
          type="number"
          inputMode="numeric"
          min={0}
          max={100000}
          defaultValue={limit('minChars')}
          errors={errors?.minChars}
          hint="0 或不填为不限"
        />
        <Field
          label="最多字数"
          name="maxChars"
          type="number"
          inputMode="numeric"
          min={0}
          max={100000}
          defaultValue={limit('maxChars')}
          errors={errors?.maxChars}
          hint="0 或不填为不限"
        />
      </div>
      <CheckboxField
        label="允许逾期提交"
        name="allowLate"
        defaultChecked={allowLate}
        hint="截止时间后仍可提交，提交会标注为逾期；不勾选则截止后不能提交"
      />
      <ReadingCheckboxes choices={choices} selected={selected} errors={errors?.readingIds} />
      <SubmitButton pendingText="正在保存…">{assignment ? '保存' : '布置任务'}</SubmitButton>
    </form>
  );
}
