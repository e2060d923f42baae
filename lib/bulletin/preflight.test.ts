import { describe, expect, it } from 'vitest';
import { initComposer } from './composer-state';
import { publishPreflight } from './preflight';

const base = initComposer({
  course: { name: '2020年甲读书班', columnName: '甲读书班' },
  number: 2,
  title: '标题',
  headline: '',
  editor: '',
  issuedOn: '2020-05-09',
  publisher: '',
  lead: '导语。',
  summary: '',
  transition: '',
  reportTo: '区委组织部',
  sendTo: '区委宣传部',
  issueTo: '各街道党工委',
  copies: 40,
  revision: 3,
  items: [
    { id: 1, reflectionId: 11, heading: '书记 甲', body: '甲。', authorName: '甲', changed: false, currentBody: null, sourceBody: null },
    { id: 2, reflectionId: 12, heading: '书记 乙', body: '乙。', authorName: '乙', changed: true, currentBody: '乙新。', sourceBody: '乙新。' },
  ],
});

describe('the publish preflight', () => {
  it('lists the empty 报尾 fields, 共印 0, changed sources and unsaved changes', () => {
    const found = publishPreflight({ fields: { ...base.fields, sendTo: '', issueTo: ' ', copies: '0' }, items: base.items, dirty: true });
    expect(found.map((f) => f.text)).toEqual([
      '报尾的“送”、“发”是空的。',
      '共印份数是 0，打印版不会印“（共印N份）”。',
      '第 2 条（乙）的原文在加入简报后有修改。',
      '有未保存的修改：确认发布时会先保存再发布。',
    ]);
    expect(found.every((f) => f.level === 'warn')).toBe(true);
  });

  it('blocks a bulletin without items, and finds nothing in a finished one', () => {
    expect(publishPreflight({ fields: base.fields, items: [], dirty: false })[0]).toMatchObject({ level: 'block' });
    expect(publishPreflight({ fields: base.fields, items: base.items.slice(0, 1), dirty: false })).toEqual([]);
  });
});

describe('the publish preflight: 规范提法与标点 per item and in the 简报’s own prose', () => {
  it('names the item of each finding, with ids that survive fixing another one', async () => {
    const { wordingPreflight, wordingTexts } = await import('./preflight');
    const { DEFAULT_RULES } = await import('@/lib/wording/rules');
    const { applyFixes } = await import('@/lib/wording/engine');
    const items = [
      { ...base.items[0]!, body: '学习习总书记讲话,其它同志也发言。' },
      { ...base.items[1]!, body: '没有问题。' },
    ];
    const clean = { ...base.fields, headline: '', lead: '', transition: '', summary: '' };
    const found = wordingPreflight(wordingTexts(clean, items), DEFAULT_RULES);
    expect(found.map((f) => `${f.where} ${f.finding.found}`)).toEqual(['第 1 条（甲） 习总书记', '第 1 条（甲） ,', '第 1 条（甲） 其它']);
    const fixed = [{ ...items[0]!, body: applyFixes(items[0]!.body, [found[0]!.finding]) }, items[1]!];
    const again = wordingPreflight(wordingTexts(clean, fixed), DEFAULT_RULES);
    expect(again.map((f) => f.id)).toEqual([found[1]!.id, found[2]!.id]);
  });

  it('checks the 导语 and 小结 the office writes, and names them', async () => {
    const { fieldTextKey, wordingPreflight, wordingTexts } = await import('./preflight');
    const { DEFAULT_RULES } = await import('@/lib/wording/rules');
    const fields = { ...base.fields, headline: '', transition: '', lead: '会议传达学习了习总书记重要讲话精神。', summary: '大家表示,要学以致用。' };
    const found = wordingPreflight(wordingTexts(fields, [{ ...base.items[0]!, body: '没有问题。' }]), DEFAULT_RULES);
    expect(found.map((f) => `${f.where} ${f.finding.found}`)).toEqual(['导语 习总书记', '小结 ,']);
    expect(found[0]!.itemKey).toBe(fieldTextKey('lead'));
  });
});
