'use client';

import Link from 'next/link';
import type { UnitOptionDto } from '@/db/queries/units';
import type { UserSummaryDto } from '@/db/queries/users/read';
import type { Role } from '@/db/schema';
import { primaryButtonClass } from '@/components/admin/link-button';
import { Field, SelectField } from '@/components/ui/field';
import { Pager } from '@/components/ui/pager';
import { BulkUserForm } from './bulk-user-form';
import { UnitOptions } from './unit-options';

// The account list (/admin) as one client component fed with the data it shows and nothing more:
// a row is a short tuple, a unit's path is looked up in the unit list the bulk form needs anyway,
// and every element is rendered from that, so the page's payload carries the data once instead
// of every server-rendered element twice (issue 15: 25 rows in at most 40 KB of HTML).

// lib/validation/users has the same labels but imports the password hasher, which a client
// component must not pull into the browser.
const ROLE_NAMES: Record<Role, string> = { admin: '管理员', organizer: '组织者', cadre: '学员', auditor: '审计员' };

/** One account as the list shows it: [id, 账号, 姓名, 职务, unit id, role, in use, must change password]. */
export type UserRow = [id: number, username: string, name: string, title: string, unitId: number | null, role: Role, active: 0 | 1, mustChange: 0 | 1];

export type UserFilterValues = { q: string; role: string; status: string; unitId: string };

/** 管理员 / 审计员 / 组织者 / 学员: how many, how many in use. */
export function UserSummary({ summary }: { summary: UserSummaryDto }) {
  return (
    <section aria-label="账号统计" className="mb-5">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4 [&>div]:rounded-lg [&>div]:border [&>div]:border-stone-200 [&>div]:bg-white [&>div]:px-4 [&>div]:py-3 [&_dt]:text-sm [&_dt]:text-stone-600">
        {(['admin', 'auditor', 'organizer', 'cadre'] as const).map((role) => (
          <div key={role}>
            <dt>{ROLE_NAMES[role]}</dt>
            <dd className="mt-1">
              <Link
                href={`/admin?role=${role}`}
                aria-label={`查看全部${ROLE_NAMES[role]}（${summary[role].total} 个）`}
                className="text-2xl font-semibold text-stone-900 hover:underline"
              >
                {summary[role].total}
              </Link>
              <span className="ml-2 text-sm text-stone-600">正常 {summary[role].active}</span>
            </dd>
          </div>
        ))}
        <div>
          <dt>合计</dt>
          <dd className="mt-1">
            <span className="text-2xl font-semibold">{summary.total}</span>
            <span className="ml-2 text-sm text-stone-600">正常 {summary.active}</span>
            {summary.mustChangePassword > 0 ? (
              <span className="block text-sm text-amber-900">其中 {summary.mustChangePassword} 人尚未改密</span>
            ) : null}
          </dd>
        </div>
      </dl>
    </section>
  );
}

/** A GET form: the filter lives in the URL, so a filtered list can be bookmarked and paged. */
function UserFilters({ values, units }: { values: UserFilterValues; units: UnitOptionDto[] }) {
  const filtered = Object.values(values).some(Boolean);
  return (
    <form method="get" action="/admin" role="search" aria-label="查找账号" className="mb-4 rounded-lg border border-stone-200 bg-white p-4">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1fr_2fr]">
        <Field label="账号或姓名" name="q" type="search" defaultValue={values.q} maxLength={50} autoComplete="off" />
        <SelectField label="角色" name="role" defaultValue={values.role}>
          <option value="">全部</option>
          <option value="cadre">学员</option>
          <option value="organizer">组织者</option>
          <option value="admin">管理员</option>
        </SelectField>
        <SelectField label="状态" name="status" defaultValue={values.status}>
          <option value="">全部</option>
          <option value="active">正常</option>
          <option value="inactive">已停用</option>
        </SelectField>
        <SelectField label="单位" name="unitId" defaultValue={values.unitId}>
          <option value="">全部</option>
          <UnitOptions units={units} />
        </SelectField>
      </div>
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <button type="submit" className={primaryButtonClass}>
          查找
        </button>
        {filtered ? (
          <Link href="/admin" className="text-stone-700 underline underline-offset-2">
            清除条件
          </Link>
        ) : null}
      </div>
    </form>
  );
}

// The cells are styled once on the table, not on each of them. On a phone the table is a stack
// of cards (thead hidden, each row a wrapped line: box, 账号, 姓名, 角色, then 职务, 单位, 状态).
const TABLE =
  'w-full border-collapse text-left text-sm md:min-w-[44rem] [&_input]:size-5 [&_input]:align-middle ' +
  '[&_a]:text-brand-700 [&_a]:underline [&_a]:underline-offset-2 [&_td>span]:inline-flex [&_td>span]:flex-wrap [&_td>span]:gap-1 ' +
  '[&_td_span_span]:rounded [&_td_span_span]:px-1.5 [&_td_span_span]:py-0.5 ' +
  'md:[&_td]:px-3 md:[&_td]:py-2 md:[&_th]:px-3 md:[&_th]:py-2 md:[&_th]:font-medium md:[&_tbody_tr]:border-t md:[&_tbody_tr]:border-stone-200 md:[&_tr]:align-top ' +
  'max-md:block max-md:[&_thead]:hidden max-md:[&_tbody]:block max-md:[&_tbody]:space-y-2 ' +
  'max-md:[&_tr]:flex max-md:[&_tr]:flex-wrap max-md:[&_tr]:items-baseline max-md:[&_tr]:gap-x-3 max-md:[&_tr]:gap-y-1 max-md:[&_tr]:rounded-lg max-md:[&_tr]:border max-md:[&_tr]:border-stone-200 max-md:[&_tr]:bg-white max-md:[&_tr]:p-3 ' +
  'max-md:[&_td:nth-child(2)]:text-base max-md:[&_td:nth-child(3)]:font-semibold max-md:[&_td:nth-child(n+5)]:basis-full';

function UsersTable({ rows, unitPaths }: { rows: UserRow[]; unitPaths: Map<number, string> }) {
  if (rows.length === 0) {
    return <p className="rounded-md border border-stone-200 bg-white p-4 text-stone-700">没有符合条件的账号。</p>;
  }
  return (
    <>
      {/* The table's head, with its own box, is hidden on a phone. */}
      <label className="mb-2 flex min-h-11 items-center gap-2 text-base md:hidden">
        <input type="checkbox" data-select-all="" className="size-5" />
        全选本页
      </label>
      <div className="md:overflow-x-auto md:rounded-lg md:border md:border-stone-200 md:bg-white">
        <table className={TABLE}>
          <caption className="sr-only">账号列表</caption>
          <thead className="bg-stone-100 text-stone-700">
            <tr>
              <th scope="col" className="w-10">
                <input type="checkbox" data-select-all="" aria-label="全选本页" />
              </th>
              <th scope="col">账号</th>
              <th scope="col">姓名</th>
              <th scope="col">职务</th>
              <th scope="col">单位</th>
              <th scope="col">角色</th>
              <th scope="col">状态</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([id, username, name, title, unitId, role, active, mustChange]) => (
              <tr key={id} className={active ? undefined : 'text-stone-500'}>
                <td>
                  <input type="checkbox" name="ids" value={id} aria-label={`选择 ${name}（${username}）`} />
                </td>
                <td className="font-mono">
                  <Link href={`/admin/users/${id}`}>{username}</Link>
                </td>
                <td className="whitespace-nowrap">{name}</td>
                <td className={title ? undefined : 'max-md:hidden'}>{title || '—'}</td>
                <td>{(unitId !== null && unitPaths.get(unitId)) || '—'}</td>
                <td className="whitespace-nowrap">{ROLE_NAMES[role]}</td>
                <td>
                  {/* StatusBadges' look, with the badge shape set once on the table. */}
                  <span>
                    {active ? <span className="bg-green-100 text-green-800">正常</span> : <span className="bg-stone-200 text-stone-700">已停用</span>}
                    {mustChange ? <span className="bg-amber-100 text-amber-900">须改密</span> : null}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function UsersPanel({
  summary,
  filter,
  units,
  rows,
  page,
  pageCount,
  total,
}: {
  summary: UserSummaryDto;
  filter: UserFilterValues;
  units: UnitOptionDto[];
  rows: UserRow[];
  page: number;
  pageCount: number;
  total: number;
}) {
  const unitPaths = new Map(units.map((u) => [u.id, u.path]));
  return (
    <>
      <UserSummary summary={summary} />
      <UserFilters values={filter} units={units} />
      <BulkUserForm units={units}>
        <UsersTable rows={rows} unitPaths={unitPaths} />
      </BulkUserForm>
      <Pager page={page} pageCount={pageCount} total={total} basePath="/admin" params={filter} />
    </>
  );
}
