import { getTwoFactorStatus } from '@/db/queries/two-factor';
import type { Viewer } from '@/lib/auth/viewer-type';
import { formatDateTime } from '@/lib/time';
import { ResetTwoFactorForm } from './two-factor-forms';

/** The 两步验证 part of an account's page: whether it is on or required, and the reset. */
export async function TwoFactorStatus({ viewer, userId, username, isSelf }: { viewer: Viewer; userId: number; username: string; isSelf: boolean }) {
  const s = await getTwoFactorStatus(viewer, { userId });
  return (
    <div className="space-y-3">
      <p className="text-sm text-stone-700">
        {s.enrolled
          ? `已于 ${formatDateTime(s.enrolledAt as Date)} 启用；剩余恢复码 ${s.recoveryCodesLeft} 个。`
          : s.required
            ? '尚未启用：该账号须使用两步验证，下次登录时启用。'
            : '未启用（该角色不要求）。'}
      </p>
      {s.enrolled && !isSelf ? <ResetTwoFactorForm userId={userId} username={username} /> : null}
    </div>
  );
}
