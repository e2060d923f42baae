import { describe, expect, it } from 'vitest';
import { changePasswordSchema, createUserSchema, listUsersSchema, signInSchema } from './users';
import { invalid } from '@/lib/action-result';

describe('user schemas', () => {
  it('normalises a new account and trims text', () => {
    const r = createUserSchema.parse({ username: ' XiaYang ', name: ' 夏定阳 ', title: '牛首镇委书记、长寿岛国家湿地公园党委书记', unitId: '', role: 'cadre' });
    expect(r).toEqual({ username: 'xiayang', name: '夏定阳', title: '牛首镇委书记、长寿岛国家湿地公园党委书记', unitId: null, role: 'cadre' });
  });

  it('gives Chinese messages for bad input', () => {
    const r = createUserSchema.safeParse({ username: '夏', name: '', role: 'boss', unitId: 'abc' });
    expect(r.success).toBe(false);
    if (r.success) return;
    const f = invalid(r.error);
    expect(f.fieldErrors?.username?.[0]).toBe('账号至少 2 个字符');
    expect(f.fieldErrors?.name?.[0]).toBe('请填写姓名');
    expect(f.fieldErrors?.role?.[0]).toBe('请选择角色');
    expect(f.fieldErrors?.unitId?.length).toBeGreaterThan(0);
    expect(f.message.startsWith('请检查输入：')).toBe(true);
  });

  it('refuses unknown fields (strict) and ids that are not positive integers', () => {
    expect(createUserSchema.safeParse({ username: 'ab', name: '张三', role: 'cadre', isAdmin: 'yes' }).success).toBe(false);
    expect(createUserSchema.safeParse({ username: 'ab', name: '张三', role: 'cadre', unitId: '-1' }).success).toBe(false);
    expect(createUserSchema.safeParse({ username: 'ab', name: '张三', role: 'cadre', unitId: '1e400' }).success).toBe(false);
  });

  it('checks that the two new passwords match', () => {
    const r = changePasswordSchema.safeParse({ currentPassword: 'a', newPassword: 'b-long-pass', confirmPassword: 'c-long-pass' });
    expect(r.success).toBe(false);
    if (!r.success) expect(invalid(r.error).fieldErrors?.confirmPassword).toEqual(['两次填写的新密码不一致']);
  });

  it('requires both sign-in fields', () => {
    const r = signInSchema.safeParse({ username: '', password: '' });
    expect(r.success).toBe(false);
  });

  it('falls back to sane list parameters instead of failing', () => {
    expect(listUsersSchema.parse({ page: '-3', role: 'king', q: 'x'.repeat(80) })).toEqual({ page: 1, role: undefined, q: undefined, status: undefined, unitId: undefined });
  });
});
