import { describe, expect, it } from 'vitest';
import { deadlineLabel, deadlineState, formatSpan, submitClosedReason } from './deadline';

const due = new Date('2020-05-09T10:00:00Z'); // 5月9日 18:00 in Shanghai
const at = (ms: number) => new Date(due.getTime() + ms);
const H = 3600_000;
const D = 24 * H;

describe('deadlines', () => {
  it('open before the due time, late after it, closed after the cut-off or when late work is refused', () => {
    expect(deadlineState({ dueAt: due, cutoffAt: null, allowLate: true }, at(-(3 * D + 4 * H)))).toEqual({ kind: 'open', msLeft: 3 * D + 4 * H });
    expect(deadlineState({ dueAt: due, cutoffAt: null, allowLate: true }, at(0)).kind).toBe('open');
    expect(deadlineState({ dueAt: due, cutoffAt: null, allowLate: true }, at(2 * H))).toEqual({ kind: 'late', msLate: 2 * H });
    expect(deadlineState({ dueAt: due, cutoffAt: at(D), allowLate: true }, at(D)).kind).toBe('late');
    expect(deadlineState({ dueAt: due, cutoffAt: at(D), allowLate: true }, at(D + 1)).kind).toBe('closed');
    expect(deadlineState({ dueAt: due, cutoffAt: null, allowLate: false }, at(1)).kind).toBe('closed');
  });

  it('says the time left or how late in words', () => {
    expect(deadlineLabel({ kind: 'open', msLeft: 3 * D + 4 * H + 59_000 })).toBe('还剩 3 天 4 小时');
    expect(deadlineLabel({ kind: 'late', msLate: 2 * H })).toBe('已逾期 2 小时');
    expect(deadlineLabel({ kind: 'closed', msLate: 5 * D })).toBe('已截止');
    expect(formatSpan(2 * D)).toBe('2 天');
    expect(formatSpan(H + 15 * 60_000)).toBe('1 小时 15 分钟');
    expect(formatSpan(40 * 60_000)).toBe('40 分钟');
    expect(formatSpan(30_000)).toBe('不到 1 分钟');
  });

  it('explains a refusal with the time in Asia/Shanghai, and lets a returned reflection through', () => {
    expect(submitClosedReason({ dueAt: due, cutoffAt: at(H), allowLate: true }, at(2 * H), false)).toBe(
      '已过截止时间（2020年5月9日 19:00），不能再提交',
    );
    expect(submitClosedReason({ dueAt: due, cutoffAt: null, allowLate: false }, at(H), false)).toBe(
      '已过提交期限（2020年5月9日 18:00），这项任务不接受逾期提交',
    );
    expect(submitClosedReason({ dueAt: due, cutoffAt: at(H), allowLate: false }, at(2 * H), true)).toBeNull();
    expect(submitClosedReason({ dueAt: due, cutoffAt: null, allowLate: true }, at(H), false)).toBeNull();
  });
});
