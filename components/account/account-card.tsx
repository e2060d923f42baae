import type { MyAccountDto } from '@/db/queries/account';
import { formatDateTime } from '@/lib/time';

/** Who the viewer is and where they signed in from, so that a stranger's sign-in stands out. */
export function AccountCard({ account }: { account: MyAccountDto }) {
  return (
    <section aria-labelledby="account-heading" className="rounded-lg border border-stone-200 bg-white p-5">
      <h2 id="account-heading" className="text-lg font-semibold">
        我的账号
      </h2>
      <dl className="mt-3 grid grid-cols-[5em_1fr] gap-x-3 gap-y-2 text-base">
        <dt className="text-stone-600">姓名</dt>
        <dd>{account.name}</dd>
        <dt className="text-stone-600">账号</dt>
        <dd>{account.username}</dd>
        <dt className="text-stone-600">职务</dt>
        <dd>{account.title || '—'}</dd>
        <dt className="text-stone-600">单位</dt>
        <dd>{account.unitPath || '—'}</dd>
      </dl>
      <h3 className="mt-5 text-base font-semibold">最近登录</h3>
      {account.failedSinceLastSignIn > 0 ? (
        <p className="mt-1 text-sm text-red-700">
          自上次登录以来，有 {account.failedSinceLastSignIn} 次密码错误的登录尝试。如果不是你本人，请修改密码。
        </p>
      ) : null}
      <ul className="mt-2 space-y-1 text-sm text-stone-700">
        {account.recentSignIns.map((s) => (
          <li key={s.at.getTime()}>
            {formatDateTime(s.at)}
            {s.ip ? `，来自 ${s.ip}` : ''}
            {s.current ? '（本次）' : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}
