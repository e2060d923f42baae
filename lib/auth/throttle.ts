// Sign-in throttling, as pure functions over a counter row so the windows can be unit-tested.

export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
export const ACCOUNT_LIMIT = 5;
export const ADDRESS_LIMIT = 30;

export interface ThrottleState {
  failures: number;
  windowStartedAt: Date;
  blockedUntil: Date | null;
}

export function accountKey(username: string): string {
  return `account:${username.trim().toLowerCase()}`;
}

export function addressKey(ip: string): string {
  return `ip:${ip}`;
}

export function limitFor(key: string): number {
  return key.startsWith('ip:') ? ADDRESS_LIMIT : ACCOUNT_LIMIT;
}

/** True while the key is refused, whatever the password. */
export function isBlocked(state: ThrottleState | undefined, now: Date): boolean {
  return !!state?.blockedUntil && state.blockedUntil.getTime() > now.getTime();
}

/** The counter after one more failure at `now`. */
export function afterFailure(
  state: ThrottleState | undefined,
  now: Date,
  limit: number,
): ThrottleState {
  const windowOpen =
    state && now.getTime() - state.windowStartedAt.getTime() < THROTTLE_WINDOW_MS && !blockExpired(state, now);
  const failures = windowOpen ? state.failures + 1 : 1;
  const windowStartedAt = windowOpen ? state.windowStartedAt : now;
  const blockedUntil =
    failures >= limit ? new Date(now.getTime() + THROTTLE_WINDOW_MS) : windowOpen ? state.blockedUntil : null;
  return { failures, windowStartedAt, blockedUntil };
}

function blockExpired(state: ThrottleState, now: Date): boolean {
  return !!state.blockedUntil && state.blockedUntil.getTime() <= now.getTime();
}

/** Minutes left on a block, rounded up, for the message. */
export function minutesLeft(state: ThrottleState, now: Date): number {
  if (!state.blockedUntil) return 0;
  return Math.max(1, Math.ceil((state.blockedUntil.getTime() - now.getTime()) / 60000));
}
