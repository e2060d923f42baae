import { describe, expect, it } from 'vitest';
import { composerReducer, contentKey, excerptPatch, freshCandidates, initComposer, savePayload, type ComposerItem, type ComposerSource, type ComposerState } from './composer-state';

function source(over: Partial<ComposerSource> = {}): ComposerSource {
  return {
    course: { name: '2020年甲读书班', columnName: '甲读书班' },
    number: 1,
    title: '【甲读书班】2020年甲读书班简报（第1期）',
    headline: '',
    editor: '周编辑',
    issuedOn: '2020-05-09',
    publisher: '区委组织部',
    lead: '导语。',
    summary: '',
    transition: '现将学员讨论发言情况整理如下：',
    reportTo: '',
    sendTo: '',
    issueTo: '',
    copies: 40,
    revision: 3,
    items: [
      { id: 11, reflectionId: 101, heading: '书记 甲', body: '甲的发言。', authorName: '甲', changed: false, currentBody: null, sourceBody: '甲的发言。一是学。二是做。' },
      { id: 12, reflectionId: 102, heading: '书记 乙', body: '乙的发言。', authorName: '乙', changed: true, currentBody: '乙的新原文。', sourceBody: '乙的新原文。' },
      { id: 13, reflectionId: 103, heading: '书记 丙', body: '丙的发言。', authorName: '丙', changed: false, currentBody: null, sourceBody: null },
    ],
    ...over,
  };
}

const keys = (s: ComposerState) => s.items.map((i) => i.key);

describe('the compose screen state', () => {
  it('starts clean from the server copy, numbers as text', () => {
    const s = initComposer(source());
    expect(s).toMatchObject({ revision: 3, dirty: false, fields: { number: '1', copies: '40', lead: '导语。' } });
    expect(keys(s)).toEqual(['i11', 'i12', 'i13']);
  });

  it('edits a field and lets the default title follow the number, but not a title of its own', () => {
    let s = composerReducer(initComposer(source()), { type: 'setField', name: 'number', value: '2' });
    expect(s.fields).toMatchObject({ number: '2', title: '【甲读书班】2020年甲读书班简报（第2期）' });
    expect(s.dirty).toBe(true);
    s = composerReducer(s, { type: 'setField', name: 'number', value: '0' });
    expect(s.fields.title).toBe('【甲读书班】2020年甲读书班简报（第2期）');
    s = composerReducer(s, { type: 'setField', name: 'title', value: '专题简报' });
    s = composerReducer(s, { type: 'setField', name: 'number', value: '5' });
    expect(s.fields).toMatchObject({ number: '5', title: '专题简报' });
  });

  it('moves up and down within the list and ignores a move past either end', () => {
    const start = initComposer(source());
    const down = composerReducer(start, { type: 'move', index: 0, delta: 1 });
    expect(keys(down)).toEqual(['i12', 'i11', 'i13']);
    expect(composerReducer(start, { type: 'move', index: 0, delta: -1 })).toBe(start);
    expect(composerReducer(start, { type: 'move', index: 2, delta: 1 })).toBe(start);
  });

  it('drops an item on another position, and ignores a drop on itself or from nowhere', () => {
    const start = initComposer(source());
    expect(keys(composerReducer(start, { type: 'moveTo', from: 2, to: 0 }))).toEqual(['i13', 'i11', 'i12']);
    expect(composerReducer(start, { type: 'moveTo', from: 1, to: 1 })).toBe(start);
    expect(composerReducer(start, { type: 'moveTo', from: Number.NaN, to: 1 })).toBe(start);
    expect(composerReducer(start, { type: 'moveTo', from: 7, to: 1 })).toBe(start);
  });

  it('edits, refreshes from the newer original, and removes an item', () => {
    let s = composerReducer(initComposer(source()), { type: 'setItem', key: 'i12', patch: { body: '乙的新原文。', changed: false, refreshed: true } });
    expect(s.items[1]).toMatchObject({ id: 12, body: '乙的新原文。', changed: false, refreshed: true });
    s = composerReducer(s, { type: 'remove', key: 'i11' });
    expect(keys(s)).toEqual(['i12', 'i13']);
    expect(savePayload(s, 9).items).toEqual([
      { id: 12, reflectionId: 102, heading: '书记 乙', body: '乙的新原文。', refreshed: true },
      { id: 13, reflectionId: 103, heading: '书记 丙', body: '丙的发言。' },
    ]);
  });

  it('adds ticked candidates at the end, once each, with new keys and the roster heading', () => {
    const start = initComposer(source());
    const chosen = [
      { reflectionId: 102, authorName: '乙', authorTitle: '书记', body: '乙。' },
      { reflectionId: 104, authorName: '丁', authorTitle: '社区书记', body: '丁的发言。' },
      { reflectionId: 105, authorName: '戊', authorTitle: '', body: '戊的发言。' },
    ];
    expect(freshCandidates(start, chosen).map((c) => c.reflectionId)).toEqual([104, 105]);
    const s = composerReducer(start, { type: 'add', candidates: chosen });
    expect(s.items.slice(3)).toMatchObject([
      { key: 'n1', reflectionId: 104, heading: '社区书记 丁', body: '丁的发言。', sourceBody: '丁的发言。' },
      { key: 'n2', reflectionId: 105, heading: '戊' },
    ]);
    expect(s.items[3]?.id).toBeUndefined();
    expect(composerReducer(s, { type: 'add', candidates: chosen })).toBe(s);
    expect(savePayload(s, 9).items[3]).toEqual({ reflectionId: 104, heading: '社区书记 丁', body: '丁的发言。' });
  });

  it('takes a server copy only when nothing typed waits, and a save keeps the typed fields', () => {
    const typed = composerReducer(initComposer(source()), { type: 'setField', name: 'summary', value: '小结。' });
    const newer = source({ revision: 5, summary: '别人的小结。', items: [] });
    expect(composerReducer(typed, { type: 'serverCopy', source: newer })).toBe(typed);
    const saved = composerReducer(typed, { type: 'saved', source: source({ revision: 4, summary: '小结。' }), sentKeys: keys(typed), sentKey: contentKey(typed) });
    expect(saved).toMatchObject({ revision: 4, dirty: false, fields: { summary: '小结。' } });
    expect(composerReducer(saved, { type: 'serverCopy', source: newer })).toMatchObject({ revision: 5, fields: { summary: '别人的小结。' }, items: [] });
  });

  it('loads the other copy over typed text, keeping new keys unique', () => {
    const added = composerReducer(initComposer(source()), { type: 'add', candidates: [{ reflectionId: 104, authorName: '丁', authorTitle: '', body: '丁。' }] });
    const loaded = composerReducer(added, { type: 'load', source: source({ revision: 6 }) });
    expect(loaded).toMatchObject({ revision: 6, dirty: false });
    const again = composerReducer(loaded, { type: 'add', candidates: [{ reflectionId: 105, authorName: '戊', authorTitle: '', body: '戊。' }] });
    expect(again.items.at(-1)?.key).toBe('n2');
  });

  it('names the revision the save started from, or the one given to overwrite', () => {
    const s = initComposer(source());
    expect(savePayload(s, 9)).toMatchObject({ id: 9, expectedRevision: 3, number: '1', copies: '40' });
    expect(savePayload(s, 9, 8).expectedRevision).toBe(8);
  });

  it('is clean again when a change is undone, and dirty only while the content differs from the saved one', () => {
    const start = initComposer(source());
    const typed = composerReducer(start, { type: 'setField', name: 'lead', value: '新导语。' });
    expect(typed.dirty).toBe(true);
    expect(composerReducer(typed, { type: 'setField', name: 'lead', value: '导语。' }).dirty).toBe(false);
    const moved = composerReducer(start, { type: 'move', index: 0, delta: 1 });
    expect(composerReducer(moved, { type: 'move', index: 1, delta: -1 }).dirty).toBe(false);
  });

  it('gives items added on this screen their saved ids, and keeps what was typed while the save was on its way', () => {
    const added = composerReducer(initComposer(source()), { type: 'add', candidates: [{ reflectionId: 104, authorName: '丁', authorTitle: '', body: '丁。' }] });
    const sentKeys = keys(added);
    const sentKey = contentKey(added);
    // Typed after sending: a trailing line break the server would trim, in the new item.
    const typing = composerReducer(added, { type: 'setItem', key: 'n1', patch: { body: '丁。\n' } });
    const server = source({ revision: 4, items: [...source().items, { id: 14, reflectionId: 104, heading: '丁', body: '丁。', authorName: '丁', changed: false, currentBody: null, sourceBody: '丁。' }] });
    const saved = composerReducer(typing, { type: 'saved', source: server, sentKeys, sentKey });
    expect(saved.items[3]).toMatchObject({ key: 'n1', id: 14, body: '丁。\n', sourceBody: '丁。' });
    expect(saved).toMatchObject({ revision: 4, dirty: true });
    expect(savePayload(saved, 9).items[3]).toEqual({ id: 14, reflectionId: 104, heading: '丁', body: '丁。\n' });
    const untyped = composerReducer(saved, { type: 'setItem', key: 'n1', patch: { body: '丁。' } });
    expect(untyped.dirty).toBe(false);
  });

  it('adds candidates in the order given, not the picker\'s', () => {
    const s = composerReducer(initComposer(source({ items: [] })), {
      type: 'add',
      candidates: [106, 104, 105].map((reflectionId) => ({ reflectionId, authorName: `人${reflectionId}`, authorTitle: '', body: '。' })),
    });
    expect(s.items.map((i) => i.reflectionId)).toEqual([106, 104, 105]);
  });

  it('sorts by a rank per reflection, stable, with unranked items last', () => {
    const start = initComposer(source());
    const rank = new Map<number, (string | number)[]>([
      [103, [1, '甲']],
      [101, [2, '乙']],
    ]);
    const s = composerReducer(start, { type: 'sortBy', rank });
    expect(s.items.map((i) => i.reflectionId)).toEqual([103, 101, 102]);
    expect(s.dirty).toBe(true);
    expect(composerReducer(s, { type: 'sortBy', rank })).toBe(s);
  });

  it('keeps the 印刷标题 as a field of its own: typed, it is unsaved and goes in the save', () => {
    const start = initComposer(source({ headline: '' }));
    expect(start.fields.headline).toBe('');
    expect(savePayload(start, 9).headline).toBe('');
    const s = composerReducer(start, { type: 'setField', name: 'headline', value: '第四次集中学习交流发言摘编' });
    expect(s).toMatchObject({ dirty: true, fields: { headline: '第四次集中学习交流发言摘编', title: start.fields.title } });
    expect(savePayload(s, 9)).toMatchObject({ headline: '第四次集中学习交流发言摘编', title: start.fields.title });
    expect(initComposer(source({ headline: '学深悟透' })).fields.headline).toBe('学深悟透');
    // Saved, then cleared again: '' is sent, so that the print view derives it once more.
    const saved = composerReducer(s, { type: 'saved', source: source({ revision: 4, headline: '第四次集中学习交流发言摘编' }), sentKeys: keys(s), sentKey: contentKey(s) });
    expect(saved.dirty).toBe(false);
    const cleared = composerReducer(saved, { type: 'setField', name: 'headline', value: '' });
    expect(cleared.dirty).toBe(true);
    expect(savePayload(cleared, 9).headline).toBe('');
  });

  it('takes a draft 导语 like typed text, and a chosen excerpt as the item\'s text, never touching the source', () => {
    const start = initComposer(source());
    const lead = '5月9日上午，2020年甲读书班举行第四次集中学习。';
    const s = composerReducer(start, { type: 'setField', name: 'lead', value: lead });
    expect(s).toMatchObject({ dirty: true, fields: { lead } });
    const points = '一是学。二是做。';
    const picked = composerReducer(s, { type: 'setItem', key: 'i11', patch: { body: points } });
    expect(picked.items[0]).toMatchObject({ body: points, sourceBody: '甲的发言。一是学。二是做。' });
    expect(savePayload(picked, 9)).toMatchObject({ lead, items: [{ id: 11, body: points }, { id: 12 }, { id: 13 }] });
    // Back to 全文: the item's text is the source's again.
    const full = composerReducer(picked, { type: 'setItem', key: 'i11', patch: { body: '甲的发言。一是学。二是做。' } });
    expect(full.items[0]?.body).toBe('甲的发言。一是学。二是做。');
  });

  it('takes an excerpt of a reflection changed since it was added from the newer text, recording its revision', () => {
    const start = initComposer(source());
    const s = composerReducer(start, { type: 'setItem', key: 'i12', patch: excerptPatch(start.items[1] as ComposerItem, '乙的新原文。') });
    expect(s.items[1]).toMatchObject({ body: '乙的新原文。', changed: false, refreshed: true });
    expect(savePayload(s, 9).items[1]).toEqual({ id: 12, reflectionId: 102, heading: '书记 乙', body: '乙的新原文。', refreshed: true });
    // An unchanged one only gets its text.
    expect(excerptPatch(start.items[0] as ComposerItem, '一是学。二是做。')).toEqual({ body: '一是学。二是做。' });
  });
});
