import { expect, it } from 'vitest';
import { weekOf } from '@/db/queries/statistics/course';
it('weekOf', () => {
  expect(weekOf(Date.parse('2026-03-02T00:30:00+08:00'))).toBe('2026-03-02'); // Monday
  expect(weekOf(Date.parse('2026-03-01T23:59:00+08:00'))).toBe('2026-02-23'); // Sunday
  expect(weekOf(Date.parse('2026-03-08T16:30:00Z'))).toBe('2026-03-09'); // Monday 00:30 Shanghai
});
