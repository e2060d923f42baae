// The 简报 benchmark (npm run bench calls it; also runnable alone): on a temporary database,
// a course with 100 approved reflections of about 2,000 字 each is compiled into one bulletin
// (save with every item, then load it back as the export reads it) and exported to .docx.
// Prints the figures; the aim is under 1 s for compile + export.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PARAGRAPH =
  '一是坚持以上率下,领导班子带头读原文、学原著、悟原理,把理论学习同调查研究结合起来,在真学真懂真信真用上下功夫。' +
  '二是坚持问题导向,围绕群众急难愁盼,把加装电梯、停车难、为老服务等小事办好办实,做到件件有回音、事事有着落。' +
  '三是坚持三方共治,推动居委会、业委会和物业服务企业形成合力,把党的组织优势转化为基层治理效能。';

export async function benchBulletin(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuesi-bench-bulletin-'));
  const previous = process.env.DATABASE_PATH;
  process.env.DATABASE_PATH = path.join(dir, 'bench.db');
  const { getDb, getWriteSqlite, closeDb } = await import('../db');
  closeDb();
  try {
    const { enroll, makeAssignment, makeCourse, makeMeeting, makeReflection, makeUser, viewerFor } = await import('../db/factories');
    const { getBulletinForEdit } = await import('../db/queries/bulletins/list');
    const { createBulletin, saveBulletin } = await import('../db/queries/bulletins/compose');
    const { bulletinContentForExport } = await import('../db/queries/bulletins/published');
    const { bulletinDocxBuffer } = await import('../lib/bulletin/docx');
    const { countChars } = await import('../lib/text/char-count');
    getDb();
    const sqlite = getWriteSqlite();
    const body = Array.from({ length: 13 }, () => PARAGRAPH).join('\n');
    const N = 100;
    let organizerId = 0;
    const reflectionIds: number[] = [];
    // The factories write on this connection: one transaction keeps the build fast.
    await getDb().transaction(async () => {
      organizerId = await makeUser('organizer', { username: 'bench-org', name: '周组织' });
      const courseId = await makeCourse({
        name: '2026年全区党组织书记读书班',
        columnName: '书记读书班',
        publisher: '中共示范区委组织部',
        startsOn: null,
        organizerIds: [organizerId],
      });
      const meetingId = await makeMeeting(courseId, { title: '第六次集中学习', startsAt: null });
      const assignmentId = await makeAssignment(meetingId, { courseId, title: '学习心得', prompt: '', dueAt: new Date(0) });
      for (let i = 0; i < N; i++) {
        const uid = await makeUser('cadre', {
          username: `bench-c${i}`,
          name: `王晓${'一二三四五六七八九十'[i % 10]}${i}`.slice(0, 4),
          title: '牛首镇委书记、长寿岛国家湿地公园党委书记',
        });
        await enroll(courseId, [uid]);
        reflectionIds.push(await makeReflection({ assignmentId, courseId, authorId: uid, status: 'approved', title: '学习体会', body }));
      }
    });
    const viewer = await viewerFor(organizerId);
    const req = { ip: '127.0.0.1', userAgent: 'bench' };
    const courseId = (sqlite.prepare('select id from courses limit 1').get() as { id: number }).id;

    const runs: { compile: number; docx: number; total: number; bytes: number; chars: number }[] = [];
    for (let r = 0; r < 4; r++) {
      const created = await createBulletin(viewer, { courseId }, req);
      if (!created.ok) throw new Error(created.message);
      const t0 = process.hrtime.bigint();
      const draft = await getBulletinForEdit(viewer, { id: created.id });
      const saved = await saveBulletin(
        viewer,
        {
          id: draft.id,
          expectedRevision: draft.revision,
          number: draft.number,
          title: draft.title,
          editor: draft.editor,
          issuedOn: draft.issuedOn,
          publisher: draft.publisher,
          lead: '5月9日上午,读书班举行第六次集中学习。',
          summary: '大家一致认为,要把学习成果转化为推动工作的实际成效。',
          transition: draft.transition,
          reportTo: '区委办公室',
          sendTo: '区委组织部',
          issueTo: '各镇街党组织',
          copies: 60,
          items: reflectionIds.map((reflectionId) => ({ reflectionId, heading: '牛首镇委书记 王晓', body })),
        },
        req,
      );
      if (!saved.ok) throw new Error(saved.message);
      const content = await bulletinContentForExport(viewer, { id: created.id });
      const t1 = process.hrtime.bigint();
      const buf = await bulletinDocxBuffer(content);
      const t2 = process.hrtime.bigint();
      const total = content.items.reduce((a, i) => a + countChars(i.body), 0);
      runs.push({ compile: Number(t1 - t0) / 1e6, docx: Number(t2 - t1) / 1e6, total: Number(t2 - t0) / 1e6, bytes: buf.length, chars: total });
    }
    const best = runs.slice(1).sort((a, b) => a.total - b.total)[Math.floor((runs.length - 1) / 2)] ?? runs[0];
    if (!best) return;
    console.log('\n简报 (bulletins)');
    console.log(`  100-item bulletin, ${best.chars.toLocaleString('en')} 字, .docx ${(best.bytes / 1024).toFixed(0)} KB`);
    console.log(`  compile (save 100 items + load)  ${best.compile.toFixed(1).padStart(8)} ms`);
    console.log(`  export .docx                     ${best.docx.toFixed(1).padStart(8)} ms`);
    console.log(`  compile + export (median of ${runs.length - 1})  ${best.total.toFixed(1).padStart(8)} ms   (aim < 1000 ms)`);
  } finally {
    closeDb();
    if (previous === undefined) delete process.env.DATABASE_PATH;
    else process.env.DATABASE_PATH = previous;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchBulletin().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
