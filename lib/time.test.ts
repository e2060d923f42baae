import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, shanghaiDayStart, shanghaiParts } from './time';

describe('dates in Asia/Shanghai', () => {
  it('shows an instant late in the UTC day as the next Shanghai day', () => {
    const d = new Date('2020-05-08T23:30:00Z');
    expect(formatDate(d)).toBe('2020年5月9日');
    expect(formatDateTime(d)).toBe('2020年5月9日 07:30');
  });

  it('reads a day as starting at Shanghai midnight', () => {
    expect(shanghaiDayStart('2020-05-09').toISOString()).toBe('2020-05-08T16:00:00.000Z');
  });

  it('gives the same calendar fields as Intl in Asia/Shanghai, from 1992 to 2060', () => {
    const intl = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    const start = Date.UTC(1992, 0, 1);
    const step = 7_777_777; // a little over two hours, so that every hour and minute comes round
    for (let t = start; t < Date.UTC(2060, 0, 1); t += step * 97) {
      for (const at of [t, t + 59_999, t + step]) {
        const d = new Date(at);
        const want = Object.fromEntries(intl.formatToParts(d).filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
        expect(shanghaiParts(d)).toEqual(want);
      }
    }
    expect(formatDateTime(new Date('2026-12-31T16:00:00Z'))).toBe('2027年1月1日 00:00');
    expect(() => formatDate(new Date('not a date'))).toThrow(RangeError);
  });
});
