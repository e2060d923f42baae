import { z } from 'zod';
import './common';

/** 大字模式 on or off: the switch posts "1" or "0". */
export const largeUiSchema = z.object({
  largeUi: z.enum(['0', '1'], { error: '大字模式的设置无效' }).transform((v) => v === '1'),
});
