import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import QRCode from 'qrcode';
import { SecondFactorForm } from '@/components/auth/second-factor-form';
import { readPendingSignIn } from '@/lib/auth/pending-sign-in';
import { totpUri } from '@/lib/auth/totp';

export const metadata: Metadata = { title: '两步验证' };

/** Secret in groups of four, easier to type into an app by hand. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})/gu, '$1 ').trim();
}

export default async function TwoFactorPage() {
  const pending = await readPendingSignIn();
  if (!pending) redirect('/login');
  const enrol = pending.mode === 'enrol' && !!pending.secret;
  // Drawn here on the server from the otpauth:// address: the secret never leaves for a QR service.
  const qr = enrol ? await QRCode.toDataURL(totpUri(pending.secret as string, pending.username), { margin: 1, width: 220 }) : null;
  return (
    <main id="main" className="flex min-h-dvh items-center justify-center px-4 py-10">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <p className="text-3xl font-bold text-brand-700">学思</p>
          <h1 className="mt-2 text-lg text-stone-700">{enrol ? '启用两步验证' : '两步验证'}</h1>
        </div>
        <div className="space-y-4 rounded-lg border border-stone-200 bg-white p-6 shadow-sm">
          {enrol ? (
            <>
              <p className="text-base text-stone-700">
                你的账号（{pending.username}）须使用两步验证。请用手机上的验证器（如“腾讯身份验证器”“Microsoft Authenticator”）扫描二维码，再输入它显示的 6 位数字。
              </p>
              {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL drawn on the server */}
              <img src={qr as string} alt="两步验证二维码" width={220} height={220} className="mx-auto" />
              <p className="text-sm text-stone-700">
                无法扫码时，在验证器中手动输入密钥：
                <code aria-label="密钥" className="mt-1 block break-all rounded bg-stone-100 px-2 py-1 font-mono text-base">
                  {grouped(pending.secret as string)}
                </code>
              </p>
            </>
          ) : (
            <p className="text-base text-stone-700">请输入手机验证器上显示的 6 位验证码。</p>
          )}
          <SecondFactorForm mode={enrol ? 'enrol' : 'verify'} />
        </div>
        <p className="mt-4 text-center text-sm text-stone-600">
          <Link href="/login" className="underline underline-offset-2">
            换一个账号登录
          </Link>
          ；手机和恢复码都丢失时，请联系管理员重置两步验证。
        </p>
      </div>
    </main>
  );
}
