import { describe, expect, it } from 'vitest';
import { REFLECTION_STATUSES } from '@/db/schema';
import { authorCanEdit, nextStatus, type ReflectionEvent } from './state';

const EVENTS: ReflectionEvent[] = ['save', 'submit', 'approve', 'return'];

// Every status × event: what is allowed and where it leads; everything else is refused.
const EXPECTED: Record<string, string | null> = {
  'draft save': 'draft',
  'draft submit': 'submitted',
  'draft approve': null,
  'draft return': null,
  'submitted save': null,
  'submitted submit': null,
  'submitted approve': 'approved',
  'submitted return': 'returned',
  'returned save': 'returned',
  'returned submit': 'submitted',
  'returned approve': null,
  'returned return': null,
  'approved save': null,
  'approved submit': null,
  'approved approve': null,
  'approved return': null,
};

describe('reflection state machine', () => {
  for (const status of REFLECTION_STATUSES) {
    for (const event of EVENTS) {
      const key = `${status} ${event}`;
      it(`${key} → ${EXPECTED[key] ?? 'refused'}`, () => {
        expect(nextStatus(status, event)).toBe(EXPECTED[key]);
      });
    }
  }

  it('lets the author edit a draft or a returned reflection only', () => {
    expect(REFLECTION_STATUSES.filter(authorCanEdit)).toEqual(['draft', 'returned']);
  });
});
