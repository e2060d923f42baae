// Idle timeout (等保 身份鉴别: 登录连接超时自动退出). A sign-in that has seen no request for this
// long is ended at the next request, which then asks to sign in again. SESSION_IDLE_MINUTES sets
// it (README); the sign-in row's last-seen time is written at most once a minute.

export const DEFAULT_IDLE_MINUTES = 30;
/** last_seen_at is refreshed only when it is at least this old: no write on every request. */
export const LAST_SEEN_STEP_MS = 60_000;

/** The idle limit in milliseconds: SESSION_IDLE_MINUTES (5–480), else 30 minutes. */
export function idleTimeoutMs(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.SESSION_IDLE_MINUTES);
  const minutes = Number.isInteger(n) && n >= 5 && n <= 480 ? n : DEFAULT_IDLE_MINUTES;
  return minutes * 60_000;
}

/** True when a sign-in last seen at `lastSeen` has been idle too long at `now`. */
export function isIdle(lastSeen: Date, now: Date, limitMs = idleTimeoutMs()): boolean {
  return now.getTime() - lastSeen.getTime() >= limitMs;
}

/** True when the last-seen time is old enough to be written again. */
export function needsTouch(lastSeen: Date, now: Date): boolean {
  return now.getTime() - lastSeen.getTime() >= LAST_SEEN_STEP_MS;
}
