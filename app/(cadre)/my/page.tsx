import type { Metadata } from 'next';
import { getMyAccount } from '@/db/queries/account';
import { AccountCard } from '@/components/account/account-card';
import { AppShell, PageTitle } from '@/components/app-shell';
import { Alert } from '@/components/ui/alert';
import { requireRole } from '@/lib/auth/viewer';

export const metadata: Metadata = { title: '我的学习' };

export default async function MyPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const viewer = await requireRole('cadre');
  const account = getMyAccount(viewer);
  const params = await searchParams;
  return (
    <AppShell viewer={viewer}>
      <PageTitle>我的学习</PageTitle>
      {params.passwordChanged ? (
        <div className="mb-4">
          <Alert kind="success">密码已修改。</Alert>
        </div>
      ) : null}
      <div className="grid gap-5 md:grid-cols-[2fr_1fr]">
        <section aria-labelledby="tasks-heading" className="rounded-lg border border-stone-200 bg-white p-5">
          <h2 id="tasks-heading" className="text-lg font-semibold">
            学习任务
          </h2>
          <p className="mt-3 text-stone-700">你目前还没有加入读书班。组织者把你加入读书班后,布置的心得任务会列在这里。</p>
        </section>
        <AccountCard account={account} />
      </div>
    </AppShell>
  );
}
