import { z } from 'zod';
import { idSchema } from './common';

export const courseIdInputSchema = z.object({ courseId: idSchema });

export const similarityThresholdSchema = z.object({
  courseId: idSchema,
  threshold: z.coerce
    .number({ message: '请填写 1 到 100 之间的整数' })
    .int('请填写 1 到 100 之间的整数')
    .min(1, '阈值至少是 1%')
    .max(100, '阈值最多是 100%'),
});
