'use server';

import { revalidatePath } from 'next/cache';
import { assignmentRefSchema, sendReminders } from '@/db/queries/tracker';
import { invalid, type ActionResult } from '@/lib/action-result';
import { requireRole } from '@/lib/auth/viewer';
import { requestInfo } from '@/lib/request';

/** 提醒未交学员: an in-app notification to everyone who has not handed in. */
export async function remindMissingAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const viewer = await requireRole('organizer', 'admin');
  const parsed = assignmentRefSchema.safeParse({ assignmentId: form.get('assignmentId') });
  if (!parsed.success) return invalid(parsed.error);
  const result = sendReminders(viewer, parsed.data, await requestInfo());
  if (!result.ok) return result;
  revalidatePath(`/review/tracker/${parsed.data.assignmentId}`);
  return { ok: true, message: `已提醒 ${result.count} 人` };
}
