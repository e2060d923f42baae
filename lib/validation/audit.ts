import { z } from 'zod';
import '@/lib/validation/common';

const ymd = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/u)
  .optional()
  .catch(undefined);

export const listAuditSchema = z.object({
  actor: z.string().trim().max(50).optional().catch(undefined),
  action: z.string().trim().max(50).optional().catch(undefined),
  from: ymd,
  to: ymd,
  page: z.coerce.number().int().min(1).max(100000).catch(1),
});

/** 导出 on the audit page: the page's filter, every page. */
export const exportAuditSchema = listAuditSchema.omit({ page: true });
