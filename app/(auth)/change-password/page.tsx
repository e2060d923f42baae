import type { Metadata } from 'next';
import { AppShell } from '@/components/app-shell';
import { ChangePasswordForm } from '@/components/auth/change-password-form';
import { Alert } from '@/components/ui/alert';
import { requireUser } from '@/lib/auth/viewer';

export const metadata: Metadata = { title: '修改密码' };

export default async function ChangePasswordPage() {
  const viewer = await requireUser({ allowPasswordChange: true });
  return (
    <AppShell viewer={viewer} nav={!viewer.mustChangePassword}>
      <div className="mx-auto max-w-md">
        <h1 className="mb-4 text-2xl font-bold">修改密码</h1>
        {viewer.mustChangePassword ? (
          <div className="mb-4">
            <Alert kind="info">这是你第一次登录或密码刚被重置，请先设置自己的新密码。</Alert>
          </div>
        ) : null}
        <div className="rounded-lg border border-stone-200 bg-white p-6">
          <ChangePasswordForm />
        </div>
      </div>
    </AppShell>
  );
}
