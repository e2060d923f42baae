import { formatDate, formatDateTime, shanghaiDayStart } from '@/lib/time';

/** 2020年5月9日 — 2020年6月30日, or what is known of it. */
export function courseDates(startsOn: string | null, endsOn: string | null): string {
  const s = startsOn ? formatDate(shanghaiDayStart(startsOn)) : '';
  const e = endsOn ? formatDate(shanghaiDayStart(endsOn)) : '';
  if (s && e) return s === e ? s : `${s} — ${e}`;
  if (s) return `${s} 开始`;
  if (e) return `${e} 结束`;
  return '日期未定';
}

export function meetingTime(startsAt: Date | null): string {
  return startsAt ? formatDateTime(startsAt) : '时间待定';
}

/** 不少于 500 字、不超过 2000 字 */
export function charLimits(min: number, max: number): string {
  if (min > 0 && max > 0) return `${min}–${max} 字`;
  if (min > 0) return `不少于 ${min} 字`;
  if (max > 0) return `不超过 ${max} 字`;
  return '字数不限';
}

/** How late submissions are treated, in one line. */
export function latePolicy(a: { allowLate: boolean; cutoffAt: Date | null }): string {
  if (!a.allowLate) return '截止后不能提交';
  if (a.cutoffAt) return `允许逾期提交（标注逾期），${formatDateTime(a.cutoffAt)} 停止提交`;
  return '允许逾期提交（标注逾期）';
}
