import type { IssuedPassword } from '@/app/(admin)/admin/actions';

/**
 * Shows a freshly issued one-time password. It exists only in this response: the server keeps a
 * hash, so once the admin leaves the page it cannot be shown again.
 */
export function OneTimePassword({ issued }: { issued: IssuedPassword }) {
  return (
    <div className="space-y-2 rounded-md border-2 border-amber-400 bg-amber-50 p-4 text-stone-900">
      <p className="text-base">
        账号 <strong className="font-semibold">{issued.username}</strong> 的一次性密码：
      </p>
      <output
        aria-label="一次性密码"
        className="block select-all rounded bg-white px-3 py-2 font-mono text-2xl tracking-wider break-all"
      >
        {issued.password}
      </output>
      <p className="text-base font-medium">请把一次性密码交给本人，首次登录后须修改。</p>
      <p className="text-sm text-stone-700">
        一次性密码有效期至 {issued.expiresAtText}。它只显示这一次，离开本页后无法再查看；如遗失，请重新重置密码。
      </p>
    </div>
  );
}
