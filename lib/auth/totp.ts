// 两步验证: TOTP (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps) with otpauth, and recovery codes.
// Pure functions; the database side is db/queries/two-factor.ts.
import { createHash, randomInt } from 'node:crypto';
import * as OTPAuth from 'otpauth';

export const TOTP_PERIOD_S = 30;
export const TOTP_ISSUER = '学思';
export const RECOVERY_CODE_COUNT = 10;

function totpOf(secretBase32: string, label = ''): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: TOTP_ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_S,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
  });
}

/** A new random secret (160 bits, RFC 4226's recommendation), in base32. */
export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

/** The otpauth:// address an authenticator app reads from the QR code. */
export function totpUri(secretBase32: string, username: string): string {
  return totpOf(secretBase32, username).toString();
}

/** The time step of an instant. */
export function totpStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_S);
}

/** The code for a time step (tests and the e2e helper compute codes this way). */
export function totpCode(secretBase32: string, step: number): string {
  return totpOf(secretBase32).generate({ timestamp: step * TOTP_PERIOD_S * 1000 });
}

/**
 * The time step a typed code belongs to, allowing one step of clock drift either way, or null.
 * A step at or before `lastStep` is refused: a code that was accepted once is never accepted again.
 */
export function acceptedStep(secretBase32: string, code: string, lastStep: number | null, now: Date): number | null {
  const token = code.replace(/\s/gu, '');
  if (!/^\d{6}$/u.test(token)) return null;
  const delta = totpOf(secretBase32).validate({ token, timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  const step = totpStep(now) + delta;
  return lastStep !== null && step <= lastStep ? null : step;
}

// Recovery codes: 10 groups of letters and digits without look-alikes (0/O, 1/I/L), e.g. 7KQ4-M2XP-9RTD.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

export function newRecoveryCodes(n = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: n }, () => {
    const chars = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
  });
}

/** The stored form of a recovery code: SHA-256 of the code without spaces or dashes, upper-case (60 random bits each). */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code.replace(/[\s-]/gu, '').toUpperCase(), 'utf8').digest('hex');
}

/** True when the text typed looks like a recovery code rather than a 6-digit code. */
export function looksLikeRecoveryCode(code: string): boolean {
  return code.replace(/[\s-]/gu, '').length === 12;
}
