import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db';
import { users } from '@/db/schema';
import { makeReflection } from '@/db/factories';
import { hashPassword } from '@/lib/auth/password';
import { courseWithAssignment } from '@/test/course-fixtures';
import { makeUser, signedIn, viewerFor } from '@/test/db';
import type { MatrixEntry, World } from '../types';

// The cadre's writing (submit, autosave, import) and signing in, out and changing a password.

const PASSWORD = '长寿岛湿地春来早-2026';
// Hashed once: argon2 is slow, and every cell builds its user afresh.
const PASSWORD_HASH = await hashPassword(PASSWORD);

const BODY = '通过这次集中学习,我深刻认识到党的自我革命是跳出历史周期率的第二个答案。';

/** A cadre in a course with an open assignment, and a cadre of no course (who must be refused). */
async function cadreWithAssignment(input: (assignmentId: number) => Record<string, unknown>): Promise<World> {
  const actor = await signedIn('cadre');
  const { assignmentId } = await courseWithAssignment([actor.id]);
  return { actor, input: input(assignmentId), outsiders: [await signedIn('cadre')] };
}

function draft(assignmentId: number) {
  return { assignmentId, title: '以自我革命精神推动基层治理', body: BODY, readingIds: [], baseRevision: 0 };
}

export const entries: MatrixEntry[] = [
  {
    file: 'app/(cadre)/my/actions.ts',
    name: 'submitReflectionAction',
    roles: ['cadre'],
    kind: 'call',
    scope: 'own',
    setup: async () => await cadreWithAssignment((id) => ({ ...draft(id), submitKey: randomUUID(), declaration: true })),
  },
  {
    file: 'app/(cadre)/my/actions.ts',
    name: 'withdrawReflectionAction',
    roles: ['cadre'],
    kind: 'form',
    scope: 'own',
    async setup() {
      // The outsider is another cadre of the same course, who must not take back someone else's.
      const actor = await signedIn('cadre');
      const other = await signedIn('cadre');
      const { assignmentId } = await courseWithAssignment([actor.id, other.id]);
      await makeReflection({ assignmentId, authorId: actor.id, status: 'submitted', title: '以自我革命精神推动基层治理', body: BODY });
      return { actor, input: { assignmentId: String(assignmentId) }, outsiders: [other, await signedIn('cadre')] };
    },
  },
  {
    file: 'app/(cadre)/my/actions.ts',
    name: 'saveDraftFormAction',
    roles: ['cadre'],
    kind: 'form',
    scope: 'own',
    setup: async () => await cadreWithAssignment((id) => ({ ...draft(id), assignmentId: String(id), baseRevision: '0', readingIds: [] })),
  },
  {
    file: 'app/(cadre)/my/actions.ts',
    name: 'submitReflectionFormAction',
    roles: ['cadre'],
    kind: 'form',
    scope: 'own',
    setup: async () =>
      await cadreWithAssignment((id) => ({ ...draft(id), assignmentId: String(id), baseRevision: '0', readingIds: [], submitKey: randomUUID(), declaration: 'on' })),
  },
  {
    file: 'app/(cadre)/my/actions.ts',
    name: 'importReflectionFileAction',
    roles: ['cadre'],
    kind: 'submit',
    scope: 'none',
    skip: { fault: 'reads the uploaded file into the editor and writes nothing' },
    setup: async () => ({
      actor: await signedIn('cadre'),
      input: { file: new File([`${BODY}\n${BODY}`], '学习心得.txt', { type: 'text/plain' }) },
    }),
  },
  {
    file: 'app/api/reflections/draft/route.ts',
    name: 'POST',
    roles: ['cadre'],
    kind: 'route',
    scope: 'own',
    setup: async () => await cadreWithAssignment(draft),
  },
  {
    file: 'app/(auth)/actions.ts',
    name: 'signInAction',
    roles: ['cadre', 'organizer', 'admin', 'auditor'],
    kind: 'form',
    scope: 'none',
    anonymous: 'signing in is what a visitor without a sign-in does; wrong credentials are refused by authenticate()',
    async setup() {
      const id = await makeUser('cadre', { passwordHash: PASSWORD_HASH });
      const username = (await getDb().select({ u: users.username }).from(users).where(eq(users.id, id)).get())?.u;
      return { actor: null, input: { username, password: PASSWORD } };
    },
  },
  {
    file: 'app/(auth)/actions.ts',
    name: 'signOutAction',
    roles: ['cadre', 'organizer', 'admin', 'auditor'],
    kind: 'submit',
    scope: 'none',
    successRedirect: '/login?signedOut=1',
    skip: { mustChange: 'someone who has not yet replaced a one-time password must still be able to sign out' },
    setup: async () => ({ actor: await signedIn('organizer'), input: {} }),
  },
  {
    file: 'app/(auth)/actions.ts',
    name: 'changePasswordAction',
    roles: ['cadre', 'organizer', 'admin', 'auditor'],
    kind: 'form',
    scope: 'none',
    skip: { mustChange: 'replacing a one-time password is the one change it allows (allowPasswordChange)' },
    async setup() {
      const actor = await viewerFor(await makeUser('cadre', { passwordHash: PASSWORD_HASH }));
      return {
        actor,
        input: { currentPassword: PASSWORD, newPassword: 'Good-pass-2026', confirmPassword: 'Good-pass-2026' },
      };
    },
  },
];
