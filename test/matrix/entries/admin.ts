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

async function addUnit(name: string, parentId: number | null = null): Promise<number> {
  return (await getDb().insert(units).values({ name, parentId }).returning({ id: units.id }).get()).id;
}

const ROSTER = [
  ['账号', '姓名', '职务', '单位', '角色'],
  ['xiadingyang', '夏定阳', '牛首镇委书记', '', '学员'],
];

/** An upload of the admin's, stored as the preview leaves it, and the digest of its plan. */
async function storedUpload(actor: Viewer): Promise<{ importId: string; digest: string }> {
  const bytes = csvOf(ROSTER);
  const rows = parseCsv(bytes.toString('utf8'), 100);
  if (!rows.ok) throw new Error(rows.message);
  const table = toRosterTable(rows.rows);
  if (!table.ok) throw new Error(table.message);
  const importId = saveUpload(bytes, { ownerId: actor.id, fileName: '名单.csv', allowCreateUnits: false });
  return { importId, digest: (await planAgainst(getDb(), actor, table.table, false)).digest };
}

async function adminWith(input: Record<string, unknown>): Promise<World> {
  return { actor: await signedIn('admin'), input };
}

const form = (name: string, setup: () => World | Promise<World>): MatrixEntry => ({
  file: ACTIONS,
  name,
  roles: ['admin'],
  kind: 'form',
  scope: 'none',
  setup,
});

const user = async (over: Parameters<typeof makeUser>[1] = {}) => await makeUser('cadre', over);

export const entries: MatrixEntry[] = [
  form('createUserAction', async () => await adminWith({ username: 'xinren', name: '新人', title: '', unitId: '', role: 'cadre' })),
  form('updateUserAction', async () =>
    await adminWith({ id: await user(), username: 'gaiming', name: '改名', title: '镇长', unitId: '', role: 'organizer' }),
  ),
  form('resetPasswordAction', async () => await adminWith({ id: await user() })),
  form('setUserActiveAction', async () => await adminWith({ id: await user(), active: 'false' })),
  form('createUnitAction', async () => await adminWith({ name: '牛首镇', parentId: await addUnit('樊城区') })),
  form('renameUnitAction', async () => await adminWith({ id: await addUnit('樊城区'), name: '襄州区' })),
  form('moveUnitAction', async () => {
    const district = await addUnit('樊城区');
    return await adminWith({ id: await addUnit('牛首镇', district), parentId: await addUnit('襄州区') });
  }),
  form('deleteUnitAction', async () => await adminWith({ id: await addUnit('樊城区') })),
  {
    file: 'app/(admin)/admin/bulk-actions.ts',
    name: 'bulkUsersAction',
    roles: ['admin'],
    kind: 'form',
    scope: 'none',
    setup: async () => await adminWith({ op: 'role', ids: [await user(), await user()], role: 'organizer', unitId: '' }),
  },
  {
    file: 'app/api/admin/roster/preview/route.ts',
    name: 'POST',
    roles: ['admin'],
    kind: 'route',
    scope: 'none',
    setup: async () => await adminWith({}),
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
    async setup() {
      const actor = await signedIn('admin');
      // Another admin naming this upload finds nothing: uploads are read by their owner only.
      return { actor, input: await storedUpload(actor), outsiders: [await signedIn('admin')] };
    },
  },
  {
    file: 'app/api/admin/roster/cancel/route.ts',
    name: 'POST',
    roles: ['admin'],
    kind: 'route',
    scope: 'own',
    ownership: 'filter',
    async setup() {
      const actor = await signedIn('admin');
      const { importId } = await storedUpload(actor);
      return { actor, input: { importId }, outsiders: [await signedIn('admin')] };
    },
    skip: { fault: 'cancelling deletes the stored upload file and writes no database row' },
  },
];
