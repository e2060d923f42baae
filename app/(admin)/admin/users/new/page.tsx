import type { Metadata } from 'next';
import Link from 'next/link';
import { listUnitOptions } from '@/db/queries/units';
import { AppShell, PageTitle } from '@/components/app-shell';
import { CreateUserForm } from '@/components/admin/user-form';
import { requireRole } from '@/lib/auth/viewer';

export const metadata: Metadata = { title: '新建账号' };

export default async function NewUserPage() {
  const viewer = await requireRole('admin');
  const units = await listUnitOptions(viewer);
  return (
    <AppShell viewer={viewer}>
      <nav aria-label="位置" className="mb-2 text-sm">
        <Link href="/admin" className="text-stone-600 underline underline-offset-2">
          账号管理
        </Link>
        <span className="text-stone-400"> / </span>
        <span className="text-stone-700">新建账号</span>
      </nav>
      <PageTitle>新建账号</PageTitle>
      <div className="max-w-3xl">
        {units.length === 0 ? (
          <p className="mb-4 text-sm text-stone-600">
            还没有单位。可以先到
            <Link href="/admin/units" className="text-brand-700 underline underline-offset-2">
              单位管理
            </Link>
            添加，也可以先建账号，以后再设单位。
          </p>
        ) : null}
        <CreateUserForm units={units} />
      </div>
    </AppShell>
  );
}
