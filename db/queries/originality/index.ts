import { inOrder } from '@/lib/in-order';
import 'server-only';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { detached, getDb, queryCached, type DB, type Tx } from '@/db';
import { idsValue, inIds } from '@/db/sql-kit';
import { prepared } from '../reflections/prepared';
import { isBusyError, WRITE } from '@/db/mutation';
import {
  assignmentReadings,
  bulletinItems,
  bulletins,
  courses,
  originalityChecks,
  originalityDocs,
  readingSections,
  reflections,
  reflectionVersions,
  type OriginalityDocKind,
} from '@/db/schema';
import { analyse, fingerprints, normalise, textHash, type Analysis, type SourceText } from '@/lib/originality/engine';

// The 查重 index and the check. A submission puts its check in the durable queue inside the
// transaction that submits it ('pending' beside the new version, so a submitted version never
// exists without its check or its place in the queue), and the process that answered it works the
// check right after (checkOnSubmit below; issue 15). Should the check itself throw, the row stays
// 'pending' — the queue that processPending() works through at start (an admin's re-run over a
// course uses the same queue, with progress).

type Reader = DB | Tx;

/** Postings longer than this are stock phrases (深入学习贯彻…), useless for finding a source. */
const COMMON = 100;
/** Fingerprints written per statement. */
const BATCH = 64;
/** How many candidate texts are aligned exactly. */
const CANDIDATES = 8;
/** Sources kept with a check. */
const TOP = 5;

export interface StoredSource {
  docId: number;
  kind: OriginalityDocKind;
  refId: number;
  quote: boolean;
  /** per mille */
  share: number;
}

// originality_fingerprints is a hand-written table (migration 0012 and its PostgreSQL twin), not
// in db/schema.ts: its statements are SQL text both databases accept, each built once
// (queryCached) and run through the async layer like any query; a check runs `postings` once per
// fingerprint of the text.
const P = (name: string) => sql.placeholder(name);
const fp = {
  insert: (hash: number, docId: number) =>
    queryCached('originality:fp-insert', () => sql`insert into originality_fingerprints (hash, doc_id) values (${P('h')}, ${P('d')}) on conflict do nothing`, { h: hash, d: docId }),
  /** BATCH pairs, flat: hash, doc id, hash, doc id, … */
  insertMany: (pairs: readonly number[]) =>
    queryCached(
      'originality:fp-insert-many',
      () =>
        sql`insert into originality_fingerprints (hash, doc_id) values ${sql.join(
          Array.from({ length: BATCH }, (_, i) => sql`(${P(`h${i}`)}, ${P(`d${i}`)})`),
          sql`, `,
        )} on conflict do nothing`,
      Object.fromEntries(pairs.map((v, i) => [`${i % 2 === 0 ? 'h' : 'd'}${i >> 1}`, v])),
    ),
  /** A doc's rows, given its fingerprints (the primary key is hash first). */
  removeDoc: (docId: number, hashes: readonly number[]) =>
    queryCached('originality:fp-remove', () => sql`delete from originality_fingerprints where doc_id = ${P('d')} and ${inIds(sql`hash`, P('hashes'))}`, {
      d: docId,
      hashes: idsValue(hashes),
    }),
  postings: async (hash: number) =>
    (
      await queryCached<{ docId: number }>(
        'originality:fp-postings',
        () => sql`select doc_id as "docId" from originality_fingerprints where hash = ${P('h')} limit ${sql.raw(String(COMMON + 1))}`,
        { h: hash },
      )
    ).map((r) => r.docId),
};

/** Writes fingerprint rows (hash, doc id) in statements of BATCH rows. */
async function insertPairs(pairs: readonly (readonly [number, number])[]): Promise<void> {
  let k = 0;
  for (; k + BATCH <= pairs.length; k += BATCH) await fp.insertMany(pairs.slice(k, k + BATCH).flat());
  for (; k < pairs.length; k++) await fp.insert(pairs[k]![0], pairs[k]![1]);
}

function toBlob(fps: readonly number[]): Buffer {
  return Buffer.from(Int32Array.from(fps).buffer);
}
function fromBlob(b: Buffer): Int32Array {
  const copy = Buffer.from(b);
  return new Int32Array(copy.buffer, copy.byteOffset, copy.byteLength / 4);
}

export interface DocSpec {
  kind: OriginalityDocKind;
  refId: number;
  versionId?: number | null;
  courseId?: number | null;
  authorId?: number | null;
  text: string;
}

/** Writes (or rewrites) a text's fingerprints; unchanged texts are left as they are. Returns the doc's id and fingerprints. */
export async function indexDoc(tx: Reader, spec: DocSpec): Promise<{ id: number; fps: number[] }> {
  const h = textHash(spec.text);
  const existing = await tx
    .select({ id: originalityDocs.id, textHash: originalityDocs.textHash, fingerprints: originalityDocs.fingerprints, versionId: originalityDocs.versionId })
    .from(originalityDocs)
    .where(and(eq(originalityDocs.kind, spec.kind), eq(originalityDocs.refId, spec.refId)))
    .get();
  if (existing && existing.textHash === h && existing.versionId === (spec.versionId ?? null)) {
    return { id: existing.id, fps: [...fromBlob(existing.fingerprints)] };
  }
  const fps = fingerprints(normalise(spec.text).text);
  const values = {
    versionId: spec.versionId ?? null,
    courseId: spec.courseId ?? null,
    authorId: spec.authorId ?? null,
    textHash: h,
    fingerprints: toBlob(fps),
    indexedAt: new Date(),
  };
  let id: number;
  if (existing) {
    await fp.removeDoc(existing.id, [...fromBlob(existing.fingerprints)]);
    await tx.update(originalityDocs).set(values).where(eq(originalityDocs.id, existing.id)).run();
    id = existing.id;
  } else {
    id = (await tx.insert(originalityDocs).values({ kind: spec.kind, refId: spec.refId, ...values }).returning({ id: originalityDocs.id }).get()).id;
  }
  await insertPairs(fps.map((h) => [h, id] as const));
  return { id, fps };
}

/** Many new texts at once (benches, a first index of old data): fingerprints written in hash order. */
export async function indexNewDocs(tx: Reader, specs: readonly DocSpec[]): Promise<number[]> {
  const pairs: [number, number][] = [];
  const ids = await inOrder(specs, async (spec) => {
    const fps = fingerprints(normalise(spec.text).text);
    const id = (await tx
      .insert(originalityDocs)
      .values({ kind: spec.kind, refId: spec.refId, versionId: spec.versionId ?? null, courseId: spec.courseId ?? null, authorId: spec.authorId ?? null, textHash: textHash(spec.text), fingerprints: toBlob(fps) })
      .returning({ id: originalityDocs.id })
      .get()).id;
    for (const h of fps) pairs.push([h, id]);
    return id;
  });
  pairs.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  await insertPairs(pairs);
  return ids;
}

/** Removes a text from the index (a withdrawn 简报). */
export async function unindexDoc(tx: Reader, kind: OriginalityDocKind, refId: number): Promise<void> {
  const existing = await tx.select().from(originalityDocs).where(and(eq(originalityDocs.kind, kind), eq(originalityDocs.refId, refId))).get();
  if (!existing) return;
  await fp.removeDoc(existing.id, [...fromBlob(existing.fingerprints)]);
  await tx.delete(originalityDocs).where(eq(originalityDocs.id, existing.id)).run();
}

/** The items of a published 简报 join the index; their authors' own reflections are never measured against them. */
export async function indexPublishedBulletin(tx: Reader, bulletinId: number): Promise<void> {
  const rows = await tx
    .select({ id: bulletinItems.id, body: bulletinItems.body, authorId: bulletinItems.authorId, courseId: bulletins.courseId })
    .from(bulletinItems)
    .innerJoin(bulletins, eq(bulletins.id, bulletinItems.bulletinId))
    .where(eq(bulletinItems.bulletinId, bulletinId))
    .all();
  for (const r of rows) await indexDoc(tx, { kind: 'bulletin', refId: r.id, courseId: r.courseId, authorId: r.authorId, text: r.body });
}

/** A withdrawn 简报 is no longer a source. */
export async function unindexBulletin(tx: Reader, bulletinId: number): Promise<void> {
  const items = await tx.select({ id: bulletinItems.id }).from(bulletinItems).where(eq(bulletinItems.bulletinId, bulletinId)).all();
  for (const i of items) await unindexDoc(tx, 'bulletin', i.id);
}

/** The text an indexed doc stands for. */
export async function docTexts(tx: Reader, docs: readonly { id: number; kind: OriginalityDocKind; refId: number; versionId: number | null }[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const versionIds = docs.filter((d) => d.kind === 'reflection' && d.versionId).map((d) => d.versionId as number);
  const sectionIds = docs.filter((d) => d.kind === 'section').map((d) => d.refId);
  const itemIds = docs.filter((d) => d.kind === 'bulletin').map((d) => d.refId);
  const byVersion = new Map(
    versionIds.length ? (await tx.select({ id: reflectionVersions.id, body: reflectionVersions.body }).from(reflectionVersions).where(inArray(reflectionVersions.id, versionIds)).all()).map((r) => [r.id, r.body]) : [],
  );
  const bySection = new Map(
    sectionIds.length ? (await tx.select({ id: readingSections.id, body: readingSections.body }).from(readingSections).where(inArray(readingSections.id, sectionIds)).all()).map((r) => [r.id, r.body]) : [],
  );
  const byItem = new Map(
    itemIds.length ? (await tx.select({ id: bulletinItems.id, body: bulletinItems.body }).from(bulletinItems).where(inArray(bulletinItems.id, itemIds)).all()).map((r) => [r.id, r.body]) : [],
  );
  for (const d of docs) {
    const text = d.kind === 'reflection' ? byVersion.get(d.versionId as number) : d.kind === 'section' ? bySection.get(d.refId) : byItem.get(d.refId);
    if (text !== undefined) out.set(d.id, text);
  }
  return out;
}

interface Subject {
  reflectionId: number;
  courseId: number;
  authorId: number;
  assignmentId: number;
  versionId: number;
  body: string;
  courseStartsOn: string | null;
}

async function subjectOf(tx: Reader, reflectionId: number): Promise<Subject | null> {
  const row = await tx
    .select({
      reflectionId: reflections.id,
      courseId: reflections.courseId,
      authorId: reflections.authorId,
      assignmentId: reflections.assignmentId,
      versionId: reflectionVersions.id,
      body: reflectionVersions.body,
      courseStartsOn: courses.startsOn,
    })
    .from(reflections)
    .innerJoin(reflectionVersions, eq(reflectionVersions.reflectionId, reflections.id))
    .innerJoin(courses, eq(courses.id, reflections.courseId))
    .where(eq(reflections.id, reflectionId))
    .orderBy(desc(reflectionVersions.version))
    .limit(1)
    .get();
  return row ?? null;
}

/** The sections of the readings assigned with the reflection's assignment, indexed; their doc ids. */
async function assignedSectionDocs(tx: Reader, assignmentId: number): Promise<Set<number>> {
  const sections = await tx
    .select({ id: readingSections.id, body: readingSections.body })
    .from(readingSections)
    .innerJoin(assignmentReadings, eq(assignmentReadings.readingId, readingSections.readingId))
    .where(eq(assignmentReadings.assignmentId, assignmentId))
    .all();
  return new Set(await inOrder(sections, async (s) => (await indexDoc(tx, { kind: 'section', refId: s.id, text: s.body })).id));
}

export interface CheckOutcome {
  analysis: Analysis<number>;
  sources: StoredSource[];
}

/** Indexes the reflection's latest submitted version and measures it against everything it may have drawn on; stores the result. */
export async function checkReflection(tx: Reader, reflectionId: number): Promise<CheckOutcome | null> {
  const subject = await subjectOf(tx, reflectionId);
  if (!subject) return null;
  const own = await indexDoc(tx, { kind: 'reflection', refId: subject.reflectionId, versionId: subject.versionId, courseId: subject.courseId, authorId: subject.authorId, text: subject.body });
  const quoteDocs = await assignedSectionDocs(tx, subject.assignmentId);

  const counts = new Map<number, number>();
  for (const h of own.fps) {
    const docs = await fp.postings(h);
    if (docs.length > COMMON) continue;
    for (const d of docs) if (d !== own.id) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  const ranked = [...counts.entries()].filter(([, c]) => c >= 2).sort((x, y) => y[1] - x[1]);
  const meta = ranked.length
    ? await tx
        .select({ id: originalityDocs.id, kind: originalityDocs.kind, refId: originalityDocs.refId, versionId: originalityDocs.versionId, courseId: originalityDocs.courseId, authorId: originalityDocs.authorId, startsOn: courses.startsOn })
        .from(originalityDocs)
        .leftJoin(courses, eq(courses.id, originalityDocs.courseId))
        .where(inArray(originalityDocs.id, ranked.slice(0, 4 * CANDIDATES).map(([d]) => d)))
        .all()
    : [];
  const byId = new Map(meta.map((m) => [m.id, m]));
  const eligible = ranked
    .map(([d]) => byId.get(d))
    .filter((m): m is NonNullable<typeof m> => {
      if (!m) return false;
      if (m.kind === 'section') return quoteDocs.has(m.id);
      if (m.authorId === subject.authorId) return false;
      if (m.kind === 'reflection' && m.courseId !== subject.courseId) {
        // Earlier courses only: a later course's text cannot be this one's source.
        return !subject.courseStartsOn || !m.startsOn || m.startsOn <= subject.courseStartsOn;
      }
      return true;
    })
    .slice(0, CANDIDATES);
  const texts = await docTexts(tx, eligible);
  const sources: SourceText<number>[] = eligible.filter((m) => texts.has(m.id)).map((m) => ({ key: m.id, text: texts.get(m.id) as string, quote: m.kind === 'section' }));
  const analysis = analyse(normalise(subject.body), sources);
  const stored: StoredSource[] = analysis.sources.slice(0, TOP).map((r) => {
    const m = byId.get(r.key) as (typeof meta)[number];
    return { docId: m.id, kind: m.kind, refId: m.refId, quote: r.quote, share: r.share };
  });
  const values = {
    courseId: subject.courseId,
    versionId: subject.versionId,
    status: 'done' as const,
    share: analysis.share,
    quoteShare: analysis.quoteShare,
    sources: JSON.stringify(stored),
    checkedAt: new Date(),
  };
  await tx.insert(originalityChecks)
    .values({ reflectionId: subject.reflectionId, ...values })
    .onConflictDoUpdate({ target: originalityChecks.reflectionId, set: values })
    .run();
  return { analysis, sources: stored };
}

/** Leaves the reflection's check waiting in the queue. */
export async function markPending(tx: Reader, reflectionId: number): Promise<void> {
  const subject = await subjectOf(tx, reflectionId);
  if (!subject) return;
  await tx.insert(originalityChecks)
    .values({ reflectionId, courseId: subject.courseId, versionId: subject.versionId, status: 'pending' })
    .onConflictDoUpdate({ target: originalityChecks.reflectionId, set: { status: 'pending', versionId: subject.versionId } })
    .run();
}

// The check of a submission runs right after the submission has been answered, not inside its
// transaction: at a deadline a hundred cadres submit at once, every request waits for all the
// others' work (one event loop), and the check was the largest part of a submit (issue 15). The
// submit transaction puts the reflection in the durable queue ('pending', beside its new version),
// so a submitted version never exists without its check or its place in the queue; this process
// then works the checks it queued once it is idle: no submission for QUIET_MS and its event loop
// busy less than half of that time (at the latest MAX_WAIT_MS after the first), one check per
// transaction and turn of the event loop, so that pages and submissions keep being answered in
// between. A check that throws stays 'pending' for
// `npm start`'s queue and an admin's re-run, as before. Until it is done the organizer's panel
// says 正在排队查重.
const QUIET_MS = 150;
const MAX_WAIT_MS = 10_000;
const BUSY_SHARE = 0.5;

interface Queued {
  db: DB;
  /** reflection id → the version its check is for */
  ids: Map<number, number>;
  timer: ReturnType<typeof setTimeout> | null;
  lastAt: number;
  firstAt: number;
  /** Waited MAX_WAIT_MS once: the rest of the queue goes one check per turn without waiting again. */
  draining: boolean;
  /** The event loop's use when the timer was set. */
  elu: EventLoopUtilization;
}
let queued: Queued | null = null;

/** The submit's place in the queue: 'pending' for its new version (built once, reflections/prepared.ts). */
const enqueue = () =>
  prepared('originality:enqueue', (db) =>
    db
      .insert(originalityChecks)
      .values({ reflectionId: sql.placeholder('reflectionId'), courseId: sql.placeholder('courseId'), versionId: sql.placeholder('versionId'), status: 'pending' })
      .onConflictDoUpdate({
        target: originalityChecks.reflectionId,
        set: { status: 'pending', courseId: sql`excluded.course_id`, versionId: sql`excluded.version_id` },
      })
      .prepare(),
  );

/**
 * A statement refused because closeDb() closed the database the queue was for: better-sqlite3's
 * error, or node-postgres's for a pool already ended.
 */
function closedDatabase(e: unknown): boolean {
  return e instanceof Error && /database connection is not open|Cannot use a pool after calling end/u.test(e.message);
}

function arm(q: Queued, ms: number): void {
  q.elu = performance.eventLoopUtilization();
  // Armed inside the submit's transaction: the check runs later, outside it.
  q.timer = detached(() => setTimeout(() => void workQueuedCheck(), ms));
  q.timer.unref?.();
}

/** Puts a submitted version's check in the queue, in the submit's transaction, and has this process work it soon after. */
export async function checkOnSubmit(tx: Tx, ref: { reflectionId: number; courseId: number; versionId: number }): Promise<void> {
  await enqueue().run({ reflectionId: ref.reflectionId, courseId: ref.courseId, versionId: ref.versionId });
  // One queue per database: a test or script that opens another leaves the old one's rows pending.
  const db = getDb();
  if (!queued || queued.db !== db) {
    if (queued?.timer) clearTimeout(queued.timer);
    queued = { db, ids: new Map(), timer: null, lastAt: 0, firstAt: 0, draining: false, elu: performance.eventLoopUtilization() };
  }
  const now = Date.now();
  queued.ids.set(ref.reflectionId, ref.versionId);
  queued.lastAt = now;
  if (queued.timer) return;
  queued.firstAt = now;
  arm(queued, QUIET_MS);
}

/** Checks the reflection when its check is still waiting for this version (a rolled-back submit left none). */
async function checkIfStillPending(tx: Reader, reflectionId: number, versionId: number): Promise<boolean> {
  const row = await tx
    .select({ status: originalityChecks.status, versionId: originalityChecks.versionId })
    .from(originalityChecks)
    .where(eq(originalityChecks.reflectionId, reflectionId))
    .get();
  if (!row || row.status !== 'pending' || row.versionId !== versionId) return false;
  await checkReflection(tx, reflectionId);
  return true;
}

async function workQueuedCheck(): Promise<void> {
  const q = queued;
  if (!q) return;
  q.timer = null;
  const now = Date.now();
  const busy = performance.eventLoopUtilization(q.elu).utilization > BUSY_SHARE;
  if (!q.draining && (busy || now - q.lastAt < QUIET_MS)) {
    if (now - q.firstAt < MAX_WAIT_MS) return arm(q, Math.max(QUIET_MS - (now - q.lastAt), QUIET_MS / 3));
    q.draining = true;
  }
  const next = q.ids.entries().next();
  if (next.done) {
    q.draining = false;
    return;
  }
  const [reflectionId, versionId] = next.value;
  q.ids.delete(reflectionId);
  try {
    await q.db.transaction(async (tx) => await checkIfStillPending(tx, reflectionId, versionId), WRITE);
  } catch (e) {
    if (closedDatabase(e)) {
      // The database it was queued on is closed (tests, scripts): its rows stay 'pending' there.
      q.ids.clear();
      return;
    }
    if (isBusyError(e)) {
      // Another process holds the write lock: this check waits its turn.
      q.ids.set(reflectionId, versionId);
      return arm(q, QUIET_MS);
    }
    console.error('查重 failed after submit; left pending', e);
  }
  if (q.ids.size > 0) arm(q, 0);
  else q.draining = false;
}

/** Tests and scripts: works every check this process has queued, now, and returns how many ran. */
export async function workQueuedChecksNow(): Promise<number> {
  const q = queued;
  if (!q) return 0;
  if (q.timer) clearTimeout(q.timer);
  q.timer = null;
  let ran = 0;
  for (const [reflectionId, versionId] of [...q.ids]) {
    q.ids.delete(reflectionId);
    try {
      if (await q.db.transaction(async (tx) => await checkIfStillPending(tx, reflectionId, versionId), WRITE)) ran += 1;
    } catch (e) {
      if (!closedDatabase(e)) throw e;
      q.ids.clear();
      break;
    }
  }
  return ran;
}

/** Works through up to `limit` pending checks (of one course, or all); returns how many are left. */
export async function processPending(tx: Reader, { courseId, limit }: { courseId?: number; limit: number }): Promise<{ processed: number; left: number }> {
  const where = courseId ? and(eq(originalityChecks.status, 'pending'), eq(originalityChecks.courseId, courseId)) : eq(originalityChecks.status, 'pending');
  const ids = await tx.select({ id: originalityChecks.reflectionId }).from(originalityChecks).where(where).orderBy(originalityChecks.reflectionId).limit(limit).all();
  for (const { id } of ids) await checkReflection(tx, id);
  const left = (await tx.select({ n: sql<number>`count(*)` }).from(originalityChecks).where(where).get())?.n ?? 0;
  return { processed: ids.length, left };
}

/**
 * At start: every handed-in reflection without a check (written before 查重 existed, imported,
 * restored) joins the queue. Returns how many are pending in all.
 */
export async function enqueueUnchecked(tx: Reader): Promise<number> {
  await tx.run(sql`insert into originality_checks (reflection_id, course_id, version_id, status)
    select r.id, r.course_id, (select max(v.id) from reflection_versions v where v.reflection_id = r.id), 'pending'
    from reflections r
    where r.status in ('submitted', 'returned', 'approved') and r.version_count > 0
      and not exists (select 1 from originality_checks c where c.reflection_id = r.id)`);
  return (await tx.select({ n: sql<number>`count(*)` }).from(originalityChecks).where(eq(originalityChecks.status, 'pending')).get())?.n ?? 0;
}
