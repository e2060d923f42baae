import type { Metadata } from 'next';
import Link from 'next/link';
import { AppShell, PageTitle } from '@/components/app-shell';
import { buttonClass } from '@/components/ui/button-class';
import { RuleForm, RuleImport } from '@/components/wording/rule-forms';
import { allRules } from '@/db/queries/wording/rules';
import { requireRole } from '@/lib/auth/viewer';
import { kindLabel } from '@/lib/wording/sheet';
import { setWordingRuleEnabledAction } from './actions';

export const metadata: Metadata = { title: '规范提法规则' };

export default async function WordingRulesPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const viewer = await requireRole('admin');
  const { edit } = await searchParams;
  const rules = await allRules();
  const editing = edit ? rules.find((r) => r.code === edit) : undefined;
  const initial = editing
    ? { code: editing.code, kind: editing.kind, find: editing.find, standard: editing.standard, reason: editing.reason, category: editing.category, allow: (editing.allow ?? []).join('\n') }
    : { code: '', kind: 'literal', find: '', standard: '', reason: '', category: '自定义', allow: '' };
  return (
    <AppShell viewer={viewer}>
      <PageTitle
        actions={
          <a href="/api/admin/wording-rules/export" className={buttonClass('secondary')}>
            导出规则（.xlsx）
          </a>
        }
      >
        规范提法规则
      </PageTitle>
      <p className="mb-4 text-base text-stone-700">
        学员写心得、组织者审阅和发布简报时按这些规则提示（只作提示，不阻止提交）。共 {rules.length} 条，启用 {rules.filter((r) => r.enabled).length} 条。
      </p>
      <div className="mb-6 grid gap-5 lg:grid-cols-2">
        <section aria-labelledby="rule-form-heading" className="rounded-lg border border-stone-200 bg-white p-4">
          <h2 id="rule-form-heading" className="mb-3 text-lg font-semibold">
            {editing ? `编辑规则 ${editing.code}` : '新增规则'}
          </h2>
          <RuleForm key={initial.code} initial={initial} />
          {editing ? (
            <Link href="/admin/wording" className="mt-2 inline-block text-brand-700 underline underline-offset-2">
              改为新增规则
            </Link>
          ) : null}
        </section>
        <section aria-label="导入" className="rounded-lg border border-stone-200 bg-white p-4">
          <RuleImport />
        </section>
      </div>
      <table className="w-full border-collapse text-left text-base">
        <caption className="sr-only">全部规则</caption>
        <thead className="max-md:hidden">
          <tr className="border-b border-stone-300">
            <th scope="col" className="p-2">编号</th>
            <th scope="col" className="p-2">类型</th>
            <th scope="col" className="p-2">查找</th>
            <th scope="col" className="p-2">规范表述</th>
            <th scope="col" className="p-2">理由</th>
            <th scope="col" className="p-2">状态</th>
            <th scope="col" className="p-2">操作</th>
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <tr key={r.code} className={`border-b border-stone-200 max-md:block max-md:py-2 ${r.enabled ? '' : 'text-stone-500'}`}>
              <td className="p-2 text-sm max-md:inline max-md:p-0">{r.code}</td>
              <td className="p-2 text-sm max-md:inline max-md:p-0 max-md:pl-2">{kindLabel(r.kind)}</td>
              <td className="p-2 break-all max-md:block max-md:p-0">{r.find}</td>
              <td className="p-2 break-words max-md:block max-md:p-0">→ {r.standard}</td>
              <td className="p-2 text-sm break-words max-md:block max-md:p-0">{r.reason}</td>
              <td className="p-2 text-sm max-md:inline max-md:p-0">
                {r.enabled ? '启用' : '已停用'}
                {r.builtin && r.changed ? '（已修改）' : ''}
              </td>
              <td className="p-2 max-md:inline max-md:p-0 max-md:pl-2">
                <div className="flex flex-wrap gap-2">
                  <Link href={`/admin/wording?edit=${r.code}`} className="text-brand-700 underline underline-offset-2" aria-label={`编辑 ${r.find}`}>
                    编辑
                  </Link>
                  <form action={setWordingRuleEnabledAction}>
                    <input type="hidden" name="code" value={r.code} />
                    <input type="hidden" name="enabled" value={r.enabled ? '0' : '1'} />
                    <button type="submit" className="text-brand-700 underline underline-offset-2" aria-label={`${r.enabled ? '停用' : '启用'} ${r.find}`}>
                      {r.enabled ? '停用' : '启用'}
                    </button>
                  </form>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </AppShell>
  );
}
