import { hash, verify } from '@node-rs/argon2';
import { randomInt } from 'node:crypto';
import { isCommonPassword } from './common-passwords';

// argon2id (Algorithm.Argon2id is a const enum that isolatedModules cannot import; its value is 2).
const ARGON2ID = 2;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// A real hash of a random string, computed once, so that checking an unknown account
// costs the same as checking a known one.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (!storedHash) {
    dummyHash ??= hashPassword(`dummy-${randomInt(1e9)}`);
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

/** Why a new password is refused, in Chinese; null when it is acceptable. */
export function passwordProblem(password: string, username?: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `密码至少需要 ${PASSWORD_MIN} 个字符`;
  if (length > PASSWORD_MAX) return `密码最多 ${PASSWORD_MAX} 个字符`;
  if (password.trim() === '') return '密码不能全是空格';
  if (username && password.toLowerCase().includes(username.toLowerCase()) && username.length >= 3) {
    return '密码不能包含账号';
  }
  if (isCommonPassword(password)) return '这个密码太常见,容易被猜到,请换一个';
  return null;
}

// No 0/O, 1/l/I: a one-time password is read off a screen or a sheet and typed by hand.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random one-time password (12 characters, about 70 bits). */
export function generatePassword(length = 12): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}
