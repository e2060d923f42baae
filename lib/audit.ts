import { auditLog } from '@/db/schema';
import type { Tx } from '@/db';

export const AUDIT_ACTIONS = {
  'login.success': '登录成功',
  'login.failure': '登录失败',
  'login.blocked': '登录被限制',
  logout: '退出登录',
  'password.change': '修改密码',
  'password.reset': '重置密码',
  'user.create': '新建账号',
  'user.update': '修改账号',
  'user.role': '变更角色',
  'user.deactivate': '停用账号',
  'user.reactivate': '启用账号',
  'user.bootstrap': '创建初始管理员',
  'unit.create': '新建单位',
  'unit.rename': '重命名单位',
  'unit.move': '移动单位',
  'unit.delete': '删除单位',
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export interface AuditEntry {
  actorId: number | null;
  actorUsername: string | null;
  action: AuditAction;
  targetType?: string;
  targetId?: string | number;
  detail?: Record<string, unknown>;
  ip?: string | null;
}

/** Writes an audit row; always called inside the transaction that makes the change. */
export function writeAudit(tx: Tx, entry: AuditEntry): void {
  tx.insert(auditLog)
    .values({
      actorId: entry.actorId,
      actorUsername: entry.actorUsername,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId === undefined ? null : String(entry.targetId),
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
      ip: entry.ip ?? null,
    })
    .run();
}
