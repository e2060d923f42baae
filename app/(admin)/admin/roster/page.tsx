import type { Metadata } from 'next';
import { listPendingPasswordSheets } from '@/db/queries/roster/passwords';
import { listUnitOptions } from '@/db/queries/units';
import { AppShell, PageTitle } from '@/components/app-shell';
import { secondaryButtonClass } from '@/components/admin/link-button';
import { RosterImport } from '@/components/admin/roster-import';
import { warmRosterProcess } from '@/lib/roster/off-thread';
import { UnitOptions } from '@/components/admin/unit-options';
import { Field, SelectField } from '@/components/ui/field';
import { requireRole } from '@/lib/auth/viewer';
import { formatDateTime } from '@/lib/time';
import { listUsersSchema } from '@/lib/validation/users';
import { firstValues, type SearchParams } from '@/components/admin/search-params';

export const metadata: Metadata = { title: '花名册' };

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-4">
      <h2 id={id} className="text-xl font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

export default async function RosterPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireRole('admin');
  const raw = firstValues(await searchParams);
  // The export takes the same filter as the account list; /admin links here with it.
  const filter = listUsersSchema.parse(raw);
  const units = await listUnitOptions(viewer);
  const pending = listPendingPasswordSheets(viewer);
  // The import's roster process starts now, while the admin picks a file (lib/roster/off-thread).
  warmRosterProcess();
  return (
    <AppShell viewer={viewer}>
      <PageTitle>花名册</PageTitle>
      <div className="space-y-8">
        {pending.length > 0 ? (
          <section aria-labelledby="pending-heading" className="rounded-md border-2 border-amber-400 bg-amber-50 p-4">
            <h2 id="pending-heading" className="text-base font-semibold">
              尚未下载的初始密码表
            </h2>
            <ul className="mt-2 space-y-2">
              {pending.map((p) => (
                <li key={p.token} className="flex flex-wrap items-center gap-3">
                  <span>
                    {formatDateTime(p.createdAt)} 导入，{p.count} 个新账号
                  </span>
                  <a href={`/api/admin/roster/passwords/${p.token}`} download className={secondaryButtonClass}>
                    下载初始密码表
                  </a>
                </li>
              ))}
            </ul>
            <p className="mt-2 text-sm text-stone-700">每份只能下载一次，导入 1 小时后自动删除。</p>
          </section>
        ) : null}

        <Section id="import-heading" title="导入花名册">
          <RosterImport />
        </Section>

        <Section id="export-heading" title="导出花名册">
          <form
            method="get"
            action="/api/admin/roster/export"
            aria-label="导出花名册"
            className="space-y-3 rounded-lg border border-stone-200 bg-white p-5"
          >
            <p className="text-sm text-stone-600">
              按条件导出全部页的账号（不含密码）。导出的文件与导入用同一套表头，改好后可以直接导入。
            </p>
            <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1fr_2fr]">
              <Field label="账号或姓名" name="q" type="search" defaultValue={filter.q ?? ''} maxLength={50} autoComplete="off" />
              <SelectField label="角色" name="role" defaultValue={filter.role ?? ''}>
                <option value="">全部</option>
                <option value="cadre">学员</option>
                <option value="organizer">组织者</option>
                <option value="admin">管理员</option>
              </SelectField>
              <SelectField label="状态" name="status" defaultValue={filter.status ?? ''}>
                <option value="">全部</option>
                <option value="active">正常</option>
                <option value="inactive">已停用</option>
              </SelectField>
              <SelectField label="单位" name="unitId" defaultValue={filter.unitId ? String(filter.unitId) : ''}>
                <option value="">全部</option>
                <UnitOptions units={units} />
              </SelectField>
            </div>
            <div className="flex flex-wrap gap-3">
              <button type="submit" name="format" value="xlsx" className={secondaryButtonClass}>
                导出 .xlsx
              </button>
              <button type="submit" name="format" value="csv" className={secondaryButtonClass}>
                导出 .csv
              </button>
            </div>
          </form>
        </Section>
      </div>
    </AppShell>
  );
}
