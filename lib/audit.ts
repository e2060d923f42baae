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
  'roster.import': '导入花名册',
  'roster.export': '导出花名册',
  'audit.export': '导出审计日志',
  'reflection.create': '开始撰写心得',
  'reflection.submit': '提交心得',
  'reflection.remind': '提醒未交学员',
  'seed.demo': '载入演示数据',
  'course.create': '新建读书班',
  'course.update': '修改读书班',
  'course.archive': '归档读书班',
  'course.unarchive': '取消归档读书班',
  'course.delete': '删除读书班',
  'course.organizer.add': '指派组织者',
  'course.organizer.remove': '移除组织者',
  'course.enroll': '加入学员',
  'course.member.group': '调整学员小组',
  'course.member.remove': '移出学员',
  'group.create': '新建讨论小组',
  'group.update': '修改讨论小组',
  'group.delete': '删除讨论小组',
  'reading.create': '新建学习篇目',
  'reading.update': '修改学习篇目',
  'reading.delete': '删除学习篇目',
  'meeting.create': '新建集中学习',
  'meeting.update': '修改集中学习',
  'meeting.delete': '删除集中学习',
  'assignment.create': '布置心得任务',
  'assignment.update': '修改心得任务',
  'assignment.delete': '删除心得任务',
  'reflection.approve': '通过心得',
  'reflection.return': '退回心得',
  'reflection.excellent': '标记优秀心得',
  'reflection.note': '写内部备注',
  'tag.create': '新建标签',
  'tag.rename': '重命名标签',
  'tag.merge': '合并标签',
  'tag.delete': '删除标签',
  'tag.apply': '加标签',
  'tag.remove': '去标签',
  'commentBank.create': '添加评语库评语',
  'commentBank.delete': '删除评语库评语',
  'bulletin.create': '新建简报',
  'bulletin.save': '保存简报',
  'bulletin.publish': '发布简报',
  'bulletin.correct': '更正简报',
  'bulletin.unpublish': '撤回简报',
  'bulletin.delete': '删除简报',
  'bulletin.import': '导入简报',
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
