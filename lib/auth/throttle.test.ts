import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_WINDOW_MS,
  accountKey,
  afterFailure,
  isBlocked,
  limitFor,
  minutesLeft,
  pairKey,
  ruleFor,
  startedBlock,
  THROTTLE_WINDOW_MS,
  type ThrottleState,
} from './throttle';

const t0 = new Date('2026-11-22T08:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const MIN = 60_000;

function fail(times: number, start?: ThrottleState, stepMs = 10_000, limit = 5): ThrottleState | undefined {
  let s = start;
  for (let i = 0; i < times; i++) s = afterFailure(s, at(i * stepMs), limit);
  return s;
}

describe('sign-in throttle', () => {
  it('blocks after the fifth failure within 15 minutes, not before', () => {
    expect(isBlocked(fail(4), at(40_000))).toBe(false);
    const s = fail(5);
    expect(s?.failures).toBe(5);
    expect(isBlocked(s, at(41_000))).toBe(true);
  });

  it('keeps the block for 15 minutes after the fifth failure, then lifts it', () => {
    const s = fail(5) as ThrottleState;
    const fifth = at(40_000).getTime();
    expect(s.blockedUntil?.getTime()).toBe(fifth + THROTTLE_WINDOW_MS);
    expect(isBlocked(s, new Date(fifth + 14 * MIN))).toBe(true);
    expect(minutesLeft(s, new Date(fifth + 14 * MIN))).toBe(1);
    expect(isBlocked(s, new Date(fifth + 15 * MIN))).toBe(false);
  });

  it('starts a new window when failures are more than 15 minutes apart', () => {
    const s = fail(4, undefined, 5 * MIN); // at 0, 5, 10, 15 min: the fourth opens a new window
    expect(s?.failures).toBe(1);
    expect(isBlocked(s, at(16 * MIN))).toBe(false);
  });

  it('counts afresh once a block has expired', () => {
    const blocked = fail(5) as ThrottleState;
    const later = new Date((blocked.blockedUntil as Date).getTime() + 1000);
    const s = afterFailure(blocked, later, 5);
    expect(s.failures).toBe(1);
    expect(isBlocked(s, later)).toBe(false);
  });

  it('allows about 30 failures from one address', () => {
    expect(limitFor('ip:10.0.0.1')).toBe(30);
    expect(limitFor(pairKey('Admin', '10.0.0.1'))).toBe(5);
    expect(isBlocked(fail(29, undefined, 1000, 30), at(30_000))).toBe(false);
    expect(isBlocked(fail(30, undefined, 1000, 30), at(30_000))).toBe(true);
  });

  it('keys accounts case-insensitively', () => {
    expect(accountKey(' XiaYang ')).toBe('account:xiayang');
    expect(pairKey(' XiaYang ', '192.0.2.1')).toBe('pair:192.0.2.1|xiayang');
  });

  it('counts an account across addresses more slowly: 20 failures in an hour, blocked for an hour', () => {
    expect(ruleFor(accountKey('a'))).toEqual({ limit: 20, windowMs: ACCOUNT_WINDOW_MS });
    let s: ThrottleState | undefined;
    for (let i = 0; i < 19; i++) s = afterFailure(s, at(i * 3 * MIN), 20, ACCOUNT_WINDOW_MS);
    expect(isBlocked(s, at(57 * MIN))).toBe(false);
    const before = s;
    s = afterFailure(s, at(58 * MIN), 20, ACCOUNT_WINDOW_MS);
    expect(startedBlock(before, s, at(58 * MIN))).toBe(true);
    expect(s.blockedUntil?.getTime()).toBe(at(58 * MIN).getTime() + ACCOUNT_WINDOW_MS);
    // A further failure during the block does not start it again (the owner is told once).
    expect(startedBlock(s, afterFailure(s, at(59 * MIN), 20, ACCOUNT_WINDOW_MS), at(59 * MIN))).toBe(false);
  });
});
