import { signedIn } from '@/test/db';
import { toXlsx } from '@/lib/roster/export';
import { ruleToRow, SHEET_HEADER } from '@/lib/wording/sheet';
import type { MatrixEntry } from '../types';

// 规范提法规则: admins only (rules apply to everyone; no course or owner scope).

const ORIGIN = 'http://xuesi.example';
const ACTIONS = 'app/(admin)/admin/wording/actions.ts';

const SHEET = await toXlsx({
  name: '规范提法规则',
  columns: SHEET_HEADER.map((header) => ({ header, width: 12 })),
  rows: [
    ruleToRow({ code: '', kind: 'literal', find: '学习强国平台', standard: '“学习强国”学习平台', reason: '平台全称。', category: '自定义', enabled: true }),
    ruleToRow({ code: 'd-qt', kind: 'literal', find: '其它', standard: '其他', reason: '统一用“其他”。', category: '用字用词', enabled: false }),
  ],
});

export const entries: MatrixEntry[] = [
  {
    file: ACTIONS,
    name: 'saveWordingRuleAction',
    roles: ['admin'],
    kind: 'form',
    scope: 'none',
    setup: async () => ({ actor: await signedIn('admin'), input: { code: '', kind: 'literal', find: '学习强国平台', standard: '“学习强国”学习平台', reason: '平台全称', category: '自定义', allow: '' } }),
  },
  {
    file: ACTIONS,
    name: 'setWordingRuleEnabledAction',
    roles: ['admin'],
    kind: 'submit',
    scope: 'none',
    setup: async () => ({ actor: await signedIn('admin'), input: { code: 'd-xi-zsj', enabled: '0' } }),
  },
  {
    file: 'app/api/admin/wording-rules/import/route.ts',
    name: 'POST',
    roles: ['admin'],
    kind: 'route',
    scope: 'none',
    setup: async () => ({ actor: await signedIn('admin'), input: {} }),
    request: () =>
      new Request(`${ORIGIN}/api/admin/wording-rules/import`, {
        method: 'POST',
        headers: { host: 'xuesi.example', origin: ORIGIN, 'content-type': 'application/octet-stream' },
        body: new Uint8Array(SHEET) as BodyInit,
      }),
  },
];
