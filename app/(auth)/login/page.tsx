import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/auth/sign-in-form';
import { Alert } from '@/components/ui/alert';
import { homeFor } from '@/lib/authz';
import { currentViewer } from '@/lib/auth/viewer';

export const metadata: Metadata = { title: '登录' };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const viewer = await currentViewer();
  if (viewer) redirect(viewer.mustChangePassword ? '/change-password' : homeFor(viewer.role));
  const callbackUrl = typeof params.callbackUrl === 'string' ? params.callbackUrl : undefined;
  return (
    <main id="main" className="flex min-h-dvh items-center justify-center px-4 py-10">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <p className="text-3xl font-bold text-brand-700">学思</p>
          <h1 className="mt-2 text-lg text-stone-700">读书班学习平台 · 登录</h1>
        </div>
        <div className="space-y-4 rounded-lg border border-stone-200 bg-white p-6 shadow-sm">
          {params.signedOut ? <Alert kind="success">你已退出登录。</Alert> : null}
          <SignInForm callbackUrl={callbackUrl} />
        </div>
        <p className="mt-4 text-center text-sm text-stone-600">忘记密码请联系本单位管理员重置。</p>
      </div>
    </main>
  );
}
