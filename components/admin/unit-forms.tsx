'use client';

import { useActionState, useRef, useState } from 'react';
import {
  createUnitAction,
  deleteUnitAction,
  moveUnitAction,
  renameUnitAction,
} from '@/app/(admin)/admin/actions';
import type { UnitOptionDto } from '@/db/queries/units';
import { Alert } from '@/components/ui/alert';
import { SubmitButton, buttonClass } from '@/components/ui/button';
import { Field, SelectField } from '@/components/ui/field';
import { UnitOptions } from './unit-options';

function Result({ state }: { state: { ok: boolean; message: string } | null }) {
  if (!state) return null;
  return <Alert kind={state.ok ? 'success' : 'error'}>{state.message}</Alert>;
}

export function AddUnitForm({ units, defaultParentId }: { units: UnitOptionDto[]; defaultParentId: string }) {
  const [state, action] = useActionState(createUnitAction, null);
  const failed = state && !state.ok ? state : null;
  const values = { name: failed?.values?.name ?? '', parentId: failed?.values?.parentId ?? defaultParentId };
  return (
    <form action={action} aria-label="添加单位" className="space-y-4" noValidate>
      <Result state={state} />
      <div key={JSON.stringify(values)} className="grid gap-4 sm:grid-cols-2">
        <Field
          label="单位名称"
          name="name"
          defaultValue={values.name}
          maxLength={60}
          required
          hint="例如 牛首镇、五角场街道、长寿岛社区"
          errors={failed?.fieldErrors?.name}
        />
        <SelectField label="上级单位" name="parentId" defaultValue={values.parentId} errors={failed?.fieldErrors?.parentId}>
          <option value="">无（作为顶级单位）</option>
          <UnitOptions units={units} />
        </SelectField>
      </div>
      <SubmitButton pendingText="正在添加…">添加单位</SubmitButton>
    </form>
  );
}

export function RenameUnitForm({ unitId, name }: { unitId: number; name: string }) {
  const [state, action] = useActionState(renameUnitAction, null);
  const failed = state && !state.ok ? state : null;
  const value = failed?.values?.name ?? name;
  return (
    <form action={action} aria-label="重命名单位" className="space-y-3" noValidate>
      <Result state={state} />
      <input type="hidden" name="id" value={String(unitId)} />
      <Field
        key={value}
        label="新名称"
        name="name"
        defaultValue={value}
        maxLength={60}
        required
        errors={failed?.fieldErrors?.name}
      />
      <SubmitButton pendingText="正在保存…">重命名</SubmitButton>
    </form>
  );
}

export function MoveUnitForm({
  unitId,
  parentId,
  targets,
}: {
  unitId: number;
  parentId: number | null;
  /** Every unit it may move under: not itself, not one of its own descendants. */
  targets: UnitOptionDto[];
}) {
  const [state, action] = useActionState(moveUnitAction, null);
  const failed = state && !state.ok ? state : null;
  const value = failed?.values?.parentId ?? (parentId === null ? '' : String(parentId));
  return (
    <form action={action} aria-label="移动单位" className="space-y-3" noValidate>
      <Result state={state} />
      <input type="hidden" name="id" value={String(unitId)} />
      <SelectField key={value} label="新的上级单位" name="parentId" defaultValue={value} errors={failed?.fieldErrors?.parentId}>
        <option value="">无（作为顶级单位）</option>
        <UnitOptions units={targets} />
      </SelectField>
      <SubmitButton pendingText="正在移动…">移动</SubmitButton>
    </form>
  );
}

/** 删除单位 asks once more; the server refuses a unit that still has 下级单位 or accounts. */
export function DeleteUnitForm({ unitId, name }: { unitId: number; name: string }) {
  const [state, action] = useActionState(deleteUnitAction, null);
  const [openedAt, setOpenedAt] = useState<{ state: typeof state } | null>(null);
  const confirming = openedAt !== null && openedAt.state === state;
  const focusTrigger = useRef(false);
  return (
    <div className="space-y-3">
      <Result state={state} />
      {confirming ? (
        <form action={action} aria-label="删除单位" className="space-y-3 rounded-md border border-red-200 bg-red-50 p-4">
          <input type="hidden" name="id" value={String(unitId)} />
          <p className="text-base">确定要删除单位“{name}”吗？删除后不能恢复。</p>
          <div className="flex flex-wrap gap-2">
            <SubmitButton variant="danger" pendingText="正在删除…" autoFocus>
              确认删除
            </SubmitButton>
            <button
              type="button"
              className={buttonClass('secondary')}
              onClick={() => {
                focusTrigger.current = true;
                setOpenedAt(null);
              }}
            >
              取消
            </button>
          </div>
        </form>
      ) : (
        <button
          type="button"
          className={buttonClass('danger')}
          onClick={() => setOpenedAt({ state })}
          ref={(el) => {
            if (el && focusTrigger.current) {
              focusTrigger.current = false;
              el.focus();
            }
          }}
        >
          删除单位
        </button>
      )}
    </div>
  );
}
