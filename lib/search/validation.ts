import { z } from 'zod';
import { idSchema, pageSchema } from '@/lib/validation/common';

export const SEARCH_MAX_CHARS = 50;

/** The search form: 搜索心得 (at most 50 characters), an optional 读书班, the page. */
export const searchReflectionsSchema = z.object({
  q: z
    .string()
    .transform((s) => s.replace(/\s+/gu, ' ').trim())
    .pipe(z.string().max(SEARCH_MAX_CHARS, { error: `搜索词最多 ${SEARCH_MAX_CHARS} 个字` })),
  courseId: z.preprocess((v) => (v === '' || v === null ? undefined : v), idSchema.optional()),
  page: pageSchema.default(1),
});

export type SearchReflectionsInput = z.input<typeof searchReflectionsSchema>;
