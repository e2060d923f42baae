import 'server-only';
import { appendAudit } from '@/db/audit-chain';
import type { Tx } from '@/db';
import type { AuditAction } from '@/lib/audit-actions';
import type { Viewer } from '@/lib/auth/viewer-type';
import type { RequestInfo } from '@/lib/request';

export type { AuditAction };
export { appendAudit };

export interface AuditEntry {
  actorId: number | null;
  actorUsername: string | null;
  action: AuditAction;
  targetType?: string;
  targetId?: string | number;
  detail?: Record<string, unknown>;
  ip?: string | null;
}

/** Writes an audit row; always called inside the transaction that makes the change. */
export async function writeAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await appendAudit(tx, [
    {
      actorId: entry.actorId,
      actorUsername: entry.actorUsername,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId === undefined ? null : String(entry.targetId),
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
      ip: entry.ip ?? null,
    },
  ]);
}

/** Who did it and from where, as an audit row records it. */
export function actorOf(viewer: Viewer, req: RequestInfo) {
  return { actorId: viewer.id, actorUsername: viewer.username, ip: req.ip };
}

