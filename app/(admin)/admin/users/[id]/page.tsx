import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { listUnitOptions } from '@/db/queries/units';
import { getUserDetail } from '@/db/queries/users/read';
import { AppShell, PageTitle } from '@/components/app-shell';
import { ResetPasswordForm, UserStatusForm } from '@/components/admin/user-access-forms';
import { EditUserForm } from '@/components/admin/user-form';
import { TwoFactorStatus } from '@/components/admin/two-factor-status';
import { StatusBadges } from '@/components/admin/status-badges';
import { requireRole } from '@/lib/auth/viewer';
import { formatDateTime } from '@/lib/time';
import { idSchema } from '@/lib/validation/common';
import { ROLE_LABELS } from '@/lib/validation/users';

export const metadata: Metadata = { title: '账号详情' };

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="rounded-lg border border-stone-200 bg-white p-5">
      <h2 id={id} className="mb-4 text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

export default async function UserPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requireRole('admin');
  const parsed = idSchema.safeParse((await params).id);
  if (!parsed.success) notFound();
  const user = await getUserDetail(viewer, { id: parsed.data });
  const units = await listUnitOptions(viewer);
  const isSelf = user.id === viewer.id;
  const now = new Date();
  const otpExpired = user.mustChangePassword && !!user.passwordExpiresAt && user.passwordExpiresAt <= now;

  return (
    <AppShell viewer={viewer}>
      <nav aria-label="位置" className="mb-2 text-sm">
        <Link href="/admin" className="text-stone-600 underline underline-offset-2">
          账号管理
        </Link>
        <span className="text-stone-400"> / </span>
        <span className="text-stone-700">{user.username}</span>
      </nav>
      <PageTitle>
        {user.name}
        <span className="ml-2 align-middle text-base font-normal text-stone-600">
          {user.username} · {ROLE_LABELS[user.role]}
        </span>
      </PageTitle>
      <div className="mb-5 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-stone-700">
        <StatusBadges active={user.active} mustChangePassword={user.mustChangePassword} />
        <span>单位：{user.unitPath || '无'}</span>
        {user.phone ? <span>手机：{user.phone}</span> : null}
        <span>创建于 {formatDateTime(user.createdAt)}</span>
        <span>当前有效登录 {user.openSignIns} 个</span>
        {isSelf ? <span className="font-medium">（这是你自己的账号）</span> : null}
      </div>

      <div className="grid gap-5 lg:grid-cols-[3fr_2fr]">
        <Section id="profile-heading" title="基本信息">
          <EditUserForm
            key={user.id}
            userId={user.id}
            isSelf={isSelf}
            units={units}
            initial={{
              username: user.username,
              name: user.name,
              title: user.title,
              unitId: user.unitId === null ? '' : String(user.unitId),
              role: user.role,
            }}
          />
        </Section>

        <div className="space-y-5">
          <Section id="password-heading" title="密码">
            <p className="mb-3 text-sm text-stone-700">
              {user.mustChangePassword
                ? otpExpired
                  ? `一次性密码已于 ${formatDateTime(user.passwordExpiresAt as Date)} 过期，需要重置密码才能登录。`
                  : user.passwordExpiresAt
                    ? `尚未修改一次性密码；一次性密码有效期至 ${formatDateTime(user.passwordExpiresAt)}。`
                    : '下次登录后须修改密码。'
                : user.passwordChangedAt
                  ? `本人于 ${formatDateTime(user.passwordChangedAt)} 设置了密码。`
                  : '本人已设置密码。'}
            </p>
            {isSelf ? (
              <p className="text-base text-stone-700">
                要修改自己的密码，请用
                <Link href="/change-password" className="text-brand-700 underline underline-offset-2">
                  修改密码
                </Link>
                。
              </p>
            ) : (
              <ResetPasswordForm key={user.id} userId={user.id} username={user.username} />
            )}
          </Section>

          <Section id="two-factor-heading" title="两步验证">
            <TwoFactorStatus viewer={viewer} userId={user.id} username={user.username} isSelf={isSelf} />
          </Section>

          <Section id="status-heading" title="账号状态">
            <UserStatusForm key={user.id} userId={user.id} active={user.active} isSelf={isSelf} />
          </Section>
        </div>
      </div>

    </AppShell>
  );
}
