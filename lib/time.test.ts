import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, shanghaiDayStart } from './time';

describe('dates in Asia/Shanghai', () => {
  it('shows an instant late in the UTC day as the next Shanghai day', () => {
    const d = new Date('2020-05-08T23:30:00Z');
    expect(formatDate(d)).toBe('2020年5月9日');
    expect(formatDateTime(d)).toBe('2020年5月9日 07:30');
  });

  it('reads a day as starting at Shanghai midnight', () => {
    expect(shanghaiDayStart('2020-05-09').toISOString()).toBe('2020-05-08T16:00:00.000Z');
  });
});
