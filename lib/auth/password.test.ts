import { describe, expect, it } from 'vitest';
import { generatePassword, hashOneTimePassword, hashPassword, passwordProblem, verifyPassword } from './password';
import { isCommonPassword } from './common-passwords';

describe('password policy', () => {
  it('refuses fewer than 8 characters and accepts 8', () => {
    expect(passwordProblem('Ab3$xyz')).toBe('密码至少需要 8 个字符');
    expect(passwordProblem('Ab3$xyzQ')).toBeNull();
  });

  it('counts characters, not bytes: eight Chinese characters are enough', () => {
    expect(passwordProblem('学思践悟知行合一')).toBeNull();
    expect(passwordProblem('学思践悟知行合')).toBe('密码至少需要 8 个字符');
  });

  it('accepts long passphrases (at least 64) and refuses over 128', () => {
    expect(passwordProblem('春'.repeat(64))).toBe('这个密码太常见，容易被猜到，请换一个'); // one repeated character
    expect(passwordProblem('长寿岛国家湿地公园的春天来得早,'.repeat(4))).toBeNull();
    expect(passwordProblem('x1'.repeat(65))).toBe('密码最多 128 个字符');
  });

  it('refuses common and trivially patterned passwords', () => {
    for (const p of ['password', 'Password', '12345678', '11111111', 'qwertyui', 'woaini1314', 'abcdefgh', '87654321', 'password123']) {
      expect(isCommonPassword(p), p).toBe(true);
      expect(passwordProblem(p)).toBe('这个密码太常见，容易被猜到，请换一个');
    }
    expect(isCommonPassword('长寿岛湿地春来早-2026')).toBe(false);
  });

  it('refuses a password that contains the account name', () => {
    expect(passwordProblem('xiayang-2026!', 'xiayang')).toBe('密码不能包含账号');
  });

  it('never truncates: a long password differing only at the end does not verify', async () => {
    const long = `${'湿地'.repeat(40)}A`;
    const hashed = await hashPassword(long);
    expect(hashed.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
    expect(await verifyPassword(hashed, long)).toBe(true);
    expect(await verifyPassword(hashed, `${'湿地'.repeat(40)}B`)).toBe(false);
  });

  it('hashes generated one-time passwords at the lighter cost, and they verify like any other', async () => {
    const otp = generatePassword();
    const hashed = await hashOneTimePassword(otp);
    expect(hashed.startsWith('$argon2id$v=19$m=1024,t=1,p=1$')).toBe(true);
    expect(await verifyPassword(hashed, otp)).toBe(true);
    expect(await verifyPassword(hashed, `${otp}x`)).toBe(false);
  });

  it('verifies nothing for an unknown account and tolerates a malformed hash', async () => {
    expect(await verifyPassword(null, 'anything-at-all')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'anything-at-all')).toBe(false);
  });

  it('generates one-time passwords that pass the policy and do not repeat', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = generatePassword();
      expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{12}$/u);
      expect(passwordProblem(p)).toBeNull();
      seen.add(p);
    }
    expect(seen.size).toBe(200);
  });
});
