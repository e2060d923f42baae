import type { ReflectionStatus } from '@/db/schema';

// The reflection workflow: 草稿 → 已提交 → 退回修改 → (resubmitted) 已提交 → 已通过.

export const STATUS_LABELS: Record<ReflectionStatus | 'not_started' | 'not_required' | 'missed', string> = {
  not_started: '未开始',
  /** Expected, closed, and never handed in. */
  missed: '未交',
  /** Closed before the cadre joined the course: never expected of them (db/queries/expected.ts). */
  not_required: '无需提交',
  draft: '草稿',
  submitted: '已提交',
  returned: '退回修改',
  approved: '已通过',
};

export type ReflectionEvent = 'save' | 'submit' | 'approve' | 'return' | 'withdraw';

const TABLE: Record<ReflectionStatus, Partial<Record<ReflectionEvent, ReflectionStatus>>> = {
  draft: { save: 'draft', submit: 'submitted' },
  submitted: { approve: 'approved', return: 'returned', withdraw: 'draft' },
  returned: { save: 'returned', submit: 'submitted' },
  approved: {},
};

/** The status after the event, or null when the event is not allowed in this status. */
export function nextStatus(status: ReflectionStatus, event: ReflectionEvent): ReflectionStatus | null {
  return TABLE[status][event] ?? null;
}

/** Only the author edits, and only while the text is theirs to change. */
export function authorCanEdit(status: ReflectionStatus): boolean {
  return nextStatus(status, 'save') !== null;
}

export function refusalMessage(status: ReflectionStatus, event: ReflectionEvent): string {
  if (event === 'save' || event === 'submit') {
    return status === 'approved' ? '这篇心得已通过，不能再修改' : '这篇心得已提交，等待审阅期间不能修改';
  }
  return status === 'approved' ? '这篇心得已经通过' : status === 'returned' ? '这篇心得已退回修改' : '这篇心得还没有提交';
}
