// Every date a person reads is in Asia/Shanghai, whatever the server's zone.
const TZ = 'Asia/Shanghai';

const dateFmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TZ,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
});
const partsFmt = new Intl.DateTimeFormat('en-US', {
  timeZone: TZ,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function shanghaiParts(d: Date): Parts {
  const out: Record<string, number> = {};
  for (const p of partsFmt.formatToParts(d)) {
    if (p.type !== 'literal' && p.type !== 'dayPeriod') out[p.type] = Number(p.value);
  }
  return out as unknown as Parts;
}

/** 2020年5月9日 */
export function formatDate(d: Date): string {
  const p = shanghaiParts(d);
  return `${p.year}年${p.month}月${p.day}日`;
}

/** 2020年5月9日 14:05 */
export function formatDateTime(d: Date): string {
  const p = shanghaiParts(d);
  return `${p.year}年${p.month}月${p.day}日 ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

/** Parses a yyyy-mm-dd day as the start of that day in Asia/Shanghai (UTC+8, no DST). */
export function shanghaiDayStart(ymd: string): Date {
  return new Date(`${ymd}T00:00:00+08:00`);
}

export { dateFmt };
