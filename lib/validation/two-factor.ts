import { z } from 'zod';
import { idSchema } from './common';

export const secondFactorCodeSchema = z.strictObject({
  code: z
    .string({ error: '请输入验证码' })
    .trim()
    .min(1, { error: '请输入验证码' })
    .max(20, { error: '验证码是 6 位数字，恢复码形如 7KQ4-M2XP-9RTD' }),
});

export const resetTwoFactorSchema = z.strictObject({ id: idSchema });

export const twoFactorPolicySchema = z.strictObject({
  // A checkbox: 'on' when ticked, absent when not.
  organizers: z
    .union([z.literal('on'), z.literal('true'), z.literal('')])
    .optional()
    .transform((v) => v === 'on' || v === 'true'),
});
