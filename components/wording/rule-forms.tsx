'use client';

import { useActionState, useId, useState } from 'react';
import { saveWordingRuleAction } from '@/app/(admin)/admin/wording/actions';
import { Alert } from '@/components/ui/alert';
import { SubmitButton, buttonClass } from '@/components/ui/button';
import { Field, SelectField } from '@/components/ui/field';
import { RULE_CATEGORIES } from '@/lib/wording/rules';

// 规范提法规则: the add/edit form and the .xlsx import.

export interface RuleFormValues {
  code: string;
  kind: string;
  find: string;
  standard: string;
  reason: string;
  category: string;
  allow: string;
}

export function RuleForm({ initial }: { initial: RuleFormValues }) {
  const [state, action] = useActionState(saveWordingRuleAction, null);
  const failed = state && !state.ok ? state : null;
  const v = (k: keyof RuleFormValues) => String(failed?.values?.[k] ?? initial[k]);
  const allowId = useId();
  return (
    <form action={action} aria-label={initial.code ? '编辑规则' : '新增规则'} className="space-y-3" noValidate>
      {state ? <Alert kind={state.ok ? 'success' : 'error'}>{state.message}</Alert> : null}
      <input type="hidden" name="code" value={initial.code} />
      <div key={JSON.stringify(failed?.values ?? initial)} className="grid gap-3 sm:grid-cols-2">
        <SelectField label="类型" name="kind" defaultValue={v('kind')} errors={failed?.fieldErrors?.kind}>
          <option value="literal">字面</option>
          <option value="pattern">正则</option>
          <option value="enumeration">列举</option>
        </SelectField>
        <SelectField label="分类" name="category" defaultValue={v('category')} errors={failed?.fieldErrors?.category}>
          {RULE_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </SelectField>
        <Field label="查找" name="find" defaultValue={v('find')} maxLength={300} errors={failed?.fieldErrors?.find} hint="字面：要找的文字；正则：表达式；列举：列举的名称，如“四个意识”" />
        <Field label="规范表述" name="standard" defaultValue={v('standard')} maxLength={300} errors={failed?.fieldErrors?.standard} hint="列举：各项按顺序用顿号分隔" />
        <Field label="理由" name="reason" defaultValue={v('reason')} maxLength={300} errors={failed?.fieldErrors?.reason} />
        <div className="space-y-1">
          <label htmlFor={allowId} className="block text-base font-medium text-stone-900">
            例外（每行一个，这些写法里不报）
          </label>
          <textarea id={allowId} name="allow" defaultValue={v('allow')} rows={2} className="w-full rounded-md border border-stone-300 px-3 py-2 text-base" />
        </div>
      </div>
      <SubmitButton pendingText="正在保存…">{initial.code ? '保存修改' : '新增规则'}</SubmitButton>
    </form>
  );
}

export function RuleImport() {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  async function upload() {
    if (!file) return;
    setBusy(true);
    try {
      const r = await fetch('/api/admin/wording-rules/import', { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: file });
      const j = (await r.json()) as { ok: boolean; message?: string; created?: number; updated?: number };
      setMessage(j.ok ? { ok: true, text: `已导入：新增 ${j.created ?? 0} 条，更新 ${j.updated ?? 0} 条。刷新页面查看。` } : { ok: false, text: j.message ?? '导入失败' });
    } catch {
      setMessage({ ok: false, text: '网络连接中断，没有导入。' });
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="space-y-2">
      <label htmlFor={id} className="block text-base font-medium">
        导入规则（.xlsx，表头与导出的文件相同）
      </label>
      <input id={id} type="file" accept=".xlsx" onChange={(e) => setFile(e.target.files?.[0] ?? null)} className="block text-base" />
      <button type="button" className={buttonClass('secondary')} disabled={!file || busy} onClick={() => void upload()}>
        {busy ? '正在导入…' : '导入'}
      </button>
      {message ? <Alert kind={message.ok ? 'success' : 'error'}>{message.text}</Alert> : null}
    </div>
  );
}
