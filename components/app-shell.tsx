import { cache } from 'react';
import { signOutAction } from '@/app/(auth)/actions';
import { shellFacts } from '@/db/queries/app-shell';
import { LargeUiSwitch } from '@/components/large-ui-switch';
import { MenuDismiss } from '@/components/menu-dismiss';
import type { Viewer } from '@/lib/auth/viewer';
import { ROLE_LABELS } from '@/lib/validation/users';
import s from './app-shell.module.css';

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

/** 大字模式 and the unread count, read once per request: the root layout and the shell both need them. */
export const shellFactsOf = cache(shellFacts);

/**
 * The frame of every signed-in page: who is signed in, where they can go, and 退出登录.
 *
 * Server HTML only: plain links (a page load each, as without scripts) rather than next/link, a
 * client component that every page would otherwise render and describe in its flight payload
 * for each of its links; the look is set per block in app-shell.module.css.
 */
export async function AppShell({
  viewer,
  children,
  nav = true,
}: {
  viewer: Viewer;
  children: React.ReactNode;
  nav?: boolean;
}) {
  const facts = await shellFactsOf(viewer);
  const unread = nav ? facts.unread : 0;
  const large = facts.largeUi;
  const who = (
    <span className={s.who}>
      {viewer.name}
      <span>{ROLE_LABELS[viewer.role]}</span>
    </span>
  );
  const signOut = (
    <button type="submit" className={s.signOut}>
      退出登录
    </button>
  );
  const items = NAV[viewer.role].map((item) => (
    <a key={item.href} href={item.href}>
      {item.label}
    </a>
  ));
  return (
    <div className={s.shell}>
      <a href="#main" className={s.skip}>
        跳到正文
      </a>
      <header>
        <div className={s.bar}>
          {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- plain links by design (see above) */}
          <a href="/" className={s.brand}>
            学思
          </a>
          {nav ? (
            <nav aria-label="主导航" className={s.nav}>
              {items}
            </nav>
          ) : null}
          <div className={s.tools}>
            {who}
            {nav ? (
              <a href="/notifications" className={s.bell} aria-label={unread ? `通知，${unread} 条未读` : '通知'}>
                通知
                {unread ? <span aria-hidden="true">{unread > 99 ? '99+' : unread}</span> : null}
              </a>
            ) : null}
            {nav ? (
              <a href="/change-password" className={s.password}>
                修改密码
              </a>
            ) : null}
            <LargeUiSwitch on={large} className={s.wide} />
            <form action={signOutAction} className={s.wide}>
              {signOut}
            </form>
            <details className={s.menu} data-shell-menu="">
              <summary>菜单</summary>
              <div>
                <p>{who}</p>
                {nav ? (
                  <nav aria-label="主导航（菜单）">
                    {items}
                    <a href="/change-password">修改密码</a>
                  </nav>
                ) : null}
                <LargeUiSwitch on={large} />
                <form action={signOutAction}>{signOut}</form>
              </div>
            </details>
            <MenuDismiss />
          </div>
        </div>
      </header>
      <main id="main" className={s.main}>
        {children}
      </main>
    </div>
  );
}

export function PageTitle({ children, actions }: { children: React.ReactNode; actions?: React.ReactNode }) {
  return (
    <div className={s.title}>
      <h1>{children}</h1>
      {actions}
    </div>
  );
}
