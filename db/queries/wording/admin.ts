import 'server-only';
import { z } from 'zod';
import type { Tx } from '@/db';
import { actorOf, writeAudit } from '@/db/audit';
import { mutation, preparedMutation } from '@/db/mutation';
import { wordingRules } from '@/db/schema';
import { fail } from '@/lib/action-result';
import type { Viewer } from '@/lib/auth/viewer-type';
import type { RequestInfo } from '@/lib/request';
import { attachment, fileStamp, toXlsx, XLSX_TYPE } from '@/lib/roster/export';
import { readXlsxRows } from '@/lib/roster/xlsx';
import { DEFAULT_RULES } from '@/lib/wording/rules';
import { rowsToRules, ruleInputSchema, ruleToRow, SHEET_HEADER, type SheetRule } from '@/lib/wording/sheet';
import { allRules } from './rules';

// Admins keep the office's 规范提法 rules: add, edit, disable, re-enable (a bundled rule is
// changed by a row of the same code overlaying it), and import/export them as .xlsx. Every
// change is audited.

const DEFAULT_CODES = new Set(DEFAULT_RULES.map((r) => r.code));

async function upsert(tx: Tx, viewer: Viewer, rule: SheetRule & { code: string }) {
  const values = { kind: rule.kind, find: rule.find, standard: rule.standard, reason: rule.reason, category: rule.category, allow: rule.allow, enabled: rule.enabled, updatedBy: viewer.id, updatedAt: new Date() };
  await tx.insert(wordingRules).values({ code: rule.code, ...values }).onConflictDoUpdate({ target: wordingRules.code, set: values }).run();
}

async function nextCode(tx: Tx): Promise<string> {
  const n = (await tx.select({ id: wordingRules.id }).from(wordingRules).all()).reduce((m, r) => Math.max(m, r.id), 0) + 1;
  return `c-${n}`;
}

export const saveWordingRule = mutation({
  roles: ['admin'],
  schema: ruleInputSchema,
  async run(tx, { viewer, request }, input) {
    const current = input.code ? (await allRules(tx)).find((r) => r.code === input.code) : undefined;
    if (input.code && !current) return fail('not_found', '找不到这条规则');
    const code = input.code || await nextCode(tx);
    await upsert(tx, viewer, { ...input, code, enabled: current?.enabled ?? true });
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: current ? 'wording.rule.update' : 'wording.rule.create',
      targetType: 'wordingRule',
      targetId: code,
      detail: current ? { from: { find: current.find, standard: current.standard, kind: current.kind }, to: { find: input.find, standard: input.standard, kind: input.kind } } : { find: input.find, standard: input.standard, kind: input.kind },
    });
    return { ok: true as const, code };
  },
});

export const setWordingRuleEnabled = mutation({
  roles: ['admin'],
  schema: z.object({ code: z.string().trim().min(1).max(40), enabled: z.enum(['0', '1']).transform((v) => v === '1') }),
  async run(tx, { viewer, request }, input) {
    const current = (await allRules(tx)).find((r) => r.code === input.code);
    if (!current) return fail('not_found', '找不到这条规则');
    if (current.enabled === input.enabled) return { ok: true as const };
    await upsert(tx, viewer, { code: current.code, kind: current.kind, find: current.find, standard: current.standard, reason: current.reason, category: current.category, allow: (current.allow ?? []).join('\n'), enabled: input.enabled });
    await writeAudit(tx, { ...actorOf(viewer, request), action: input.enabled ? 'wording.rule.enable' : 'wording.rule.disable', targetType: 'wordingRule', targetId: current.code, detail: { find: current.find } });
    return { ok: true as const };
  },
});

export const WORDING_SHEET_MAX_BYTES = 2 * 1024 * 1024;

export const importWordingRules = preparedMutation({
  roles: ['admin'],
  schema: z.object({ bytes: z.instanceof(Uint8Array) }),
  async prepare(_ctx, { bytes }) {
    // A failure from prepare is the answer (the kernel never opens the transaction), so each one
    // carries its code: 'invalid' answers 400 with the message.
    if (bytes.byteLength === 0) return fail('invalid', '文件是空的');
    if (bytes.byteLength > WORDING_SHEET_MAX_BYTES) return fail('invalid', '文件太大（最大 2 MB）');
    const read = await readXlsxRows(bytes, 2000);
    if (!read.ok) return fail('invalid', read.message);
    const parsed = rowsToRules(read.rows.map((r) => r.cells));
    return parsed.ok ? parsed : fail('invalid', parsed.message);
  },
  async run(tx, { viewer, request }, _input, parsed) {
    let created = 0;
    let updated = 0;
    const existing = new Set((await allRules(tx)).filter((r) => r.changed || DEFAULT_CODES.has(r.code)).map((r) => r.code));
    for (const rule of parsed.rules) {
      const code = rule.code || await nextCode(tx);
      if (existing.has(code)) updated++;
      else created++;
      await upsert(tx, viewer, { ...rule, code });
    }
    await writeAudit(tx, { ...actorOf(viewer, request), action: 'wording.rule.import', targetType: 'wordingRule', detail: { rows: parsed.rules.length, created, updated } });
    return { ok: true as const, created, updated };
  },
});

export const exportWordingRules = preparedMutation({
  roles: ['admin'],
  schema: z.object({}),
  async prepare() {
    const rows = (await allRules()).map(ruleToRow);
    const bytes = await toXlsx({ name: '规范提法规则', columns: SHEET_HEADER.map((header, i) => ({ header, width: [10, 8, 28, 36, 40, 10, 20, 6][i] ?? 12 })), rows });
    const fileName = `规范提法规则-${fileStamp(new Date())}.xlsx`;
    return { bytes, fileName, count: rows.length };
  },
  async run(tx, { viewer, request }: { viewer: Viewer; request: RequestInfo }, _input, file) {
    await writeAudit(tx, { ...actorOf(viewer, request), action: 'wording.rule.export', targetType: 'wordingRule', detail: { rows: file.count } });
    return { ok: true as const, bytes: file.bytes, contentType: XLSX_TYPE, disposition: attachment(file.fileName, 'wording-rules.xlsx') };
  },
});
