'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import { createUserAction, updateUserAction } from '@/app/(admin)/admin/actions';
import type { UnitOptionDto } from '@/db/queries/units';
import { Alert } from '@/components/ui/alert';
import { SubmitButton } from '@/components/ui/button';
import { Field, SelectField } from '@/components/ui/field';
import type { FieldErrors, FormValues } from '@/lib/action-result';
import { OneTimePassword } from './one-time-password';
import { UnitOptions } from './unit-options';

/** 学员 / 组织者 / 管理员, in the order an admin most often needs them. */
const ROLE_OPTIONS = [
  { value: 'cadre', label: '学员' },
  { value: 'organizer', label: '组织者' },
  { value: 'admin', label: '管理员' },
  { value: 'auditor', label: '审计员' },
] as const;

export interface UserFormValues {
  username: string;
  name: string;
  title: string;
  /** '' for 无 */
  unitId: string;
  role: string;
}

const EMPTY: UserFormValues = { username: '', name: '', title: '', unitId: '', role: 'cadre' };

function pick(values: FormValues | undefined, fallback: UserFormValues): UserFormValues {
  if (!values) return fallback;
  return {
    username: values.username ?? fallback.username,
    name: values.name ?? fallback.name,
    title: values.title ?? fallback.title,
    unitId: values.unitId ?? fallback.unitId,
    role: values.role ?? fallback.role,
  };
}

function UserFields({
  values,
  errors,
  units,
  roleHint,
}: {
  values: UserFormValues;
  errors?: FieldErrors;
  units: UnitOptionDto[];
  roleHint?: string;
}) {
  // Keyed by the values: after a refused submit React resets the form, and a remount makes the
  // reset land on what the person typed rather than on the first defaults.
  return (
    <div key={JSON.stringify(values)} className="grid gap-4 sm:grid-cols-2">
      <Field
        label="账号"
        name="username"
        defaultValue={values.username}
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        maxLength={32}
        required
        hint="用于登录，字母、数字和 . _ -，例如 xiadingyang"
        errors={errors?.username}
      />
      <Field label="姓名" name="name" defaultValue={values.name} maxLength={40} required errors={errors?.name} />
      <div className="sm:col-span-2">
        <Field
          label="职务"
          name="title"
          defaultValue={values.title}
          maxLength={200}
          hint="多个职务用顿号“、”隔开"
          errors={errors?.title}
        />
      </div>
      <SelectField label="单位" name="unitId" defaultValue={values.unitId} errors={errors?.unitId}>
        <option value="">无</option>
        <UnitOptions units={units} />
      </SelectField>
      <div className="space-y-1">
        <SelectField label="角色" name="role" defaultValue={values.role} required errors={errors?.role}>
          {ROLE_OPTIONS.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </SelectField>
        {roleHint ? <p className="text-sm text-stone-600">{roleHint}</p> : null}
      </div>
    </div>
  );
}

export function CreateUserForm({ units }: { units: UnitOptionDto[] }) {
  const [state, action] = useActionState(createUserAction, null);
  const failed = state && !state.ok ? state : null;
  const issued = state?.ok ? state.data : undefined;
  return (
    <div className="space-y-5">
      {issued ? (
        <section aria-label="新账号" className="space-y-3">
          <Alert kind="success">{state?.message}</Alert>
          <OneTimePassword issued={issued} />
          <p className="text-base">
            <Link href={`/admin/users/${issued.userId}`} className="text-brand-700 underline underline-offset-2">
              查看账号 {issued.username}
            </Link>
            ，或在下面继续新建账号。
          </p>
        </section>
      ) : null}
      <form action={action} className="space-y-5 rounded-lg border border-stone-200 bg-white p-5" noValidate>
        {failed ? <Alert kind="error">{failed.message}</Alert> : null}
        <UserFields values={pick(failed?.values, EMPTY)} errors={failed?.fieldErrors} units={units} />
        <p className="text-sm text-stone-600">
          创建后系统会生成一次性密码，只显示一次；本人首次登录后须修改，14 天内不用即失效。
        </p>
        <SubmitButton pendingText="正在创建…">创建账号</SubmitButton>
      </form>
    </div>
  );
}

export function EditUserForm({
  userId,
  initial,
  units,
  isSelf,
}: {
  userId: number;
  initial: UserFormValues;
  units: UnitOptionDto[];
  isSelf: boolean;
}) {
  const [state, action] = useActionState(updateUserAction, null);
  const failed = state && !state.ok ? state : null;
  return (
    <form action={action} className="space-y-5" noValidate>
      {failed ? <Alert kind="error">{failed.message}</Alert> : null}
      {state?.ok ? <Alert kind="success">{state.message}</Alert> : null}
      <input type="hidden" name="id" value={String(userId)} />
      <UserFields
        values={pick(failed?.values, initial)}
        errors={failed?.fieldErrors}
        units={units}
        roleHint={isSelf && initial.role === 'admin' ? '这是你自己的账号：不能取消自己的管理员角色。' : undefined}
      />
      <SubmitButton pendingText="正在保存…">保存修改</SubmitButton>
    </form>
  );
}
