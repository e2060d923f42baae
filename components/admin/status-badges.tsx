import Link from 'next/link';
import type { UnitOptionDto } from '@/db/queries/units';
import type { UserListItemDto, UserSummaryDto } from '@/db/queries/users/read';
import { primaryButtonClass } from '@/components/admin/link-button';
import { Field, SelectField } from '@/components/ui/field';
import { ROLE_LABELS } from '@/lib/validation/users';
import { UnitOptions } from './unit-options';

export function StatusBadges({ active, mustChangePassword }: { active: boolean; mustChangePassword: boolean }) {
  return (
    <span className="inline-flex flex-wrap gap-1">
      {active ? (
        <span className="rounded bg-green-100 px-1.5 py-0.5 text-green-800">正常</span>
      ) : (
        <span className="rounded bg-stone-200 px-1.5 py-0.5 text-stone-700">已停用</span>
      )}
      {mustChangePassword ? <span className="rounded bg-amber-100 px-1.5 py-0.5 text-amber-900">须改密</span> : null}
    </span>
  );
}

/** 管理员 / 组织者 / 学员: how many, how many in use. */
export function UserSummary({ summary }: { summary: UserSummaryDto }) {
  const items = (['admin', 'auditor', 'organizer', 'cadre'] as const).map((role) => ({
    role,
    label: ROLE_LABELS[role],
    ...summary[role],
  }));
  return (
    <section aria-label="账号统计" className="mb-5">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {items.map((i) => (
          <div key={i.role} className="rounded-lg border border-stone-200 bg-white px-4 py-3">
            <dt className="text-sm text-stone-600">{i.label}</dt>
            <dd className="mt-1">
              <Link
                href={`/admin?role=${i.role}`}
                aria-label={`查看全部${i.label}（${i.total} 个）`}
                className="text-2xl font-semibold text-stone-900 hover:underline"
              >
                {i.total}
              </Link>
              <span className="ml-2 text-sm text-stone-600">正常 {i.active}</span>
            </dd>
          </div>
        ))}
        <div className="rounded-lg border border-stone-200 bg-white px-4 py-3">
          <dt className="text-sm text-stone-600">合计</dt>
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

export interface UserFilterValues {
  q: string;
  role: string;
  status: string;
  unitId: string;
}

/** A GET form: the filter lives in the URL, so a filtered list can be bookmarked and paged. */
export function UserFilters({ values, units }: { values: UserFilterValues; units: UnitOptionDto[] }) {
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

/** A row's checkbox for the bulk actions (see BulkUserForm), named after the person. */
function SelectBox({ user }: { user: UserListItemDto }) {
  return (
    <input
      type="checkbox"
      name="ids"
      value={String(user.id)}
      aria-label={`选择 ${user.name}（${user.username}）`}
      className="size-5 align-middle"
    />
  );
}

export function UsersTable({ users, selectable = false }: { users: UserListItemDto[]; selectable?: boolean }) {
  if (users.length === 0) {
    return <p className="rounded-md border border-stone-200 bg-white p-4 text-stone-700">没有符合条件的账号。</p>;
  }
  return (
    <>
      {/* On a phone each account is a card; the table needs a wider screen. */}
      {selectable ? (
        <label className="mb-2 flex min-h-11 items-center gap-2 text-base md:hidden">
          <input type="checkbox" data-select-all="" className="size-5" />
          全选本页
        </label>
      ) : null}
      <ul className="space-y-2 md:hidden" aria-label="账号列表">
        {users.map((u) => (
          <li key={u.id} className={`rounded-lg border border-stone-200 bg-white p-3 ${u.active ? '' : 'text-stone-500'}`}>
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              {selectable ? <SelectBox user={u} /> : null}
              <Link href={`/admin/users/${u.id}`} className="text-base font-semibold text-brand-700 underline underline-offset-2">
                {u.name}
                <span className="ml-2 font-mono text-sm font-normal">{u.username}</span>
              </Link>
              <span className="text-sm">{ROLE_LABELS[u.role]}</span>
            </div>
            {u.title ? <p className="mt-1 text-sm">{u.title}</p> : null}
            <p className="mt-1 text-sm text-stone-600">{u.unitPath || '无单位'}</p>
            <div className="mt-2 text-sm">
              <StatusBadges active={u.active} mustChangePassword={u.mustChangePassword} />
            </div>
          </li>
        ))}
      </ul>
      <div className="hidden overflow-x-auto rounded-lg border border-stone-200 bg-white md:block">
        <table className="w-full min-w-[44rem] border-collapse text-left text-sm">
          <caption className="sr-only">账号列表</caption>
          <thead className="bg-stone-100 text-stone-700">
            <tr>
              {selectable ? (
                <th scope="col" className="w-10 px-3 py-2 font-medium">
                  <input type="checkbox" data-select-all="" aria-label="全选本页" className="size-5 align-middle" />
                </th>
              ) : null}
              <th scope="col" className="px-3 py-2 font-medium">账号</th>
              <th scope="col" className="px-3 py-2 font-medium">姓名</th>
              <th scope="col" className="px-3 py-2 font-medium">职务</th>
              <th scope="col" className="px-3 py-2 font-medium">单位</th>
              <th scope="col" className="px-3 py-2 font-medium">角色</th>
              <th scope="col" className="px-3 py-2 font-medium">状态</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} className={`border-t border-stone-200 align-top ${u.active ? '' : 'text-stone-500'}`}>
                {selectable ? (
                  <td className="px-3 py-2">
                    <SelectBox user={u} />
                  </td>
                ) : null}
                <td className="px-3 py-2 font-mono">
                  <Link href={`/admin/users/${u.id}`} className="text-brand-700 underline underline-offset-2">
                    {u.username}
                  </Link>
                </td>
                <td className="px-3 py-2 whitespace-nowrap">{u.name}</td>
                <td className="px-3 py-2">{u.title || '—'}</td>
                <td className="px-3 py-2">{u.unitPath || '—'}</td>
                <td className="px-3 py-2 whitespace-nowrap">{ROLE_LABELS[u.role]}</td>
                <td className="px-3 py-2">
                  <StatusBadges active={u.active} mustChangePassword={u.mustChangePassword} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
