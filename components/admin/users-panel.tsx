'use client';

import Link from 'next/link';
import type { UnitOptionDto } from '@/db/queries/units';
import type { UserSummaryDto } from '@/db/queries/users/read';
import type { Role } from '@/db/schema';
import { primaryButtonClass } from '@/components/admin/link-button';
import { Pager } from '@/components/ui/pager';
import { BulkUserForm } from './bulk-user-form';
import { type PackedUnit, UnitOptions, unpackUnits } from './unit-options';
import css from './users-panel.module.css';

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
      <dl className={css.summary}>
        {(['admin', 'auditor', 'organizer', 'cadre'] as const).map((role) => (
          <div key={role}>
            <dt>{ROLE_NAMES[role]}</dt>
            <dd>
              <Link href={`/admin?role=${role}`} aria-label={`查看全部${ROLE_NAMES[role]}（${summary[role].total} 个）`}>
                <b>{summary[role].total}</b>
              </Link>
              <span>{`正常 ${summary[role].active}`}</span>
            </dd>
          </div>
        ))}
        <div>
          <dt>合计</dt>
          <dd>
            <b>{summary.total}</b>
            <span>{`正常 ${summary.active}`}</span>
            {summary.mustChangePassword > 0 ? (
              <span className={css.pending}>{`其中 ${summary.mustChangePassword} 人尚未改密`}</span>
            ) : null}
          </dd>
        </div>
      </dl>
    </section>
  );
}

/** A label over its select, styled by the form (users-panel.module.css .fields) rather than field by field. */
function Choice({ id, label, name, value, children }: { id: string; label: string; name: string; value: string; children: React.ReactNode }) {
  return (
    <div>
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={value}>
        {children}
      </select>
    </div>
  );
}

/** A GET form: the filter lives in the URL, so a filtered list can be bookmarked and paged. */
function UserFilters({ values, units }: { values: UserFilterValues; units: UnitOptionDto[] }) {
  const filtered = Object.values(values).some(Boolean);
  return (
    <form method="get" action="/admin" role="search" aria-label="查找账号" className={css.fields}>
      <div>
        <div>
          <label htmlFor="f-q">账号或姓名</label>
          <input id="f-q" name="q" type="search" defaultValue={values.q} maxLength={50} autoComplete="off" />
        </div>
        <Choice id="f-role" label="角色" name="role" value={values.role}>
          <option value="">全部</option>
          <option value="cadre">学员</option>
          <option value="organizer">组织者</option>
          <option value="admin">管理员</option>
        </Choice>
        <Choice id="f-status" label="状态" name="status" value={values.status}>
          <option value="">全部</option>
          <option value="active">正常</option>
          <option value="inactive">已停用</option>
        </Choice>
        <Choice id="f-unit" label="单位" name="unitId" value={values.unitId}>
          <option value="">全部</option>
          <UnitOptions units={units} />
        </Choice>
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
      <div className={css.frame}>
        <table className={css.table}>
          <caption className="sr-only">账号列表</caption>
          <thead>
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
                <td>
                  <Link href={`/admin/users/${id}`}>{username}</Link>
                </td>
                <td>{name}</td>
                <td className={title ? undefined : css.none}>{title || '—'}</td>
                <td>{(unitId !== null && unitPaths.get(unitId)) || '—'}</td>
                <td>{ROLE_NAMES[role]}</td>
                <td>
                    {/* StatusBadges' look, set in the CSS module: b 正常, i 已停用, em 须改密. */}
                  {active ? <b>正常</b> : <i>已停用</i>}
                  {mustChange ? <em>须改密</em> : null}
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
  rows,
  page,
  pageCount,
  total,
  cursors,
  notice,
  units: packed,
}: {
  /** An alert under the title (密码已修改). */
  notice?: React.ReactNode;
  summary: UserSummaryDto;
  filter: UserFilterValues;
  /** packUnits(listUnitOptions(…)) */
  units: PackedUnit[];
  rows: UserRow[];
  page: number;
  pageCount: number;
  total: number;
  /** Where 上一页 / 下一页 start (keyset paging). */
  cursors: { prev: string | null; next: string | null };
}) {
  const units = unpackUnits(packed);
  const unitPaths = new Map(units.map((u) => [u.id, u.path]));
  const q = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== '')).toString();
  return (
    <>
      {/* PageTitle's markup: rendered here, the links cost no payload. */}
      <div className="mb-5 flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold text-stone-900">账号管理</h1>
        <div className={css.actions}>
          {/* /admin/roster with this list's filter, so that 导出 exports what the list shows. */}
          <Link href={q ? `/admin/roster?${q}` : '/admin/roster'}>
            导入 / 导出花名册
          </Link>
          <Link href="/admin/users/new" className={css.primary}>
            新建账号
          </Link>
        </div>
      </div>
      {notice}
      <UserSummary summary={summary} />
      <UserFilters values={filter} units={units} />
      <BulkUserForm units={units}>
        <UsersTable rows={rows} unitPaths={unitPaths} />
      </BulkUserForm>
      <Pager page={page} pageCount={pageCount} total={total} basePath="/admin" params={filter} cursors={cursors} />
    </>
  );
}
