import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { auditLog } from '@/db/schema';
import { signedIn, useTestDatabase } from '@/test/db';
import { checkWording } from '@/lib/wording/engine';
import { exportWordingRules, importWordingRules, saveWordingRule, setWordingRuleEnabled } from './admin';
import { allRules, rulesInForce } from './rules';

const req = { ip: '198.51.100.7', userAgent: 'vitest' };
const codes = async (text: string) => checkWording(text, await rulesInForce()).map((f) => f.code);

describe('规范提法规则: admins keep them', () => {
  useTestDatabase();

  it('adds, edits, disables and re-enables, each audited; a cadre is refused', async () => {
    const admin = await signedIn('admin');
    expect(await saveWordingRule(await signedIn('cadre'), { kind: 'literal', find: '学习强国平台', standard: '“学习强国”学习平台' }, req)).toMatchObject({ ok: false, code: 'forbidden' });
    const added = await saveWordingRule(admin, { kind: 'literal', find: '学习强国平台', standard: '“学习强国”学习平台', reason: '全称' }, req);
    expect(added).toMatchObject({ ok: true });
    expect(await codes('登录学习强国平台')).toContain((added as { code: string }).code);
    expect(await setWordingRuleEnabled(admin, { code: 'd-xi-zsj', enabled: '0' }, req)).toMatchObject({ ok: true });
    expect(await codes('习总书记')).not.toContain('d-xi-zsj');
    expect(await setWordingRuleEnabled(admin, { code: 'd-xi-zsj', enabled: '1' }, req)).toMatchObject({ ok: true });
    expect(await codes('习总书记')).toContain('d-xi-zsj');
    // A rule never fires inside its own standard form; a pattern that cannot work is refused.
    const bare = (await saveWordingRule(admin, { kind: 'literal', find: '总书记', standard: '习近平总书记' }, req)) as { code: string };
    expect(await codes('习近平总书记指出')).not.toContain(bare.code);
    expect(await codes('总书记指出')).toContain(bare.code);
    expect(await saveWordingRule(admin, { kind: 'pattern', find: '(', standard: 'x' }, req)).toMatchObject({ ok: false, fieldErrors: { find: [expect.stringMatching(/有误/u)] } });
    expect((await getDb().select({ action: auditLog.action }).from(auditLog).orderBy(auditLog.id).all()).map((a) => a.action)).toEqual(['wording.rule.create', 'wording.rule.disable', 'wording.rule.enable', 'wording.rule.create']);
  });

  it('exports every rule as .xlsx and imports it back', async () => {
    const admin = await signedIn('admin');
    await setWordingRuleEnabled(admin, { code: 'd-qt', enabled: '0' }, req);
    const { result } = await exportWordingRules.invoke(admin, {}, req);
    if (!result.ok) throw new Error(result.message);
    await setWordingRuleEnabled(admin, { code: 'd-qt', enabled: '1' }, req);
    const imported = await importWordingRules.invoke(admin, { bytes: new Uint8Array(result.bytes) }, req);
    expect(imported.result).toMatchObject({ ok: true });
    expect((await allRules()).find((r) => r.code === 'd-qt')?.enabled).toBe(false);
    expect((await allRules()).length).toBe((await rulesInForce()).length + 1);
    const bad = await importWordingRules.invoke(admin, { bytes: new Uint8Array([1, 2, 3]) }, req);
    expect(bad.result).toMatchObject({ ok: false });
  });
});
