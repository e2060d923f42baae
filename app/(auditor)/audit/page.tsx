import type { Metadata } from 'next';
import Link from 'next/link';
import { listAudit } from '@/db/queries/audit';
import { AppShell, PageTitle } from '@/components/app-shell';
import { AuditTable } from '@/components/admin/audit-view';
import { firstValues, type SearchParams } from '@/components/admin/search-params';
import { Alert } from '@/components/ui/alert';
import { primaryButtonClass, secondaryButtonClass } from '@/components/admin/link-button';
import { Field, SelectField } from '@/components/ui/field';
import { Pager } from '@/components/ui/pager';
import { AUDIT_ACTIONS } from '@/lib/audit-actions';
import { requireRole } from '@/lib/auth/viewer';

export const metadata: Metadata = { title: '审计日志' };

const GROUPS: { label: string; match: (code: string) => boolean }[] = [
  { label: '登录与密码', match: (c) => c.startsWith('login.') || c === 'logout' || c.startsWith('session.') || c.startsWith('password.') },
  { label: '账号', match: (c) => c.startsWith('user.') },
  { label: '单位', match: (c) => c.startsWith('unit.') },
  { label: '花名册与导出', match: (c) => c.startsWith('roster.') || c === 'audit.export' },
  { label: '其他', match: () => true },
];

/** The 操作 options grouped, so that the list stays readable as other areas add actions. */
function groupActions() {
  const groups = GROUPS.map((g) => ({ label: g.label, actions: [] as [string, string][] }));
  for (const entry of Object.entries(AUDIT_ACTIONS) as [string, string][]) {
    const i = GROUPS.findIndex((g) => g.match(entry[0]));
    groups[i]?.actions.push(entry);
  }
  return groups.filter((g) => g.actions.length > 0);
}

/** The export takes the filter the page shows (not the raw query), so the file is what is on screen. */
function exportHref(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const query = q.toString();
  return query ? `/api/audit/export?${query}` : '/api/audit/export';
}

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireRole('auditor');
  const raw = firstValues(await searchParams);
  const list = await listAudit(viewer, { ...raw, page: raw.page ?? '1' });
  const f = list.filter;
  const params = { actor: f.actor, action: f.action, from: f.from, to: f.to };
  const filtered = Object.values(params).some(Boolean);
  const badDate = (!!raw.from && !f.from) || (!!raw.to && !f.to);
  const reversed = !!f.from && !!f.to && f.from > f.to;

  return (
    <AppShell viewer={viewer}>
      <PageTitle>审计日志</PageTitle>
      <form method="get" action="/audit" role="search" aria-label="筛选审计日志" className="mb-4 rounded-lg border border-stone-200 bg-white p-4">
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <Field label="账号" name="actor" defaultValue={f.actor ?? raw.actor ?? ''} maxLength={50} autoComplete="off" autoCapitalize="none" spellCheck={false} hint="操作人的账号" />
          <SelectField label="操作" name="action" defaultValue={f.action ?? ''}>
            <option value="">全部</option>
            {groupActions().map((g) => (
              <optgroup key={g.label} label={g.label}>
                {g.actions.map(([code, label]) => (
                  <option key={code} value={code}>
                    {label}
                  </option>
                ))}
              </optgroup>
            ))}
          </SelectField>
          <Field label="起始日期" name="from" type="date" defaultValue={f.from ?? ''} />
          <Field label="结束日期" name="to" type="date" defaultValue={f.to ?? ''} />
        </div>
        <div className="mt-3 flex flex-wrap items-center gap-3">
          <button type="submit" className={primaryButtonClass}>
            筛选
          </button>
          {filtered ? (
            <Link href="/audit" className="text-stone-700 underline underline-offset-2">
              清除条件
            </Link>
          ) : null}
          <span className="text-sm text-stone-600">日期按北京时间计，含起止两天。</span>
          <a href={exportHref(params)} download className={`${secondaryButtonClass} sm:ml-auto`}>
            导出（xlsx）
          </a>
        </div>
      </form>
      {badDate ? (
        <div className="mb-4">
          <Alert kind="info">日期格式不对，已忽略该日期条件。</Alert>
        </div>
      ) : null}
      {reversed ? (
        <div className="mb-4">
          <Alert kind="info">结束日期早于起始日期，没有记录。</Alert>
        </div>
      ) : null}
      <AuditTable rows={list.items} caption="审计日志" />
      <Pager page={list.page} pageCount={list.pageCount} total={list.total} basePath="/audit" params={params} />
    </AppShell>
  );
}
