import type { Metadata } from 'next';
import { getMyAccount } from '@/db/queries/account';
import { AccountCard } from '@/components/account/account-card';
import { AppShell, PageTitle } from '@/components/app-shell';
import { Alert } from '@/components/ui/alert';
import { requireRole } from '@/lib/auth/viewer';

export const metadata: Metadata = { title: '审阅' };

export default async function ReviewPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const viewer = await requireRole('organizer');
  const account = getMyAccount(viewer);
  const params = await searchParams;
  return (
    <AppShell viewer={viewer}>
      <PageTitle>审阅</PageTitle>
      {params.passwordChanged ? (
        <div className="mb-4">
          <Alert kind="success">密码已修改。</Alert>
        </div>
      ) : null}
      <div className="grid gap-5 md:grid-cols-[2fr_1fr]">
        <section aria-labelledby="courses-heading" className="rounded-lg border border-stone-200 bg-white p-5">
          <h2 id="courses-heading" className="text-lg font-semibold">
            我负责的读书班
          </h2>
          <p className="mt-3 text-stone-700">管理员还没有把读书班分配给你。分配后,待审阅的学习心得会列在这里。</p>
        </section>
        <AccountCard account={account} />
      </div>
    </AppShell>
  );
}
