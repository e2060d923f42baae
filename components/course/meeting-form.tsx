'use client';

import { useActionState } from 'react';
import Link from 'next/link';
import { createMeetingAction, updateMeetingAction } from '@/app/(organizer)/courses/actions';
import { SubmitButton } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormStatus, ReadingCheckboxes, selectedIds, TextAreaField, type ReadingChoice } from './form-bits';

export interface MeetingFormValues {
  id: number;
  title: string;
  /** datetime-local value in Asia/Shanghai */
  startsAt: string;
  place: string;
  presider?: string;
  speech?: string;
  description: string;
  readingIds: number[];
}

/** 添加集中学习 (courseId) or edit one (meeting). */
export function MeetingForm({
  courseId,
  meeting,
  choices,
}: {
  courseId: number;
  meeting?: MeetingFormValues;
  choices: ReadingChoice[];
}) {
  const [state, action] = useActionState(meeting ? updateMeetingAction : createMeetingAction, null);
  const typed = state && !state.ok ? state.values : undefined;
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const value = (k: 'title' | 'startsAt' | 'place' | 'presider' | 'speech' | 'description') => typed?.[k] ?? meeting?.[k] ?? '';
  const selected = selectedIds(typed ? (typed.readingIds ?? '') : undefined, meeting?.readingIds ?? []);
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormStatus state={state} />
      {meeting ? <input type="hidden" name="id" value={meeting.id} /> : <input type="hidden" name="courseId" value={courseId} />}
      <Field label="标题" name="title" defaultValue={value('title')} errors={errors?.title} maxLength={100} placeholder="如：第六次集中学习" required />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="时间"
          name="startsAt"
          type="datetime-local"
          defaultValue={value('startsAt')}
          errors={errors?.startsAt}
          hint="北京时间；不确定可以先空着"
        />
        <Field label="地点" name="place" defaultValue={value('place')} errors={errors?.place} maxLength={100} />
        <Field
          label="主持人"
          name="presider"
          defaultValue={value('presider')}
          errors={errors?.presider}
          maxLength={100}
          placeholder="如：区委组织部副部长张华"
          hint="简报导语写作“……，某某主持”"
        />
        <Field
          label="讲话"
          name="speech"
          defaultValue={value('speech')}
          errors={errors?.speech}
          maxLength={200}
          placeholder="如：区委常委、组织部部长王强作动员讲话"
          hint="谁作了什么讲话；简报导语照此写"
        />
      </div>
      <TextAreaField
        label="说明"
        name="description"
        defaultValue={value('description')}
        errors={errors?.description}
        maxLength={5000}
        rows={5}
        hint="如：原文导读的内容、交流发言的安排"
      />
      <ReadingCheckboxes choices={choices} selected={selected} errors={errors?.readingIds} />
      <p className="text-sm text-stone-600">
        篇目库里没有要读的篇目？先到
        <Link href="/courses/readings" className="mx-1 text-brand-700 underline">
          学习篇目库
        </Link>
        添加。
      </p>
      <SubmitButton pendingText="正在保存…">{meeting ? '保存' : '添加集中学习'}</SubmitButton>
    </form>
  );
}
