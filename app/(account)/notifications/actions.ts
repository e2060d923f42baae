'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { markNotificationsRead } from '@/db/queries/notifications';
import { requireUser } from '@/lib/auth/viewer';
import { idSchema } from '@/lib/validation/common';

const markSchema = z.strictObject({ id: idSchema.optional() });

/** Marks one notification (id) or all of the viewer's notifications read. */
export async function markNotificationsReadAction(form: FormData): Promise<void> {
  const viewer = await requireUser();
  const fields = Object.fromEntries([...form.entries()].filter(([k]) => !k.startsWith('$')));
  const parsed = markSchema.safeParse(fields);
  if (!parsed.success) return;
  markNotificationsRead(viewer, parsed.data.id ? { ids: [parsed.data.id] } : {});
  revalidatePath('/notifications');
}
