import type { MyAccountDto } from '@/db/queries/account';
import { formatDateTime } from '@/lib/time';
import s from './account-card.module.css';

/** Who the viewer is and where they signed in from, so that a stranger's sign-in stands out. */
export function AccountCard({ account }: { account: MyAccountDto }) {
  return (
    <section aria-labelledby="account-heading" className={s.card}>
      <h2 id="account-heading">我的账号</h2>
      <dl>
        <dt>姓名</dt>
        <dd>{account.name}</dd>
        <dt>账号</dt>
        <dd>{account.username}</dd>
        <dt>职务</dt>
        <dd>{account.title || '—'}</dd>
        <dt>单位</dt>
        <dd>{account.unitPath || '—'}</dd>
      </dl>
      <h3>最近登录</h3>
      {account.failedSinceLastSignIn > 0 ? (
        <p>自上次登录以来，有 {account.failedSinceLastSignIn} 次密码错误的登录尝试。如果不是你本人，请修改密码。</p>
      ) : null}
      <ul>
        {account.recentSignIns.map((r) => (
          <li key={r.at.getTime()}>{`${formatDateTime(r.at)}${r.ip ? `，来自 ${r.ip}` : ''}${r.current ? '（本次）' : ''}`}</li>
        ))}
      </ul>
    </section>
  );
}
