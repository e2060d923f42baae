import type { Metadata } from 'next';
import { listUnitOptions } from '@/db/queries/units';
import { countUsersByRole, listUsers } from '@/db/queries/users/read';
import { AppShell } from '@/components/app-shell';
import { packUnits } from '@/components/admin/unit-options';
import { UsersPanel, type UserRow } from '@/components/admin/users-panel';
import { Alert } from '@/components/ui/alert';
import { requireRole } from '@/lib/auth/viewer';
import { listUsersSchema } from '@/lib/validation/users';
import { firstValues, type SearchParams } from '@/components/admin/search-params';

export const metadata: Metadata = { title: '账号管理' };

export default async function AdminHomePage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireRole('admin');
  const raw = firstValues(await searchParams);
  const filter = listUsersSchema.parse(raw);
  const list = await listUsers(viewer, filter, { after: raw.after, before: raw.before, unitPaths: false });
  const summary = await countUsersByRole(viewer);
  const units = await listUnitOptions(viewer);
  const shown = {
    q: filter.q ?? '',
    role: filter.role ?? '',
    status: filter.status ?? '',
    unitId: filter.unitId ? String(filter.unitId) : '',
  };
  return (
    <AppShell viewer={viewer}>
      <UsersPanel
        notice={
          raw.passwordChanged ? (
            <div className="mb-4">
              <Alert kind="success">密码已修改。</Alert>
            </div>
          ) : null
        }
        summary={summary}
        filter={shown}
        units={packUnits(units)}
        rows={list.items.map((u): UserRow => [u.id, u.username, u.name, u.title, u.unitId, u.role, u.active ? 1 : 0, u.mustChangePassword ? 1 : 0])}
        page={list.page}
        pageCount={list.pageCount}
        total={list.total}
        cursors={{ prev: list.prevCursor, next: list.nextCursor }}
      />
    </AppShell>
  );
}
