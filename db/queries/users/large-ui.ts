import 'server-only';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db';
import { mutation } from '@/db/mutation';
import { users } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import { largeUiSchema } from '@/lib/validation/preferences';

// 大字模式 (适老化): a per-user switch that enlarges the whole interface. Only the viewer's own
// row is read or written; the WHERE names the viewer's id.

export async function getLargeUi(viewer: Viewer): Promise<boolean> {
  return (await getDb().select({ on: users.largeUi }).from(users).where(eq(users.id, viewer.id)).get())?.on ?? false;
}

export const setLargeUi = mutation({
  roles: ['cadre', 'organizer', 'admin'],
  schema: largeUiSchema,
  async run(tx, { viewer }, input) {
    await tx.update(users).set({ largeUi: input.largeUi }).where(eq(users.id, viewer.id)).run();
    return { ok: true as const, largeUi: input.largeUi };
  },
});
