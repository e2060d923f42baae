import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { isPostgres } from '@/db/dialect';
import { auditOf, req, twoCourses } from '@/db/queries/courses.fixtures';
import { reflections, users } from '@/db/schema';
import { sampleContent } from '@/lib/bulletin/fixtures';
import { toPlainText } from '@/lib/bulletin/format';
import { useTestDatabase } from '@/test/db';
import { checksumOfDatabase } from '@/test/matrix/checksum';
import { commitBulletinImport, previewBulletinImport } from './import';
import { getBulletinForEdit } from './list';

const emptyFields = { editor: '', issuedOn: '2021-06-18', publisher: '', lead: '', summary: '', transition: '', reportTo: '', sendTo: '', issueTo: '', copies: 0 };

describe('importing an old bulletin', () => {
  useTestDatabase();

  it('parses, matches speakers to members, and creates a draft with imported reflections', async () => {
    const fx = await twoCourses();
    const content = sampleContent({
      items: [
        { heading: '街道党工委副书记 甲学员', authorName: '甲学员', authorTitle: '街道党工委副书记', body: '第一段。' },
        { heading: '社区党总支书记 宋佳', authorName: '宋佳', authorTitle: '社区党总支书记', body: '第二段。' },
      ],
    });
    const previewed = await previewBulletinImport(fx.a.organizer, { courseId: fx.a.courseId, text: toPlainText(content) });
    if (!previewed.ok) throw new Error(previewed.message);
    const { preview } = previewed;
    expect(preview.parsed.items).toHaveLength(2);
    expect(preview.matches).toEqual([fx.a.memberId, null]);
    expect(preview.matchNotes).toEqual(['姓名与职务一致', '未匹配']);
    const p = preview.parsed;
    const result = await commitBulletinImport(
      fx.a.organizer,
      {
        courseId: fx.a.courseId,
        number: p.number ?? 1,
        title: p.title,
        editor: p.editor,
        issuedOn: p.issuedOn ?? '2021-06-18',
        publisher: p.publisher,
        lead: p.lead,
        summary: p.summary,
        transition: p.transition,
        reportTo: p.reportTo,
        sendTo: p.sendTo,
        issueTo: p.issueTo,
        copies: p.copies,
        importReflections: true,
        assignmentId: fx.a.assignmentId,
        items: p.items.map((it, i) => ({ ...it, match: i === 0 ? fx.a.memberId : ('new' as const) })),
      },
      req,
    );
    expect(result).toMatchObject({ ok: true, createdUsers: 1, createdReflections: 2 });
    if (!result.ok) return;
    const dto = await getBulletinForEdit(fx.a.organizer, { id: result.id });
    expect(dto).toMatchObject({ imported: true, status: 'draft', number: 3 });
    expect(dto.items.map((i) => i.heading)).toEqual(['街道党工委副书记 甲学员', '社区党总支书记 宋佳']);
    const imported = await getDb().select().from(reflections).where(eq(reflections.imported, true)).all();
    expect(imported.map((r) => [r.status, r.body])).toEqual([
      ['approved', '第一段。'],
      ['approved', '第二段。'],
    ]);
    // Imported reflections are in the search index like written ones.
    // (FTS5's reflections_fts on SQLite, the tsvector table reflections_search on PostgreSQL.)
    const indexed = (await getDb().all(
      isPostgres()
        ? sql`select reflection_id as id from reflections_search order by reflection_id`
        : sql`select rowid as id from reflections_fts order by rowid`,
    )) as { id: number }[];
    expect(indexed.map((r) => r.id)).toEqual(imported.map((r) => r.id));
    const created = await getDb().select().from(users).where(eq(users.name, '宋佳')).get();
    expect(created).toMatchObject({ role: 'cadre', title: '社区党总支书记', mustChangePassword: true });
    expect(await auditOf('bulletin.import')).toHaveLength(1);
  });
});

describe('an import refused part-way', () => {
  useTestDatabase();

  it('leaves no account, bulletin, item, reflection or audit row behind, and a retry succeeds', async () => {
    const fx = await twoCourses();
    const input = {
      courseId: fx.a.courseId,
      number: 5,
      title: '【甲读书班】2020年甲读书班简报(第5期)',
      editor: '',
      issuedOn: '2021-06-18',
      publisher: '',
      lead: '导语。',
      summary: '',
      transition: '',
      reportTo: '',
      sendTo: '',
      issueTo: '',
      copies: 0,
      importReflections: true,
      assignmentId: fx.a.assignmentId,
      items: [
        { heading: '社区党总支书记 宋佳', authorName: '宋佳', authorTitle: '社区党总支书记', body: '第一段。', match: 'new' as const },
        { heading: '无名发言', authorName: '', authorTitle: '', body: '第二段。', match: 'new' as const },
      ],
    };
    const before = await checksumOfDatabase();
    const refused = await commitBulletinImport(fx.a.organizer, input, req);
    expect(refused).toMatchObject({ ok: false, code: 'invalid', message: '第2条发言没有姓名，不能新建学员' });
    expect(await checksumOfDatabase()).toBe(before);
    const fixed = { ...input, items: [input.items[0]!, { ...input.items[1]!, match: fx.a.memberId }] };
    expect(await commitBulletinImport(fx.a.organizer, fixed, req)).toMatchObject({ ok: true, createdUsers: 1, createdReflections: 2 });
  });

  it('refuses a speaker chosen from outside the course after writing earlier items, and leaves nothing', async () => {
    const fx = await twoCourses();
    const before = await checksumOfDatabase();
    const refused = await commitBulletinImport(
      fx.a.organizer,
      {
        courseId: fx.a.courseId,
        ...emptyFields,
        number: 7,
        title: '导入的简报',
        importReflections: true,
        assignmentId: fx.a.assignmentId,
        items: [
          { heading: '甲', authorName: '甲学员', authorTitle: '', body: '第一段。', match: fx.a.memberId },
          { heading: '乙', authorName: '乙学员', authorTitle: '', body: '第二段。', match: fx.b.memberId },
        ],
      },
      req,
    );
    expect(refused).toMatchObject({ ok: false, code: 'invalid', message: '第2条发言选择的学员不在本读书班' });
    expect(await checksumOfDatabase()).toBe(before);
  });

  it("refuses another course's organizer and a cadre, and writes nothing", async () => {
    const fx = await twoCourses();
    const before = await checksumOfDatabase();
    const input = { ...emptyFields, courseId: fx.a.courseId, number: 9, title: '导入', importReflections: false, assignmentId: null, items: [] };
    expect(await commitBulletinImport(fx.b.organizer, input, req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await commitBulletinImport(fx.cadre, input, req)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await previewBulletinImport(fx.b.organizer, { courseId: fx.a.courseId, text: '标题' }, req)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await previewBulletinImport(fx.cadre, { courseId: fx.a.courseId, text: '标题' }, req)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await checksumOfDatabase()).toBe(before);
  });

  it('解析 answers an empty paste and a text without speeches with a message', async () => {
    const fx = await twoCourses();
    expect(await previewBulletinImport(fx.a.organizer, { courseId: fx.a.courseId, text: '  ' }, req)).toMatchObject({ ok: false, code: 'invalid', fieldErrors: { text: ['请粘贴简报全文'] } });
    expect(await previewBulletinImport(fx.a.organizer, { courseId: fx.a.courseId, text: '只有一行字' }, req)).toMatchObject({ ok: false, code: 'no_items' });
    const content = sampleContent();
    const ok = await previewBulletinImport(fx.a.organizer, { courseId: fx.a.courseId, text: toPlainText(content) }, req);
    expect(ok.ok && ok.preview.parsed.items.length).toBe(content.items.length);
  });

  it('reads a date without a year in the course’s year, and refuses to save without a date', async () => {
    const fx = await twoCourses();
    const text = ['读书班第二次集中学习侧记', '5月9日', '导语。', '街道党工委副书记 甲学员', '发言。'].join('\n');
    const previewed = await previewBulletinImport(fx.a.organizer, { courseId: fx.a.courseId, text });
    if (!previewed.ok) throw new Error(previewed.message);
    expect(previewed.preview.parsed.issuedOn).toBe('2020-05-09');
    const before = await checksumOfDatabase();
    const refused = await commitBulletinImport(
      fx.a.organizer,
      { courseId: fx.a.courseId, number: 1, title: '标题', ...emptyFields, issuedOn: '', items: [], importReflections: false, assignmentId: null },
      req,
    );
    expect(refused).toMatchObject({ ok: false, fieldErrors: { issuedOn: ['请选择日期'] } });
    expect(await checksumOfDatabase()).toBe(before);
  });
});
