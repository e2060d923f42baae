// Where an assignment stands against its due time and cut-off. Pure, so that the list, the
// editor and the submit check agree, and the boundaries are unit-tested.

import { formatDateTime } from '@/lib/time';

export interface Deadline {
  dueAt: Date;
  /** After this instant nothing can be submitted; null for never. */
  cutoffAt: Date | null;
  allowLate: boolean;
}

export type DeadlineState =
  | { kind: 'open'; msLeft: number }
  | { kind: 'late'; msLate: number }
  | { kind: 'closed'; msLate: number };

export function deadlineState(d: Deadline, now: Date): DeadlineState {
  const t = now.getTime();
  const due = d.dueAt.getTime();
  const pastCutoff = d.cutoffAt !== null && t > d.cutoffAt.getTime();
  if (pastCutoff || (!d.allowLate && t > due)) return { kind: 'closed', msLate: Math.max(0, t - due) };
  if (t > due) return { kind: 'late', msLate: t - due };
  return { kind: 'open', msLeft: due - t };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** 3 天 4 小时 / 2 小时 15 分钟 / 40 分钟 / 不到 1 分钟 */
export function formatSpan(ms: number): string {
  if (ms < MINUTE) return '不到 1 分钟';
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  if (days > 0) return hours > 0 ? `${days} 天 ${hours} 小时` : `${days} 天`;
  if (hours > 0) return minutes > 0 ? `${hours} 小时 ${minutes} 分钟` : `${hours} 小时`;
  return `${minutes} 分钟`;
}

/** 还剩 3 天 4 小时 / 已逾期 2 小时 / 已截止 */
export function deadlineLabel(state: DeadlineState): string {
  if (state.kind === 'open') return `还剩 ${formatSpan(state.msLeft)}`;
  if (state.kind === 'late') return `已逾期 ${formatSpan(state.msLate)}`;
  return '已截止';
}

/**
 * Why a first submission (or a draft's) is refused at this instant, or null. A reflection that
 * an organizer returned for revision may always be resubmitted: they asked for it.
 */
export function submitClosedReason(d: Deadline, now: Date, returned: boolean): string | null {
  if (returned) return null;
  const state = deadlineState(d, now);
  if (state.kind !== 'closed') return null;
  if (d.cutoffAt !== null && now.getTime() > d.cutoffAt.getTime()) return `已过截止时间（${formatDateTime(d.cutoffAt)}），不能再提交`;
  return `已过提交期限（${formatDateTime(d.dueAt)}），这项任务不接受逾期提交`;
}
