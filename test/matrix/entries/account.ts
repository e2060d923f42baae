import { getDb } from '@/db';
import { notify } from '@/db/queries/notifications';
import { notifications } from '@/db/schema';
import { signedIn } from '@/test/db';
import type { MatrixEntry } from '../types';

export const entries: MatrixEntry[] = [
  {
    file: 'app/(account)/notifications/actions.ts',
    name: 'markNotificationsReadAction',
    roles: ['cadre', 'organizer', 'admin', 'auditor'],
    kind: 'submit',
    scope: 'own',
    ownership: 'filter',
    async setup() {
      const actor = await signedIn('cadre');
      const other = await signedIn('cadre');
      await getDb().transaction(async (tx) => await notify(tx, [actor.id], { kind: 'reminder', title: '请尽快提交心得' }));
      const id = (await getDb().select({ id: notifications.id }).from(notifications).get())?.id;
      // Another cadre naming the actor's notification reaches none of it: their WHERE is their own.
      return { actor, input: { id }, outsiders: [other] };
    },
  },
  {
    file: 'app/(account)/actions.ts',
    name: 'setLargeUiAction',
    roles: ['cadre', 'organizer', 'admin'],
    kind: 'submit',
    scope: 'none',
    // The switch reaches only the viewer's own row (WHERE users.id = viewer): there is no one else's to name.
    setup: async () => ({ actor: await signedIn('cadre'), input: { largeUi: '1' } }),
  },
];
