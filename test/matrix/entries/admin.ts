import { getDb } from '@/db';
import { planAgainst } from '@/db/queries/roster/plan';
import { units } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import { parseCsv } from '@/lib/roster/csv';
import { csvOf } from '@/lib/roster/fixtures/build';
import { saveUpload } from '@/lib/roster/store';
import { toRosterTable } from '@/lib/roster/table';
import { makeUser, signedIn } from '@/test/db';
import type { MatrixEntry, World } from '../types';

// Administration: accounts, units, the bulk actions of the account list, and the roster import's
// route handlers. Everything is the admin's alone, so the role cells carry the weight; an upload
// belongs to the admin who made it, so the import's commit and cancel are scoped to their owner.

const ACTIONS = 'app/(admin)/admin/actions.ts';
const ORIGIN = 'http://xuesi.example';

function addUnit(name: string, parentId: number | null = null): number {
  return getDb().insert(units).values({ name, parentId }).returning({ id: units.id }).get().id;
}

const ROSTER = [
  ['账号', '姓名', '职务', '单位', '角色'],
  ['xiadingyang', '夏定阳', '牛首镇委书记', '', '学员'],
];

/** An upload of the admin's, stored as the preview leaves it, and the digest of its plan. */
function storedUpload(actor: Viewer): { importId: string; digest: string } {
  const bytes = csvOf(ROSTER);
  const rows = parseCsv(bytes.toString('utf8'), 100);
  if (!rows.ok) throw new Error(rows.message);
  const table = toRosterTable(rows.rows);
  if (!table.ok) throw new Error(table.message);
  const importId = saveUpload(bytes, { ownerId: actor.id, fileName: '名单.csv', allowCreateUnits: false });
  return { importId, digest: planAgainst(getDb(), actor, table.table, false).digest };
}

function adminWith(input: Record<string, unknown>): World {
  return { actor: signedIn('admin'), input };
}

const form = (name: string, setup: () => World): MatrixEntry => ({
  file: ACTIONS,
  name,
  roles: ['admin'],
  kind: 'form',
  scope: 'none',
  setup,
});

const user = (over: Parameters<typeof makeUser>[1] = {}) => makeUser('cadre', over);

export const entries: MatrixEntry[] = [
  form('createUserAction', () => adminWith({ username: 'xinren', name: '新人', title: '', unitId: '', role: 'cadre' })),
  form('updateUserAction', () =>
    adminWith({ id: user(), username: 'gaiming', name: '改名', title: '镇长', unitId: '', role: 'organizer' }),
  ),
  form('resetPasswordAction', () => adminWith({ id: user() })),
  form('setUserActiveAction', () => adminWith({ id: user(), active: 'false' })),
  form('createUnitAction', () => adminWith({ name: '牛首镇', parentId: addUnit('樊城区') })),
  form('renameUnitAction', () => adminWith({ id: addUnit('樊城区'), name: '襄州区' })),
  form('moveUnitAction', () => {
    const district = addUnit('樊城区');
    return adminWith({ id: addUnit('牛首镇', district), parentId: addUnit('襄州区') });
  }),
  form('deleteUnitAction', () => adminWith({ id: addUnit('樊城区') })),
  {
    file: 'app/(admin)/admin/bulk-actions.ts',
    name: 'bulkUsersAction',
    roles: ['admin'],
    kind: 'form',
    scope: 'none',
    setup: () => adminWith({ op: 'role', ids: [user(), user()], role: 'organizer', unitId: '' }),
  },
  {
    file: 'app/api/admin/roster/preview/route.ts',
    name: 'POST',
    roles: ['admin'],
    kind: 'route',
    scope: 'none',
    setup: () => adminWith({}),
    request: () =>
      new Request(`${ORIGIN}/api/admin/roster/preview?name=${encodeURIComponent('名单.csv')}`, {
        method: 'POST',
        headers: { host: 'xuesi.example', origin: ORIGIN, 'content-type': 'application/octet-stream' },
        body: csvOf(ROSTER) as BodyInit,
      }),
    skip: { fault: 'the preview writes no database row: it plans against the database and stores the upload as a file' },
  },
  {
    file: 'app/api/admin/roster/commit/route.ts',
    name: 'POST',
    roles: ['admin'],
    kind: 'route',
    scope: 'own',
    setup() {
      const actor = signedIn('admin');
      // Another admin naming this upload finds nothing: uploads are read by their owner only.
      return { actor, input: storedUpload(actor), outsiders: [signedIn('admin')] };
    },
  },
  {
    file: 'app/api/admin/roster/cancel/route.ts',
    name: 'POST',
    roles: ['admin'],
    kind: 'route',
    scope: 'own',
    ownership: 'filter',
    setup() {
      const actor = signedIn('admin');
      const { importId } = storedUpload(actor);
      return { actor, input: { importId }, outsiders: [signedIn('admin')] };
    },
    skip: { fault: 'cancelling deletes the stored upload file and writes no database row' },
  },
];
