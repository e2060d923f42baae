'use client';

import { useActionState, useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { bulkUsersAction } from '@/app/(admin)/admin/bulk-actions';
import type { UnitOptionDto } from '@/db/queries/units';
import { Alert } from '@/components/ui/alert';
import { SubmitButton, buttonClass } from '@/components/ui/button';
import { SelectField } from '@/components/ui/field';
import { UnitOptions, unitOptionLabel } from './unit-options';

// The account list's bulk actions. The rows (rendered on the server) carry checkboxes named
// "ids"; this form wraps them, counts what is ticked and asks once more, saying how many people
// the action affects, before it is sent.

type Op = 'deactivate' | 'move' | 'role';

// lib/validation/users has the same labels but imports the password hasher, which a client
// component must not pull into the browser.
const ROLE_LABELS = { cadre: '学员', organizer: '组织者', admin: '管理员' } as const;

const noSubscription = () => () => undefined;

function checkedIds(form: HTMLFormElement): string[] {
  const boxes = form.querySelectorAll<HTMLInputElement>('input[type="checkbox"][name="ids"]');
  return [...new Set([...boxes].filter((b) => b.checked).map((b) => b.value))];
}

export function BulkUserForm({ units, children }: { units: UnitOptionDto[]; children: React.ReactNode }) {
  const [state, action] = useActionState(bulkUsersAction, null);
  const formRef = useRef<HTMLFormElement>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [confirming, setConfirming] = useState<{ op: Op; state: typeof state } | null>(null);
  const [unitId, setUnitId] = useState('');
  const [role, setRole] = useState('');
  // The bulk actions work only in the browser (they ask first and count the ticks), so their
  // controls, with a target unit option per unit, are left out of the server's HTML and appear
  // once the page is hydrated; until then the box holds the hint alone.
  const hydrated = useSyncExternalStore(noSubscription, () => true, () => false);

  const sync = useCallback(() => {
    const form = formRef.current;
    if (!form) return;
    const ids = checkedIds(form);
    setSelected(ids);
    const all = form.querySelectorAll<HTMLInputElement>('input[type="checkbox"][name="ids"]');
    const allValues = new Set([...all].map((b) => b.value));
    for (const box of form.querySelectorAll<HTMLInputElement>('input[data-select-all]')) {
      box.checked = ids.length > 0 && ids.length === allValues.size;
      box.indeterminate = ids.length > 0 && ids.length < allValues.size;
    }
  }, []);

  // After an action the list re-renders and React resets the form: read the boxes again.
  useEffect(() => {
    sync();
  }, [state, sync]);

  function onChange(e: React.FormEvent<HTMLFormElement>) {
    const target = e.target as HTMLInputElement;
    const form = e.currentTarget;
    if (target.type !== 'checkbox') return;
    if (target.dataset.selectAll !== undefined) {
      for (const box of form.querySelectorAll<HTMLInputElement>('input[type="checkbox"][name="ids"]')) box.checked = target.checked;
    } else if (target.name === 'ids') {
      // Should a person's box appear twice (a list that shows them twice), keep the boxes together.
      for (const box of form.querySelectorAll<HTMLInputElement>(`input[type="checkbox"][name="ids"][value="${CSS.escape(target.value)}"]`)) {
        box.checked = target.checked;
      }
    }
    sync();
  }

  const n = selected.length;
  const open = confirming !== null && confirming.state === state ? confirming.op : null;
  const unitLabel = unitId === 'none' ? '无单位' : unitOptionLabel(units.find((u) => String(u.id) === unitId) ?? { id: 0, depth: 0, path: '' }).trim();
  const roleLabel = role ? ROLE_LABELS[role as keyof typeof ROLE_LABELS] : '';

  const question =
    open === 'deactivate'
      ? `批量停用：将影响 ${n} 人。停用后他们无法登录，已登录的设备立即退出；账号和学习记录都会保留。`
      : open === 'move'
        ? `批量移动到单位“${unitLabel}”：将影响 ${n} 人。`
        : open === 'role'
          ? `批量修改角色为“${roleLabel}”：将影响 ${n} 人。`
          : '';

  return (
    <form ref={formRef} action={action} onChange={onChange} aria-label="批量操作账号">
      <div className="mb-3 space-y-3 rounded-lg border border-stone-200 bg-white p-4">
        {hydrated ? (
        <div className="flex flex-wrap items-end gap-3">
          <p className="min-h-11 py-2 text-base" aria-live="polite">
            已选 <strong>{n}</strong> 人
          </p>
          <button type="button" className={buttonClass('danger')} disabled={n === 0} onClick={() => setConfirming({ op: 'deactivate', state })}>
            批量停用
          </button>
          <div className="flex items-end gap-2">
            <SelectField label="目标单位" name="unitId" value={unitId} onChange={(e) => setUnitId(e.target.value)}>
              <option value="">请选择</option>
              <option value="none">无单位</option>
              <UnitOptions units={units} />
            </SelectField>
            <button
              type="button"
              className={buttonClass('secondary')}
              disabled={n === 0 || unitId === ''}
              onClick={() => setConfirming({ op: 'move', state })}
            >
              批量移动到单位
            </button>
          </div>
          <div className="flex items-end gap-2">
            <SelectField label="新角色" name="role" value={role} onChange={(e) => setRole(e.target.value)}>
              <option value="">请选择</option>
              <option value="cadre">学员</option>
              <option value="organizer">组织者</option>
              <option value="admin">管理员</option>
            </SelectField>
            <button
              type="button"
              className={buttonClass('secondary')}
              disabled={n === 0 || role === ''}
              onClick={() => setConfirming({ op: 'role', state })}
            >
              批量修改角色
            </button>
          </div>
        </div>
        ) : null}
        {n === 0 && !state ? <p className="text-sm text-stone-600">勾选表格中的账号后，可以批量停用、移动到单位或修改角色。</p> : null}
        {state && !state.ok ? <Alert kind="error">{state.message}</Alert> : null}
        {state?.ok ? <Alert kind="success">{state.message}</Alert> : null}
        {open ? (
          <div role="alertdialog" aria-labelledby="bulk-confirm-text" className="space-y-3 rounded-md border border-red-200 bg-red-50 p-4">
            <input type="hidden" name="op" value={open} />
            <p id="bulk-confirm-text" className="text-base text-stone-900">
              {question}
            </p>
            <div className="flex flex-wrap gap-2">
              <SubmitButton variant={open === 'deactivate' ? 'danger' : 'primary'} pendingText="正在处理…" autoFocus>
                确认
              </SubmitButton>
              <button type="button" className={buttonClass('secondary')} onClick={() => setConfirming(null)}>
                取消
              </button>
            </div>
          </div>
        ) : null}
      </div>
      {children}
    </form>
  );
}
