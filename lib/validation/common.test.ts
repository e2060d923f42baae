import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { checkboxSchema, idSchema } from './common';

describe('common schemas', () => {
  it('gives zod’s own messages in Chinese', () => {
    const r = z.object({ id: z.number() }).safeParse('not an object');
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues[0]?.message).toMatch(/^无效输入/u);
  });

  it('reads a checkbox as true when checked and false when the field is absent', () => {
    const form = z.strictObject({ id: idSchema, active: checkboxSchema });
    expect(form.parse({ id: '3', active: 'on' })).toEqual({ id: 3, active: true });
    expect(form.parse({ id: '3' })).toEqual({ id: 3, active: false });
    expect(form.safeParse({ id: '3', active: 'maybe' }).success).toBe(false);
  });
});
