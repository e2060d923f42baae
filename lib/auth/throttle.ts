// Sign-in throttling, as pure functions over counter rows so the windows can be unit-tested.
// Three counters (docs/decisions/0009-sign-in-throttle.md):
//   pair    (account, address): 5 failures in 15 minutes refuse that account from that address;
//   address (any account):      30 failures in 15 minutes refuse the address (spraying);
//   account (any address):      20 failures in an hour refuse the account from every address
//           where its owner has not signed in lately, and tell the owner and the admins.
// Nobody can lock a person out of their own office: failures elsewhere never block the pair
// or the address the owner uses, and the account limit spares the addresses the owner used.

export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
export const ACCOUNT_WINDOW_MS = 60 * 60 * 1000;
export const PAIR_LIMIT = 5;
export const ADDRESS_LIMIT = 30;
export const ACCOUNT_LIMIT = 20;
/** An address the owner signed in from within this many days still works under the account limit. */
export const USUAL_ADDRESS_DAYS = 90;

export interface ThrottleState {
  failures: number;
  windowStartedAt: Date;
  blockedUntil: Date | null;
}

export interface ThrottleRule {
  limit: number;
  /** The window failures are counted in, and how long a block lasts. */
  windowMs: number;
}

function account(username: string): string {
  return username.trim().toLowerCase();
}

export function accountKey(username: string): string {
  return `account:${account(username)}`;
}

export function addressKey(ip: string): string {
  return `ip:${ip}`;
}

export function pairKey(username: string, ip: string): string {
  return `pair:${ip}|${account(username)}`;
}

export function ruleFor(key: string): ThrottleRule {
  if (key.startsWith('ip:')) return { limit: ADDRESS_LIMIT, windowMs: THROTTLE_WINDOW_MS };
  if (key.startsWith('account:')) return { limit: ACCOUNT_LIMIT, windowMs: ACCOUNT_WINDOW_MS };
  return { limit: PAIR_LIMIT, windowMs: THROTTLE_WINDOW_MS };
}

export function limitFor(key: string): number {
  return ruleFor(key).limit;
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
  windowMs = THROTTLE_WINDOW_MS,
): ThrottleState {
  const windowOpen = state && now.getTime() - state.windowStartedAt.getTime() < windowMs && !blockExpired(state, now);
  const failures = windowOpen ? state.failures + 1 : 1;
  const windowStartedAt = windowOpen ? state.windowStartedAt : now;
  const blockedUntil = failures >= limit ? new Date(now.getTime() + windowMs) : windowOpen ? state.blockedUntil : null;
  return { failures, windowStartedAt, blockedUntil };
}

/** True when this failure is the one that started a block (so the owner is told once). */
export function startedBlock(before: ThrottleState | undefined, after: ThrottleState, now: Date): boolean {
  return isBlocked(after, now) && !isBlocked(before, now);
}

function blockExpired(state: ThrottleState, now: Date): boolean {
  return !!state.blockedUntil && state.blockedUntil.getTime() <= now.getTime();
}

/** Minutes left on a block, rounded up, for the message. */
export function minutesLeft(state: ThrottleState, now: Date): number {
  if (!state.blockedUntil) return 0;
  return Math.max(1, Math.ceil((state.blockedUntil.getTime() - now.getTime()) / 60000));
}
