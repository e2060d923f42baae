// Search on PostgreSQL gives what FTS5 gives (issue 16 step 3): the demo office plus the corpus of
// db/queries/search.test.ts, written on SQLite, copied to a throwaway PostgreSQL with the copy
// command, indexed there by ensureSearchIndex; then the same page (ids, order, totals, the 以上 flag, paging,
// excerpts and highlights) for every query, viewer and filter below. And the index follows edits.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { eq, sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb } from '@/db';
import { addReflection, twoCourses } from '@/db/queries/courses.fixtures';
import { ensureSearchIndex as ensureFtsIndex, indexReflection as indexFts, SEARCH_PAGE_SIZE, SEARCH_RESULT_CAP, searchOnPostgres, searchReflections, type SearchPageDto } from '@/db/queries/search';
import { reflections as sqliteReflections, users as sqliteUsers } from '@/db/schema';
import * as pgSchema from '@/db/pg/schema';
import { makeSubmittedReflections, makeUsers, viewerFor } from '@/db/factories';
import type { Viewer } from '@/lib/auth/viewer-type';
import { segmentForIndex } from '@/lib/search/segment';
import { searchReflectionsSchema, type SearchReflectionsInput } from '@/lib/search/validation';
import { copyToPostgres } from '@/scripts/copy-to-postgres';
import { startCluster, type Cluster } from '@/test/pg/cluster';
import {
  COLUMN_GAP,
  ensureSearchIndex,
  ftsTokens,
  indexReflection,
  reflectionsSearch,
  removeFromIndex,
  tsQuery,
} from './search';

let cluster: Cluster;
let pool: pg.Pool;
let pgDb: NodePgDatabase<typeof pgSchema>;
let tmp: string;
let fx: Awaited<ReturnType<typeof twoCourses>>;
let demoOrganizers: Viewer[];
let handedIn: number;
/** Reflections written for the checks below (ids). */
const made: Record<'policy' | 'parking' | 'inB' | 'draft' | 'mixed' | 'across' | 'apart', number> = { policy: 0, parking: 0, inB: 0, draft: 0, mixed: 0, across: 0, apart: 0 };
let paging: number[] = [];

/** searchReflections (db/queries/search.ts) with its three queries on PostgreSQL: what the lead wires in. */
/** The PostgreSQL page (searchReflections' own PostgreSQL branch), or 'notFound' when it refuses the course filter. */
async function pgSearch(viewer: Viewer, input: SearchReflectionsInput): Promise<SearchPageDto | 'notFound'> {
  try {
    return await searchOnPostgres(pgDb, viewer, searchReflectionsSchema.parse(input));
  } catch (e) {
    if ((e as { digest?: string }).digest === 'NEXT_HTTP_ERROR_FALLBACK;404') return 'notFound';
    throw e;
  }
}

/** FTS5's page, or 'notFound' when searchReflections refuses the course filter. */
async function sqliteSearch(viewer: Viewer, input: SearchReflectionsInput): Promise<SearchPageDto | 'notFound'> {
  try {
    return await Promise.resolve(searchReflections(viewer, input));
  } catch (e) {
    if ((e as { digest?: string }).digest === 'NEXT_HTTP_ERROR_FALLBACK;404') return 'notFound';
    throw e;
  }
}

/** Both pages, asserted equal; FTS5's. */
async function same(viewer: Viewer, input: SearchReflectionsInput): Promise<SearchPageDto | 'notFound'> {
  const lite = await sqliteSearch(viewer, input);
  const onPg = await pgSearch(viewer, input);
  expect(onPg, `${viewer.role} ${viewer.id} ${JSON.stringify(input)}`).toEqual(lite);
  return lite;
}

const ids = (p: SearchPageDto | 'notFound') => (p === 'notFound' ? p : p.items.map((i) => i.id));
const totalOf = (p: SearchPageDto | 'notFound') => (p === 'notFound' ? -1 : p.total);

beforeAll(async () => {
  cluster = await startCluster();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xuesi-search-'));
  const file = path.join(tmp, 'office.db');
  // The demo, as `npm run db:seed` makes it (its 215 handed-in reflections).
  execFileSync(path.resolve('node_modules/.bin/tsx'), ['-r', './scripts/server-only-shim.cjs', 'scripts/seed.ts'], {
    env: { ...process.env, DATABASE_PATH: file },
    stdio: 'pipe',
  });
  process.env.DATABASE_PATH = file;
  closeDb();
  const db = getDb();

  // The corpus of db/queries/search.test.ts.
  fx = await twoCourses();
  const { a, b } = fx;
  const setText = async (id: number, title: string, body: string) => {
    await db.update(sqliteReflections).set({ title, body }).where(eq(sqliteReflections.id, id)).run();
    await indexFts(db, id);
  };
  const [wang, zhou, li] = await makeUsers([
    { role: 'cadre', username: 'wangjianhua', name: '王建华' },
    { role: 'cadre', username: 'zhouli', name: '周丽' },
    { role: 'cadre', username: 'lixin', name: '李新' },
  ]);
  made.policy = await addReflection(a, wang!, 'submitted');
  await setText(made.policy, '学习体会', '这次读书班让我认识到,坚持党建引领、推进基层治理现代化,是新时代社区工作的根本遵循。');
  made.parking = await addReflection(a, a.memberId, 'approved');
  await setText(made.parking, '以三方共治破解小区停车难', '正文。');
  made.inB = await addReflection(b, b.memberId, 'submitted');
  await setText(made.inB, '乙班体会', '基层治理');
  made.draft = await addReflection(a, zhou!, 'draft');
  await setText(made.draft, '草稿', '基层治理 量子纠缠');
  made.mixed = await addReflection(b, li!, 'returned');
  await setText(made.mixed, 'COVID-19 复盘（v2.0）', 'ＡＢＣ全角字母；Straße ΣΑΣ 与 İstanbul；3.14 与 e-mail：a@b.cn；"引号"、NEAR(治理 基层) OR *。');
  // A phrase (a query word of several tokens: covid-19) found only where its tokens follow each
  // other within one column: not across the title's end and the body's start, not apart.
  const [zhao, qian] = await makeUsers([
    { role: 'cadre', username: 'zhaoyi', name: '赵一' },
    { role: 'cadre', username: 'qianer', name: '钱二' },
  ]);
  made.across = await addReflection(b, zhao!, 'submitted');
  await setText(made.across, '复盘 covid', '19 个社区完成排查。');
  made.apart = await addReflection(b, qian!, 'approved');
  await setText(made.apart, '排查', '19 个社区，covid 已控制；v2 与 0 分开。');
  // 45 hits for paging (course a), and 501 for the cap (course b): each its own author.
  const cadres = await makeUsers(Array.from({ length: 45 + SEARCH_RESULT_CAP + 1 }, (_, i) => ({ role: 'cadre' as const, username: `s${i}`, name: `学员${i}` })));
  paging = [];
  for (let i = 0; i < 45; i++) {
    const id = await addReflection(a, cadres[i]!, i % 3 === 0 ? 'approved' : 'submitted');
    await setText(id, `体会${i + 1}`, '推进基层治理');
    paging.push(id);
  }
  await makeSubmittedReflections(
    cadres.slice(45).map((authorId, i) => ({ assignmentId: b.assignmentId, courseId: b.courseId, authorId, title: `网格${i + 1}`, body: '做实网格服务，推进社区治理。' })),
  );
  await ensureFtsIndex();
  handedIn = (await db.select({ n: sql<number>`count(*)` }).from(sqliteReflections).where(sql`${sqliteReflections.status} != 'draft'`).get())!.n;
  const organizerIds = (await db.select({ id: sqliteUsers.id }).from(sqliteUsers).where(eq(sqliteUsers.role, 'organizer')).all()).map((u) => u.id);
  demoOrganizers = [];
  for (const id of organizerIds) if (id !== a.organizer.id && id !== b.organizer.id) demoOrganizers.push(await viewerFor(id));
  closeDb();

  // Copied as an office moves: every table but reflections_fts.
  await copyToPostgres({ from: file, to: cluster.url, log: () => {} });
  pool = new pg.Pool({ connectionString: cluster.url, max: 2 });
  pgDb = drizzle(pool, { schema: pgSchema });
}, 180_000);

afterAll(async () => {
  closeDb();
  await pool?.end();
  await cluster?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the PostgreSQL search index', () => {
  it('is built by ensureSearchIndex after the copy: every handed-in reflection, once', async () => {
    expect(handedIn).toBeGreaterThan(215 + 45 + SEARCH_RESULT_CAP);
    expect(await ensureSearchIndex(pgDb, 200)).toEqual({ added: handedIn, removed: 0 });
    expect(await ensureSearchIndex(pgDb)).toEqual({ added: 0, removed: 0 });
    const [row] = await pgDb.select({ n: sql<number>`count(*)::integer` }).from(reflectionsSearch);
    expect(row!.n).toBe(handedIn);
    // A GIN index on the document, and nothing a server must add.
    const { rows } = await pool.query<{ def: string }>("select indexdef as def from pg_indexes where tablename = 'reflections_search'");
    expect(rows.map((r) => r.def)).toContainEqual(expect.stringContaining('USING gin (document)'));
    expect((await pool.query("select extname from pg_extension where extname != 'plpgsql'")).rows).toEqual([]);
  });

  it('splits words as FTS5’s unicode61 does, and PostgreSQL keeps each as one lexeme', async () => {
    const text = 'e\u0301x ÉCOLE İstanbul ΣΑΣ ａｂｃ Ⅲ ² ½ a_b c-d 3.14 \uE000z 你好，世界 ＡＢＣ ß ǅ a\u0903b c\u20DDd \u0301y k\u3005l ① ２０２６年 COVID-19';
    const fts = new Database(':memory:');
    fts.exec("create virtual table f using fts5(x, tokenize = 'unicode61 remove_diacritics 0'); create virtual table v using fts5vocab(f, 'row');");
    fts.prepare('insert into f values (?)').run(text);
    const vocabulary = (fts.prepare('select term from v').pluck().all() as string[]).sort();
    fts.close();
    expect([...new Set(ftsTokens(text))].sort()).toEqual(vocabulary);
    const { rows } = await pool.query<{ lexemes: string[] }>("select tsvector_to_array(to_tsvector('simple', $1)) as lexemes", [ftsTokens(text).join(' ')]);
    expect(rows[0]!.lexemes.sort()).toEqual(vocabulary);
    // Query syntax is never read from the words: each token is quoted, a word of several is a phrase.
    expect(tsQuery(["'; drop", 'covid-19', '治理'])).toBe("'drop' & ('covid' <-> '19') & '治理'");
    expect(tsQuery([])).toBeNull();
  });

  it('splits and folds as FTS5 does, character by character, in the Latin, Greek, Cyrillic, CJK and full-width blocks', () => {
    const blocks = [
      [0x20, 0x52f],
      [0x1e00, 0x1fff],
      [0x3000, 0x9fff],
      [0xff00, 0xffef],
    ];
    const chars: string[] = [];
    for (const [from, to] of blocks) for (let c = from!; c <= to!; c++) if (!/\p{Cn}/u.test(String.fromCodePoint(c))) chars.push(String.fromCodePoint(c));
    const fts = new Database(':memory:');
    fts.exec("create virtual table f using fts5(x, tokenize = 'unicode61 remove_diacritics 0'); create virtual table v using fts5vocab(f, 'instance');");
    const insert = fts.prepare('insert into f (rowid, x) values (?, ?)');
    // Each character after an x, so that a mark or a separator shows too.
    fts.exec('begin');
    chars.forEach((ch, i) => insert.run(i + 1, `x${ch}`));
    fts.exec('commit');
    const terms = new Map<number, string[]>();
    for (const r of fts.prepare('select doc, term from v order by doc, offset').all() as { doc: number; term: string }[]) {
      terms.set(r.doc, [...(terms.get(r.doc) ?? []), r.term]);
    }
    fts.close();
    const differ = chars.filter((ch, i) => JSON.stringify(ftsTokens(`x${ch}`)) !== JSON.stringify(terms.get(i + 1) ?? []));
    expect(chars.length).toBeGreaterThan(25_000);
    // Only characters Unicode added after FTS5's tables were made: Greek yot, four Cyrillic
    // letters (Unicode 7), three CJK strokes (16) and the 令和 square (12.1).
    expect(differ.map((ch) => `U+${ch.codePointAt(0)!.toString(16)}`)).toEqual(['U+37f', 'U+528', 'U+52a', 'U+52c', 'U+52e', 'U+31e4', 'U+31e5', 'U+31ef', 'U+32ff']);
  });

  it('holds for every indexed reflection exactly the words FTS5 holds for it', async () => {
    // The jieba words of title, body and author, split as FTS5 splits them, against the lexemes
    // PostgreSQL stored (to_tsvector may not split or merge any of them).
    const docs = await pgDb
      .select({ id: pgSchema.reflections.id, title: pgSchema.reflections.title, body: pgSchema.reflections.body, author: pgSchema.users.name, lexemes: sql<string[]>`tsvector_to_array(${reflectionsSearch.document})` })
      .from(reflectionsSearch)
      .innerJoin(pgSchema.reflections, eq(pgSchema.reflections.id, reflectionsSearch.reflectionId))
      .innerJoin(pgSchema.users, eq(pgSchema.users.id, pgSchema.reflections.authorId));
    expect(docs.length).toBe(handedIn);
    const wrong = docs.filter((d) => {
      const expected = new Set(ftsTokens(`${segmentForIndex(d.title)} ${segmentForIndex(d.body)} ${d.author.replace(/\s+/gu, '')} ${segmentForIndex(d.author)}`));
      return [...expected, COLUMN_GAP].sort().join(' ') !== [...d.lexemes].sort().join(' ');
    });
    expect(wrong.map((d) => d.id)).toEqual([]);
  });
});

describe('PostgreSQL finds what FTS5 finds', () => {
  /** Queries of every kind named in the brief; the demo's words too. */
  const QUERIES = [
    // single words, a word inside a longer one, a domain word, a word nowhere
    '治理',
    '党建',
    '基层治理',
    '三方共治',
    '学习',
    '群众',
    '社区',
    '网格',
    '量子纠缠',
    // several words
    '党建 治理',
    '基层 社区 工作',
    '推进基层治理现代化',
    '读书班 学习 体会',
    // in the title only, in the author's name only
    '停车',
    '甲学员',
    '学员7',
    '王建华',
    '建华',
    // punctuation, query syntax, mixed scripts
    '治理，党建！',
    '"治理',
    'NEAR(治理 基层)',
    '治理 OR *',
    "'; drop table reflections; --",
    '*',
    'COVID-19',
    'v2.0',
    '3.14',
    'ａｂｃ',
    'ＡＢＣ',
    'STRASSE',
    'straße',
    'σας',
    'e-mail',
    'a@b.cn',
  ];

  it('the same page for every query, for the admin, both organizers and the demo’s', async () => {
    const viewers = [fx.admin, fx.a.organizer, fx.b.organizer, ...demoOrganizers];
    expect(demoOrganizers.length).toBeGreaterThan(0);
    const totals: number[] = [];
    for (const q of QUERIES) for (const v of viewers) totals.push(totalOf(await same(v, { q, page: 1 })));
    // Not a comparison of empty pages: most queries find something, some find nothing.
    expect(totals.filter((n) => n > 0).length).toBeGreaterThan(totals.length / 2);
    expect(totals).toContain(0);
    expect(totals).toContain(SEARCH_RESULT_CAP);
  });

  it('the title-only word, the author-only word and the unseen word', async () => {
    expect(ids(await same(fx.a.organizer, { q: '停车', page: 1 }))).toEqual([made.parking]);
    expect(ids(await same(fx.a.organizer, { q: '甲学员', page: 1 }))).toEqual([made.parking]);
    expect(ids(await same(fx.a.organizer, { q: '王建华', page: 1 }))).toEqual([made.policy]);
    expect(totalOf(await same(fx.admin, { q: '量子纠缠', page: 1 }))).toBe(0); // only in a draft
    expect(ids(await same(fx.admin, { q: 'COVID-19', page: 1 }))).toEqual([made.mixed]);
    expect(ids(await same(fx.admin, { q: 'covid 19', page: 1 }))).toEqual([made.apart, made.across, made.mixed]);
    expect(ids(await same(fx.admin, { q: 'v2.0', page: 1 }))).toEqual([made.mixed]);
  });

  it('a course filter: the organizer’s own course, and another’s refused on both', async () => {
    expect(ids(await same(fx.a.organizer, { q: '治理', courseId: fx.a.courseId, page: 1 }))).toHaveLength(SEARCH_PAGE_SIZE);
    expect(await same(fx.a.organizer, { q: '治理', courseId: fx.b.courseId, page: 1 })).toBe('notFound');
    expect(await same(fx.a.organizer, { q: '治理', courseId: 999_999, page: 1 })).toBe('notFound');
    expect(totalOf(await same(fx.admin, { q: '治理', courseId: fx.b.courseId, page: 1 }))).toBe(SEARCH_RESULT_CAP);
    for (const v of demoOrganizers) await same(v, { q: '学习', courseId: fx.a.courseId, page: 1 });
  });

  it('paging past the first page, and past the last', async () => {
    for (const page of [1, 2, 3, 9]) await same(fx.a.organizer, { q: '推进 治理', page });
    const all: number[] = [];
    for (const page of [1, 2, 3]) {
      const p = await same(fx.a.organizer, { q: '推进基层治理', page });
      if (p !== 'notFound') all.push(...p.items.map((i) => i.id));
    }
    expect(all).toEqual([...[...paging].reverse(), made.policy]);
  });

  it(`more than ${SEARCH_RESULT_CAP} hits: counted to the cap with 以上 shown — the last page the same`, async () => {
    for (const v of [fx.admin, fx.b.organizer]) {
      const first = await same(v, { q: '网格', page: 1 });
      expect(first !== 'notFound' && [first.total, first.capped, first.pageCount]).toEqual([SEARCH_RESULT_CAP, true, SEARCH_RESULT_CAP / SEARCH_PAGE_SIZE]);
      await same(v, { q: '网格', page: 13 });
      await same(v, { q: '网格', page: 999 });
      await same(v, { q: '网格 社区治理', page: 25 });
    }
  });
});

describe('the PostgreSQL index follows the writing', () => {
  const find = async (q: string, viewer = fx.a.organizer) => ((await pgSearch(viewer, { q, page: 1 })) as SearchPageDto).items.map((i) => i.id);

  it('an edit re-indexed is found by its new words, not its old ones', async () => {
    expect(await find('停车')).toEqual([made.parking]);
    await pgDb.update(pgSchema.reflections).set({ title: '以协商议事化解加装电梯难题', body: '推动楼道议事会常态化。' }).where(eq(pgSchema.reflections.id, made.parking));
    await pgDb.transaction(async (tx) => indexReflection(tx, made.parking));
    expect(await find('停车')).toEqual([]);
    expect(await find('三方共治')).toEqual([]);
    expect(await find('加装电梯')).toEqual([made.parking]);
    expect(await find('议事会 常态化')).toEqual([made.parking]);
    // The author's name stays indexed.
    expect(await find('甲学员')).toContain(made.parking);
  });

  it('a removed reflection, a draft and a deleted one are not found; ensureSearchIndex puts back only the handed-in', async () => {
    expect(await find('加装电梯')).toEqual([made.parking]);
    await removeFromIndex(pgDb, made.parking);
    expect(await find('加装电梯')).toEqual([]);
    expect(await ensureSearchIndex(pgDb)).toEqual({ added: 1, removed: 0 });
    expect(await find('加装电梯')).toEqual([made.parking]);

    await pgDb.update(pgSchema.reflections).set({ status: 'draft' }).where(eq(pgSchema.reflections.id, made.parking));
    expect(await find('加装电梯')).toEqual([]); // the query itself skips drafts
    await indexReflection(pgDb, made.parking);
    expect(await pgDb.select().from(reflectionsSearch).where(eq(reflectionsSearch.reflectionId, made.parking))).toEqual([]);
    expect(await ensureSearchIndex(pgDb)).toEqual({ added: 0, removed: 0 });

    expect(await find('COVID-19', fx.admin)).toEqual([made.mixed]);
    await pgDb.delete(pgSchema.reflectionVersions).where(eq(pgSchema.reflectionVersions.reflectionId, made.mixed));
    await pgDb.delete(pgSchema.reflections).where(eq(pgSchema.reflections.id, made.mixed));
    expect(await find('COVID-19', fx.admin)).toEqual([]);
    expect(await pgDb.select().from(reflectionsSearch).where(eq(reflectionsSearch.reflectionId, made.mixed))).toEqual([]);
  });
});
