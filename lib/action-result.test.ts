import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { echoFields, formFields, formValues, invalid } from './action-result';

describe('form helpers', () => {
  it('drops React’s $ACTION fields and keeps checkbox groups as arrays', () => {
    const form = new FormData();
    form.append('$ACTION_ID_abc', '');
    form.append('title', '第六次集中学习');
    form.append('readingIds', '3');
    form.append('readingIds', '5');
    form.append('userIds', '7');
    expect(formFields(form, ['readingIds', 'userIds'])).toEqual({ title: '第六次集中学习', readingIds: ['3', '5'], userIds: ['7'] });
    expect(echoFields({ title: '标题', readingIds: ['3', '5'] })).toEqual({ title: '标题', readingIds: '3,5' });
  });

  it('never echoes a password back', () => {
    const form = new FormData();
    form.append('username', 'xiayang');
    form.append('password', 'secret-123');
    form.append('newPassword', 'secret-456');
    expect(formValues(form)).toEqual({ username: 'xiayang' });
  });

  it('turns a zod failure into field errors with a Chinese summary', () => {
    const r = z.object({ name: z.string().min(1, { error: '请填写姓名' }) }).safeParse({ name: '' });
    expect(r.success).toBe(false);
    if (!r.success) expect(invalid(r.error)).toMatchObject({ ok: false, message: '请检查输入：请填写姓名', fieldErrors: { name: ['请填写姓名'] } });
  });
});
