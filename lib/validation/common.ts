import { z } from 'zod';

// Messages zod writes itself, where a schema names none, are in Chinese too. Every schema module
// imports this file, so the setting is in force wherever input is parsed.
z.config(z.locales.zhCN());

/** Ids from forms and URLs are strings. */
export const idSchema = z.coerce
  .number({ error: '编号无效' })
  .int({ error: '编号无效' })
  .positive({ error: '编号无效' })
  .max(Number.MAX_SAFE_INTEGER, { error: '编号无效' });

export const pageSchema = z.coerce.number().int().min(1).max(100000).catch(1);

/** Trimmed text with a Chinese message for empty and too long. */
export function text(label: string, max: number, { optional = false } = {}) {
  const base = z
    .string({ error: `请填写${label}` })
    .transform((s) => s.replace(/\s+/gu, ' ').trim())
    .pipe(z.string().max(max, { error: `${label}最多 ${max} 个字` }));
  return optional ? base : base.pipe(z.string().min(1, { error: `请填写${label}` }));
}

/** A checkbox in a form: present means true. */
export const checkboxSchema = z
  .union([z.literal('on'), z.literal('true'), z.literal('1'), z.literal(''), z.literal('false'), z.literal('0')])
  // An unchecked box sends no field at all.
  .optional()
  .transform((v) => v === 'on' || v === 'true' || v === '1');
