// The 查重 part of `npm run bench` (also alone: npx tsx -r ./scripts/server-only-shim.cjs
// scripts/bench-originality.ts [--n=20000]). On a temporary database it builds 100,000 handed-in
// reflections (200 courses × 500, 800–1,600 字 each, mostly distinct text with a share of stock
// phrases) through db/factories' bulk insert and indexes them, then prints:
//   - the index's size: fingerprint rows and bytes per reflection (dbstat);
//   - checking one freshly submitted 2,000-字 reflection that copies two paragraphs of a
//     colleague's (indexing it, finding candidates, aligning, storing the result): p50/p95;
//   - a course's 查重报告 over 500 reflections (listSimilarPairs), and a full re-run of that
//     course (500 checks) for reference.
// The aims: check ≤ 50 ms p95 at 100,000 reflections; report ≤ 2 s. Figures only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Common characters of official writing, for distinct synthetic text.
const CHARS =
  '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质界确济群调织格领较华宣深铁极身各感改报战影品联音流完市易革区清议需历海南色持器油观称王候识素走况服权思维适导构眼影单团尔科转类题造今往需德教育斗志健训练团结治社群众服务基层组织生活学习贯彻落实精神作风建设推进改革发展保障安全稳定';
const STOCK = ['深入学习贯彻党的二十大精神', '坚持以人民为中心的发展思想', '把学习成果转化为推动工作的实际成效', '切实增强做好工作的责任感和使命感'];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function paragraph(rand: () => number, len: number): string {
  let out = '';
  while (out.length < len) {
    if (rand() < 0.04) out += STOCK[Math.floor(rand() * STOCK.length)] as string;
    else out += CHARS[Math.floor(rand() * CHARS.length)] as string;
    if (rand() < 0.06) out += rand() < 0.7 ? '，' : '。';
  }
  return `${out.slice(0, len)}。`;
}

function reflectionText(rand: () => number, chars: number): string {
  const paras: string[] = [];
  let total = 0;
  while (total < chars) {
    const len = Math.min(chars - total, 150 + Math.floor(rand() * 250));
    paras.push(paragraph(rand, len));
    total += len + 1;
  }
  return paras.join('\n');
}

function quantiles(times: number[]) {
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] as number;
  return { p50: at(0.5), p95: at(0.95) };
}

export async function benchOriginality(): Promise<void> {
  const N = Number(process.argv.find((a) => a.startsWith('--n='))?.slice(4) ?? 100_000);
  const COURSES = Math.max(1, Math.round(N / 500));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuesi-bench-originality-'));
  const previous = process.env.DATABASE_PATH;
  const { getDb, getSqlite, closeDb } = await import('../db');
  try {
    closeDb();
    process.env.DATABASE_PATH = path.join(dir, 'originality.db');
    getDb();
    // A larger page cache for the build's random-order index writes (the server keeps its own setting).
    getSqlite().pragma('cache_size = -262144');
    const f = await import('../db/factories');
    const { checkReflection, indexNewDocs } = await import('../db/queries/originality');
    const { listSimilarPairs } = await import('../db/queries/originality/reads');
    const { processPending } = await import('../db/queries/originality');
    const { queueCourseRecheck } = await import('../db/queries/originality/admin');
    const rand = rng(12);
    const t0 = Date.now();
    let authors: number[] = [];
    const assignments: { courseId: number; assignmentId: number }[] = [];
    await getDb().transaction(async () => {
      authors = await f.makeUsers(Array.from({ length: 500 }, (_, i) => ({ role: 'cadre' as const, username: `b${i}`, name: `学员${i}` })));
      for (let c = 0; c < COURSES; c++) {
        const courseId = await f.makeCourse({ name: `读书班${c}`, startsOn: `20${String(10 + (c % 15)).padStart(2, '0')}-09-01` });
        assignments.push({ courseId, assignmentId: await f.makeAssignment(await f.makeMeeting(courseId)) });
      }
    });
    let built = 0;
    let textBytes = 0;
    for (const a of assignments) {
      await getDb().transaction(async (tx) => {
        const rows = authors.map((authorId) => {
          const body = reflectionText(rand, 800 + Math.floor(rand() * 800));
          textBytes += Buffer.byteLength(body);
          return { assignmentId: a.assignmentId, courseId: a.courseId, authorId, title: '学习心得', body };
        });
        const ids = await f.makeSubmittedReflections(rows);
        await indexNewDocs(tx, ids.map((id, k) => ({ kind: 'reflection' as const, refId: id, versionId: id, courseId: a.courseId, authorId: rows[k]!.authorId, text: rows[k]!.body })));
        built += ids.length;
      });
    }
    // versionId above assumes version ids follow reflection ids one to one in a fresh database: check.
    const mismatch = getSqlite().prepare('select count(*) from reflection_versions where id <> reflection_id').pluck().get() as number;
    if (mismatch) throw new Error('bench: version ids do not follow reflection ids');
    const buildS = (Date.now() - t0) / 1000;
    const fpRows = getSqlite().prepare('select count(*) from originality_fingerprints').pluck().get() as number;
    let indexBytes = 0;
    try {
      indexBytes = getSqlite()
        .prepare("select sum(pgsize) from dbstat where name in ('originality_fingerprints', 'originality_docs', 'originality_docs_kind_ref_uq')")
        .pluck()
        .get() as number;
    } catch {
      indexBytes = fpRows * 12;
    }
    console.log(`\n查重 (issue 12): ${built.toLocaleString('en')} reflections in ${COURSES} courses, built and indexed in ${buildS.toFixed(1)} s`);
    console.log(`  index: ${fpRows.toLocaleString('en')} fingerprints, ${(fpRows / built).toFixed(0)} per reflection, ${(indexBytes / built).toFixed(0)} bytes per reflection (text itself ${(textBytes / built).toFixed(0)} bytes)`);

    // Checking a freshly submitted 2,000-字 reflection that copies two paragraphs of someone's
    // from any earlier course (the newest course, so that every other course is earlier).
    const targetCourse = await f.makeCourse({ name: '最新的读书班', startsOn: '2030-09-01' });
    const target = { courseId: targetCourse, assignmentId: await f.makeAssignment(await f.makeMeeting(targetCourse)) };
    const newAuthors = await f.makeUsers(Array.from({ length: 80 }, (_, i) => ({ role: 'cadre' as const, username: `n${i}`, name: `新学员${i}` })));
    const times: number[] = [];
    let flagged = 0;
    for (let r = 0; r < newAuthors.length; r++) {
      const victim = getSqlite().prepare('select body from reflection_versions where reflection_id = ?').pluck().get(1 + Math.floor(rand() * built)) as string;
      const [p1 = '', p2 = ''] = victim.split('\n');
      const body = reflectionText(rand, 2000 - p1.length - p2.length).split('\n');
      body.splice(1, 0, p1.replace(/.(.{20})$/u, '改$1'));
      body.splice(3, 0, p2);
      const [id] = await f.makeSubmittedReflections([{ assignmentId: target.assignmentId, courseId: target.courseId, authorId: newAuthors[r]!, title: '新心得', body: body.join('\n') }]);
      const t = process.hrtime.bigint();
      const out = await getDb().transaction(async (tx) => await checkReflection(tx, id!));
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (out && out.analysis.share >= 150) flagged++;
    }
    const warm = quantiles(times.slice(5));
    console.log(`  check one 2,000-字 reflection (index + candidates + alignment + store), ${times.length - 5} runs: p50 ${warm.p50.toFixed(1)} ms, p95 ${warm.p95.toFixed(1)} ms; copies found ${flagged}/${times.length}`);

    // A course's report over 500 reflections, and a full re-run of it for reference.
    const admin = await f.signedIn('admin');
    const t1 = Date.now();
    await queueCourseRecheck(admin, { courseId: assignments[0]!.courseId });
    let left = 1;
    while (left > 0) left = (await getDb().transaction(async (tx) => await processPending(tx, { courseId: assignments[0]!.courseId, limit: 50 }))).left;
    const rerunS = (Date.now() - t1) / 1000;
    const rt: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = process.hrtime.bigint();
      await listSimilarPairs(admin, { courseId: assignments[0]!.courseId });
      rt.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    const rq = quantiles(rt);
    console.log(`  course report (500 reflections, listSimilarPairs): p50 ${rq.p50.toFixed(1)} ms, p95 ${rq.p95.toFixed(1)} ms; full re-run of that course: ${rerunS.toFixed(1)} s`);
  } finally {
    closeDb();
    fs.rmSync(dir, { recursive: true, force: true });
    if (previous === undefined) delete process.env.DATABASE_PATH;
    else process.env.DATABASE_PATH = previous;
  }
}

if (process.argv[1]?.endsWith('bench-originality.ts')) {
  benchOriginality().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
