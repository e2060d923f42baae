import { describe, expect, it } from 'vitest';
import type { BulletinEditDto, BulletinItemDto } from '@/db/queries/bulletins/shared';
import { packForComposer, unpackForComposer } from './composer-wire';

function item(over: Partial<BulletinItemDto>): BulletinItemDto {
  return {
    id: 1,
    reflectionId: 11,
    authorId: 5,
    heading: '书记 甲',
    authorName: '甲',
    authorTitle: '书记',
    body: '甲的发言。',
    sourceRevision: 1,
    changed: false,
    currentBody: null,
    sourceBody: '甲的发言。',
    currentRevision: 1,
    ...over,
  };
}

const bulletin = (items: BulletinItemDto[]): BulletinEditDto => ({
  id: 3,
  course: { id: 1, name: '读书班', columnName: '处级读书班', publisher: '街道党工委' },
  number: 2,
  title: '简报',
  headline: '',
  meetingTitle: '开班式',
  editor: '',
  issuedOn: '2026-12-02',
  publisher: '街道党工委',
  lead: '',
  summary: '',
  transition: '现将学员讨论发言情况整理如下：',
  reportTo: '',
  sendTo: '',
  issueTo: '',
  copies: 0,
  status: 'draft',
  revision: 4,
  publishedRevision: 0,
  imported: false,
  updatedAt: new Date(),
  items,
  revisions: [],
});

describe('the compose page’s payload', () => {
  const items = [
    // Taken whole: the source text is the item's text.
    item({ id: 1 }),
    // An excerpt (要点) of a longer reflection.
    item({ id: 2, body: '一是学。', sourceBody: '甲的发言。一是学。二是做。' }),
    // The reflection changed after it was added: its new text is both the source and the refresh.
    item({ id: 3, body: '旧的发言。', changed: true, currentBody: '新的发言。', sourceBody: '新的发言。', currentRevision: 2 }),
    // Imported, no reflection behind it.
    item({ id: 4, reflectionId: null, sourceBody: null, currentRevision: null }),
  ];

  it('sends each source text only where it differs, and the composer gets every item back as the server read it', () => {
    const wire = packForComposer(bulletin(items));
    expect(wire.items[0]).not.toHaveProperty('sourceBody');
    expect(wire.items[2]).not.toHaveProperty('currentBody');
    expect(JSON.stringify(wire).split('新的发言。').length - 1).toBe(1);
    const back = unpackForComposer(JSON.parse(JSON.stringify(wire)));
    expect(back.items).toEqual(
      items.map((i) => ({ id: i.id, reflectionId: i.reflectionId, heading: i.heading, body: i.body, authorName: i.authorName, changed: i.changed, currentBody: i.currentBody, sourceBody: i.sourceBody })),
    );
  });
});
