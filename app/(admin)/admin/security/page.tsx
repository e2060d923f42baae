import type { Metadata } from 'next';
import { getTwoFactorPolicy } from '@/db/queries/two-factor';
import { AppShell, PageTitle } from '@/components/app-shell';
import { TwoFactorPolicyForm } from '@/components/admin/two-factor-forms';
import { requireRole } from '@/lib/auth/viewer';

export const metadata: Metadata = { title: '安全设置' };

export default async function SecurityPage() {
  const viewer = await requireRole('admin');
  const policy = await getTwoFactorPolicy(viewer);
  return (
    <AppShell viewer={viewer}>
      <PageTitle>安全设置</PageTitle>
      <section aria-labelledby="two-factor-heading" className="max-w-2xl rounded-lg border border-stone-200 bg-white p-5">
        <h2 id="two-factor-heading" className="mb-2 text-lg font-semibold">
          两步验证
        </h2>
        <p className="mb-4 text-base text-stone-700">
          管理员和审计员登录时必须在密码之外输入手机验证器上的验证码。这里决定组织者是否也必须使用。修改记入审计日志。
        </p>
        <TwoFactorPolicyForm organizers={policy.organizers} />
      </section>
    </AppShell>
  );
}
