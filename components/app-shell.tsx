import Link from 'next/link';
import { signOutAction } from '@/app/(auth)/actions';
import { countUnreadNotifications } from '@/db/queries/notifications';
import type { Viewer } from '@/lib/auth/viewer';
import { ROLE_LABELS } from '@/lib/validation/users';

const NAV: Record<Viewer['role'], { href: string; label: string }[]> = {
  cadre: [
    { href: '/my', label: '我的学习' },
    { href: '/my/bulletins', label: '简报' },
  ],
  organizer: [
    { href: '/review', label: '审阅' },
    { href: '/courses', label: '读书班' },
    { href: '/review/search', label: '搜索' },
    { href: '/review/tracker', label: '交稿情况' },
    { href: '/bulletins', label: '简报' },
  ],
  admin: [
    { href: '/admin', label: '账号' },
    { href: '/admin/units', label: '单位' },
    { href: '/admin/roster', label: '花名册' },
    { href: '/admin/security', label: '安全' },
    { href: '/courses', label: '读书班' },
    { href: '/review/search', label: '搜索' },
    { href: '/review/tracker', label: '交稿情况' },
    { href: '/bulletins', label: '简报' },
  ],
  auditor: [{ href: '/audit', label: '审计日志' }],
};

/** The frame of every signed-in page: who is signed in, where they can go, and 退出登录. */
export function AppShell({
  viewer,
  children,
  nav = true,
}: {
  viewer: Viewer;
  children: React.ReactNode;
  nav?: boolean;
}) {
  const unread = nav ? countUnreadNotifications(viewer) : 0;
  return (
    <div className="flex min-h-dvh flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-10 focus:bg-white focus:p-2">
        跳到正文
      </a>
      <header className="border-b-4 border-brand-600 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <Link href="/" className="text-xl font-bold text-brand-700">
            学思
          </Link>
          {nav ? (
            <nav aria-label="主导航" className="flex flex-wrap gap-1 text-base">
              {NAV[viewer.role].map((item) => (
                <Link key={item.href} href={item.href} className="rounded-md px-3 py-2 text-stone-700 hover:bg-stone-100">
                  {item.label}
                </Link>
              ))}
            </nav>
          ) : null}
          <div className="ml-auto flex items-center gap-3 text-sm">
            <span className="text-stone-700">
              {viewer.name}
              <span className="ml-1 rounded bg-stone-100 px-1.5 py-0.5 text-xs text-stone-600">{ROLE_LABELS[viewer.role]}</span>
            </span>
            {nav ? (
              <Link href="/notifications" className="relative text-stone-700 hover:underline" aria-label={unread ? `通知，${unread} 条未读` : '通知'}>
                通知
                {unread ? (
                  <span aria-hidden="true" className="ml-1 rounded-full bg-brand-600 px-1.5 py-0.5 text-xs text-white">
                    {unread > 99 ? '99+' : unread}
                  </span>
                ) : null}
              </Link>
            ) : null}
            {nav ? (
              <Link href="/change-password" className="text-stone-600 underline-offset-2 hover:underline">
                修改密码
              </Link>
            ) : null}
            <form action={signOutAction}>
              <button type="submit" className="min-h-11 rounded-md border border-stone-300 px-3 py-1.5 text-stone-700 hover:bg-stone-100">
                退出登录
              </button>
            </form>
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6">
        {children}
      </main>
    </div>
  );
}

export function PageTitle({ children, actions }: { children: React.ReactNode; actions?: React.ReactNode }) {
  return (
    <div className="mb-5 flex flex-wrap items-center justify-between gap-3">
      <h1 className="text-2xl font-bold text-stone-900">{children}</h1>
      {actions}
    </div>
  );
}
