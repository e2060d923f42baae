import Link from 'next/link';
import { signOutAction } from '@/app/(auth)/actions';
import { countUnreadNotifications } from '@/db/queries/notifications';
import { getLargeUi } from '@/db/queries/users/large-ui';
import { LargeUiSwitch } from '@/components/large-ui-switch';
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
    { href: '/admin/wording', label: '规范提法' },
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
  const large = getLargeUi(viewer);
  const link = 'inline-flex min-h-11 items-center rounded-md px-3 text-stone-700 hover:bg-stone-100';
  const who = (
    <span className="text-stone-700">
      {viewer.name}
      <span className="ml-1 rounded bg-stone-100 px-1.5 py-0.5 text-xs text-stone-600">{ROLE_LABELS[viewer.role]}</span>
    </span>
  );
  const signOut = (
    <form action={signOutAction}>
      <button type="submit" className="min-h-11 w-full rounded-md border border-stone-300 px-3 py-1.5 text-stone-700 hover:bg-stone-100">
        退出登录
      </button>
    </form>
  );
  return (
    <div className="flex min-h-dvh flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-10 focus:min-h-11 focus:bg-white focus:p-2">
        跳到正文
      </a>
      {/* One row on a phone: the name, 通知 and a 菜单 that holds the rest (a <details>, so it opens without scripts). */}
      <header className="border-b-4 border-brand-600 bg-white">
        <div className="mx-auto flex max-w-6xl items-center gap-x-4 px-4 py-1.5">
          <Link href="/" className="inline-flex min-h-11 min-w-11 items-center justify-center text-xl font-bold text-brand-700">
            学思
          </Link>
          {nav ? (
            <nav aria-label="主导航" className="hidden flex-wrap gap-1 text-base md:flex">
              {NAV[viewer.role].map((item) => (
                <Link key={item.href} href={item.href} className={link}>
                  {item.label}
                </Link>
              ))}
            </nav>
          ) : null}
          <div className="ml-auto flex items-center gap-2 text-sm">
            <span className="hidden md:inline">{who}</span>
            {nav ? (
              <Link
                href="/notifications"
                className={`${link} relative justify-center`}
                aria-label={unread ? `通知，${unread} 条未读` : '通知'}
              >
                通知
                {unread ? (
                  <span aria-hidden="true" className="ml-1 rounded-full bg-brand-600 px-1.5 py-0.5 text-xs text-white">
                    {unread > 99 ? '99+' : unread}
                  </span>
                ) : null}
              </Link>
            ) : null}
            {nav ? (
              <Link href="/change-password" className="hidden min-h-11 items-center rounded-md px-3 text-stone-700 hover:bg-stone-100 md:inline-flex">
                修改密码
              </Link>
            ) : null}
            <LargeUiSwitch on={large} className="hidden md:block" />
            <div className="hidden md:block">{signOut}</div>
            <details className="relative md:hidden">
              <summary className="inline-flex min-h-11 min-w-11 cursor-pointer list-none items-center justify-center rounded-md border border-stone-300 px-3 text-base text-stone-800 hover:bg-stone-100 [&::-webkit-details-marker]:hidden">
                菜单
              </summary>
              <div className="absolute right-0 z-30 mt-2 w-64 space-y-2 rounded-lg border border-stone-200 bg-white p-3 text-base shadow-lg">
                <p>{who}</p>
                {nav ? (
                  <nav aria-label="主导航（菜单）" className="flex flex-col">
                    {NAV[viewer.role].map((item) => (
                      <Link key={item.href} href={item.href} className={link}>
                        {item.label}
                      </Link>
                    ))}
                    <Link href="/change-password" className={link}>
                      修改密码
                    </Link>
                  </nav>
                ) : null}
                <LargeUiSwitch on={large} />
                {signOut}
              </div>
            </details>
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
