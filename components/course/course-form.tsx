'use client';

import { useActionState } from 'react';
import { createCourseAction, updateCourseAction } from '@/app/(organizer)/courses/actions';
import { SubmitButton } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormStatus, TextAreaField } from './form-bits';

export interface CourseFormValues {
  id: number;
  name: string;
  columnName: string;
  publisher: string;
  startsOn: string | null;
  endsOn: string | null;
  description: string;
}

/** 新建 (no course) or 基本信息 of an existing course. */
export function CourseForm({ course }: { course?: CourseFormValues }) {
  const [state, action] = useActionState(course ? updateCourseAction : createCourseAction, null);
  const typed = state && !state.ok ? state.values : undefined;
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const value = (k: keyof CourseFormValues) => typed?.[k] ?? (course ? String(course[k] ?? '') : '');
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormStatus state={state} />
      {course ? <input type="hidden" name="id" value={course.id} /> : null}
      <Field
        label="名称"
        name="name"
        defaultValue={value('name')}
        errors={errors?.name}
        maxLength={100}
        placeholder="如：2020年全区党组织书记读书班"
        required
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="栏目"
          name="columnName"
          defaultValue={value('columnName')}
          errors={errors?.columnName}
          maxLength={30}
          hint="简报标题里的简称，如：书记读书班"
        />
        <Field
          label="编印单位"
          name="publisher"
          defaultValue={value('publisher')}
          errors={errors?.publisher}
          maxLength={100}
          hint="印在简报报头左侧"
        />
        <Field label="开始日期" name="startsOn" type="date" defaultValue={value('startsOn')} errors={errors?.startsOn} />
        <Field label="结束日期" name="endsOn" type="date" defaultValue={value('endsOn')} errors={errors?.endsOn} />
      </div>
      <TextAreaField label="简介" name="description" defaultValue={value('description')} errors={errors?.description} maxLength={2000} />
      <SubmitButton pendingText="正在保存…">{course ? '保存' : '创建读书班'}</SubmitButton>
    </form>
  );
}
