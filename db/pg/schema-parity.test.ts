// The PostgreSQL schema is in step with the SQLite one (issue 16 step 2, docs/decisions/0017):
// the same TypeScript row types, the same tables, columns, indexes and keys in the drizzle
// definitions and in the databases their migrations build, and triggers that behave alike.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { asc, eq, type InferInsertModel, type InferSelectModel, sql, type Table } from 'drizzle-orm';
import { drizzle as drizzleSqlite, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import {
  boolean as pgBoolean,
  index as pgIndex,
  integer as pgInteger,
  pgTable,
  text as pgText,
  timestamp as pgTimestamp,
  uniqueIndex as pgUniqueIndex,
} from 'drizzle-orm/pg-core';
import { index as sqliteIndex, integer as sqliteInteger, sqliteTable, text as sqliteText, uniqueIndex as sqliteUniqueIndex } from 'drizzle-orm/sqlite-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sqliteSchema from '@/db/sqlite/schema';
import * as pgSchema from '@/db/pg/schema';
import { startCluster, type Cluster } from '@/test/pg/cluster';
import {
  asStorageClasses,
  describePgTable,
  describeSchema,
  describeSqliteTable,
  diffSchemas,
  introspectPg,
  introspectSqlite,
  type TableFacts,
} from '@/test/pg/parity';

// ---------------------------------------------------------------------------------------------
// Types: a query written once compiles for both (checked by tsc, not at run time).

type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

type S = typeof sqliteSchema;
type P = typeof pgSchema;
type TableKey<M> = { [K in keyof M]: M[K] extends Table ? K : never }[keyof M];
type SqliteTables = TableKey<S>;
type PgTables = TableKey<P>;

/** The same exported tables in both modules. */
export type SameTables = Expect<Equal<SqliteTables, PgTables>>;

/** The tables whose select row types differ (never, when in step). */
type SelectMismatched = {
  [K in SqliteTables & PgTables]: Equal<InferSelectModel<P[K]>, InferSelectModel<S[K]>> extends true ? never : K;
}[SqliteTables & PgTables];
// A mismatch names its table here: "Type 'true' is not assignable to type '"users"'".
const selectTypesAgree: [SelectMismatched] extends [never] ? true : SelectMismatched = true;

/**
 * The tables whose insert row types differ. Exactly two, and knowingly: in SQLite every `integer
 * primary key` is the rowid, which the database fills when an insert leaves it out, so drizzle
 * makes it optional on insert even when it is not autoIncrement; PostgreSQL has no such thing.
 * Here the key is a foreign key (course_webhooks.course_id, originality_checks.reflection_id) that
 * every insert names, so the stricter PostgreSQL type loses nothing.
 */
type InsertMismatched = {
  [K in SqliteTables & PgTables]: Equal<InferInsertModel<P[K]>, InferInsertModel<S[K]>> extends true ? never : K;
}[SqliteTables & PgTables];
export type InsertTypesAgree = Expect<Equal<InsertMismatched, 'courseWebhooks' | 'originalityChecks'>>;
/** …and where they differ, a row PostgreSQL accepts is one SQLite accepts. */
export type InsertTypesCompatible = Expect<
  Equal<[InferInsertModel<P['courseWebhooks']>, InferInsertModel<P['originalityChecks']>] extends [InferInsertModel<S['courseWebhooks']>, InferInsertModel<S['originalityChecks']>] ? true : false, true>
>;

// And the check can fail: a twin whose column is nullable on one side only is told apart.
const brokenSqlite = sqliteTable('t', { id: sqliteInteger('id').primaryKey({ autoIncrement: true }), name: sqliteText('name').notNull() });
const brokenPg = pgTable('t', { id: pgInteger('id').primaryKey().generatedByDefaultAsIdentity(), name: pgText('name') });
export type BrokenTwinTold = Expect<Equal<Equal<InferSelectModel<typeof brokenPg>, InferSelectModel<typeof brokenSqlite>>, false>>;

// ---------------------------------------------------------------------------------------------
// Static: the drizzle definitions

describe('the drizzle definitions', () => {
  it('agree on row types (tsc) and on every table, column, index, key and constraint', () => {
    expect(selectTypesAgree).toBe(true);
    const sqliteFacts = describeSchema(sqliteSchema);
    const pgFacts = describeSchema(pgSchema);
    expect(sqliteFacts.length).toBeGreaterThanOrEqual(35); // 35 today
    expect(pgFacts.map((t) => t.name)).toEqual(sqliteFacts.map((t) => t.name));
    // The only difference is the one InsertTypesAgree names: an integer primary key that is not
    // autoIncrement is still SQLite's rowid, filled when left out, so drizzle says it has a default.
    expect(diffSchemas(sqliteFacts, pgFacts)).toEqual([
      'course_webhooks.course_id: hasDefault sqlite=true pg=false',
      'originality_checks.reflection_id: hasDefault sqlite=true pg=false',
    ]);
  });

  it('tell a broken twin apart, naming the table and the column or index', () => {
    const sqliteThings = sqliteTable(
      'things',
      {
        id: sqliteInteger('id').primaryKey({ autoIncrement: true }),
        name: sqliteText('name').notNull(),
        active: sqliteInteger('active', { mode: 'boolean' }).notNull().default(true),
        at: sqliteInteger('at', { mode: 'timestamp_ms' }),
      },
      (t) => [sqliteUniqueIndex('things_name_uq').on(t.name), sqliteIndex('things_active_idx').on(t.active, t.name)],
    );
    const pgThings = (at: 'timestamp' | 'integer', activeIndex: 'same' | 'swapped') =>
      pgTable(
        'things',
        {
          id: pgInteger('id').primaryKey().generatedByDefaultAsIdentity(),
          name: pgText('name').notNull(),
          active: pgBoolean('active').notNull().default(true),
          at: at === 'timestamp' ? pgTimestamp('at', { precision: 3, withTimezone: true, mode: 'date' }) : pgInteger('at'),
        },
        (t) => [
          pgUniqueIndex('things_name_uq').on(t.name),
          activeIndex === 'same' ? pgIndex('things_active_idx').on(t.active, t.name) : pgIndex('things_active_idx').on(t.name, t.active),
        ],
      );
    // The pair whose row types differ (BrokenTwinTold above) differs here as well.
    expect(diffSchemas([describeSqliteTable(brokenSqlite)], [describePgTable(brokenPg)])).toEqual(['t.name: notNull sqlite=true pg=false']);
    const sqliteFacts = [describeSqliteTable(sqliteThings)];
    expect(diffSchemas(sqliteFacts, [describePgTable(pgThings('timestamp', 'same'))])).toEqual([]);
    expect(diffSchemas(sqliteFacts, [describePgTable(pgThings('integer', 'same'))])).toEqual([
      'things.at: type sqlite="timestamp(3) with time zone" pg="integer"',
    ]);
    expect(diffSchemas(sqliteFacts, [describePgTable(pgThings('timestamp', 'swapped'))])).toEqual([
      'things: index things_active_idx columns sqlite=["active","name"] pg=["name","active"]',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Live: the databases the two sets of migrations build

let cluster: Cluster;
let pool: pg.Pool;
let pgDb: NodePgDatabase<typeof pgSchema>;
let sqlite: Database.Database;
let sqliteDb: BetterSQLite3Database<typeof sqliteSchema>;
let tmp: string;

beforeAll(async () => {
  cluster = await startCluster();
  pool = new pg.Pool({ connectionString: cluster.url, max: 2 });
  pgDb = drizzlePg(pool, { schema: pgSchema });
  await migratePg(pgDb, { migrationsFolder: path.resolve('db/migrations-pg') });

  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xuesi-parity-'));
  sqlite = new Database(path.join(tmp, 'parity.db'));
  sqlite.pragma('foreign_keys = ON');
  sqliteDb = drizzleSqlite(sqlite, { schema: sqliteSchema });
  // The migrator db/index.ts runs when it opens a database (its open() also chains audit rows
  // written before the chain existed: there are none in a new file).
  migrateSqlite(sqliteDb, { migrationsFolder: path.resolve('db/migrations') });
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await cluster?.stop();
  sqlite?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the migrated databases', () => {
  let liveSqlite: TableFacts[];
  let livePg: TableFacts[];

  beforeAll(async () => {
    liveSqlite = introspectSqlite(sqlite);
    livePg = await introspectPg(pool);
  });

  it('have the same tables, columns, primary keys, indexes and foreign keys', () => {
    // Every table of db/schema.ts plus originality_fingerprints (hand-written on both sides).
    expect(liveSqlite.map((t) => t.name)).toContain('originality_fingerprints');
    expect(liveSqlite.length).toBe(describeSchema(sqliteSchema).length + 1);
    expect(diffSchemas(liveSqlite, asStorageClasses(livePg))).toEqual([]);
  });

  it('give every PostgreSQL column the mapped type of its SQLite column', () => {
    const expected = describeSchema(sqliteSchema);
    const problems: string[] = [];
    for (const table of expected) {
      const live = livePg.find((t) => t.name === table.name);
      for (const column of table.columns) {
        const type = live?.columns.find((c) => c.name === column.name)?.type;
        if (type !== column.type) problems.push(`${table.name}.${column.name}: expected ${column.type}, found ${type}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('have the same triggers (PostgreSQL adds one for TRUNCATE, which SQLite has not)', async () => {
    const onSqlite = sqlite.prepare("select name from sqlite_master where type = 'trigger'").pluck().all() as string[];
    const onPg = (await pool.query<{ name: string }>('select tgname as name from pg_trigger where not tgisinternal')).rows.map((r) => r.name);
    expect(onSqlite.length).toBeGreaterThanOrEqual(9); // 0014's three and 0016's six
    expect(onPg.sort()).toEqual([...onSqlite, 'audit_log_no_truncate'].sort());
  });

  it('a live difference is found and named', async () => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query('create index users_extra_idx on users (phone)');
      await client.query('alter table tags alter column name drop not null');
      await client.query("alter table tags alter column created_at set default '2026-01-01'");
      await client.query('alter table tags drop constraint tags_course_id_courses_id_fk');
      await client.query('alter table tags add foreign key (course_id) references courses (id) on delete restrict');
      const changed = await introspectPg(client);
      expect(diffSchemas(liveSqlite, asStorageClasses(changed))).toEqual([
        'tags.name: notNull sqlite=true pg=false',
        `tags.created_at: default sqlite="now()" pg="'2026-01-01 00:00:00+00'"`,
        'tags.course_id: foreign key onDelete sqlite=cascade pg=restrict',
        'users: index users_extra_idx only in pg',
      ]);
    } finally {
      await client.query('rollback');
      client.release();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Values: what goes in comes out the same on both sides

describe('a row written through drizzle', () => {
  it('reads back the same on both sides: instants to the millisecond, bytes, negative int32, booleans', async () => {
    const row = {
      kind: 'reflection' as const,
      refId: 2147483647,
      versionId: null,
      textHash: -2147483648,
      fingerprints: Buffer.from(Int32Array.of(-1, 0, 2147483647, -2147483648).buffer),
      indexedAt: new Date('2026-12-02T07:41:05.987Z'),
    };
    const [a] = await sqliteDb.insert(sqliteSchema.originalityDocs).values(row).returning();
    const [b] = await pgDb.insert(pgSchema.originalityDocs).values(row).returning();
    expect(b).toEqual(a);
    expect(Buffer.isBuffer(b!.fingerprints)).toBe(true);
    expect(b!.indexedAt.getTime()).toBe(row.indexedAt.getTime());

    const settingsRow = { key: 'k', value: '{"a":1}', updatedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, 1)) };
    const [c] = await sqliteDb.insert(sqliteSchema.settings).values(settingsRow).returning();
    const [d] = await pgDb.insert(pgSchema.settings).values(settingsRow).returning();
    expect(d).toEqual(c);
  });
});

// ---------------------------------------------------------------------------------------------
// Triggers: the same behaviour on both sides

/** The writes of the scenario, one implementation per dialect (the rows are the same values). */
interface NewRows {
  courses: InferInsertModel<S['courses']>;
  meetings: InferInsertModel<S['meetings']>;
  assignments: InferInsertModel<S['assignments']>;
  users: InferInsertModel<S['users']>;
  reflections: InferInsertModel<S['reflections']>;
  auditLog: InferInsertModel<S['auditLog']>;
}

interface Writer {
  /** Inserts a row and returns its id. */
  insert<K extends keyof NewRows>(table: K, row: NewRows[K]): Promise<number>;
  setUser(id: number, values: Partial<InferInsertModel<S['users']>>): Promise<void>;
  setReflection(id: number, values: Partial<InferInsertModel<S['reflections']>>): Promise<void>;
  deleteUser(id: number): Promise<void>;
  deleteReflection(id: number): Promise<void>;
  counts(): Promise<{ users: unknown[]; reflections: unknown[] }>;
  recount(): Promise<{ users: unknown[]; reflections: unknown[] }>;
  updateAudit(id: number, values: Partial<InferInsertModel<S['auditLog']>>): Promise<void>;
  deleteAudit(id: number): Promise<void>;
  audit(): Promise<unknown[]>;
}

/**
 * The same drizzle calls on either database. They are written once, against the PostgreSQL types:
 * the calls used here (insert … returning, update, delete, select with groupBy and orderBy) have the
 * same shape in both dialects, and the SQLite side is handed over as that type. What each database
 * then does is what the scenarios compare.
 */
function writerOver(db: NodePgDatabase<typeof pgSchema>, s: typeof pgSchema): Writer {
  return {
    async insert(table, row) {
      const t = s[table] as unknown as typeof s.users; // every table here has an integer id
      const [r] = await db.insert(t).values(row as typeof s.users.$inferInsert).returning({ id: t.id });
      return r!.id;
    },
    async setUser(id, values) {
      await db.update(s.users).set(values).where(eq(s.users.id, id));
    },
    async setReflection(id, values) {
      await db.update(s.reflections).set(values).where(eq(s.reflections.id, id));
    },
    async deleteUser(id) {
      await db.delete(s.users).where(eq(s.users.id, id));
    },
    async deleteReflection(id) {
      await db.delete(s.reflections).where(eq(s.reflections.id, id));
    },
    async counts() {
      const uc = s.userCounts;
      const rc = s.reflectionStateCounts;
      return {
        users: await db.select().from(uc).orderBy(asc(uc.role), asc(uc.active), asc(uc.mustChangePassword)),
        reflections: await db.select().from(rc).orderBy(asc(rc.courseId), asc(rc.status)),
      };
    },
    async recount() {
      const u = s.users;
      const r = s.reflections;
      return {
        users: await db
          .select({ role: u.role, active: u.active, mustChangePassword: u.mustChangePassword, n: sql<number>`cast(count(*) as integer)` })
          .from(u)
          .groupBy(u.role, u.active, u.mustChangePassword)
          .orderBy(asc(u.role), asc(u.active), asc(u.mustChangePassword)),
        reflections: await db
          .select({ courseId: r.courseId, status: r.status, n: sql<number>`cast(count(*) as integer)` })
          .from(r)
          .groupBy(r.courseId, r.status)
          .orderBy(asc(r.courseId), asc(r.status)),
      };
    },
    async updateAudit(id, values) {
      await db.update(s.auditLog).set(values).where(eq(s.auditLog.id, id));
    },
    async deleteAudit(id) {
      await db.delete(s.auditLog).where(eq(s.auditLog.id, id));
    },
    async audit() {
      return db.select().from(s.auditLog).orderBy(asc(s.auditLog.id));
    },
  };
}

const sqliteWriter = (db: BetterSQLite3Database<typeof sqliteSchema>): Writer =>
  writerOver(db as unknown as NodePgDatabase<typeof pgSchema>, sqliteSchema as unknown as typeof pgSchema);
const pgWriter = (db: NodePgDatabase<typeof pgSchema>): Writer => writerOver(db, pgSchema);

/** The error text of a refused write, with the driver's message under drizzle's wrapper. */
async function refusal(write: Promise<unknown>): Promise<string> {
  try {
    await write;
  } catch (err) {
    const e = err as Error & { cause?: Error };
    return `${e.message} ${e.cause?.message ?? ''}`;
  }
  return 'not refused';
}

const HASH = 'a'.repeat(64);

/** Users, reflections, changes and deletions: the counter rows each side ends with. */
async function counterScenario(w: Writer) {
  const courseId = await w.insert('courses', { name: '2026年读书班' });
  const otherCourseId = await w.insert('courses', { name: '2026年第二期读书班' });
  const meetingId = await w.insert('meetings', { courseId, title: '开班式' });
  const assignmentId = await w.insert('assignments', { meetingId, courseId, title: '学习心得', dueAt: new Date('2026-12-10T10:00:00Z') });
  const otherMeetingId = await w.insert('meetings', { courseId: otherCourseId, title: '开班式' });
  const otherAssignmentId = await w.insert('assignments', { meetingId: otherMeetingId, courseId: otherCourseId, title: '学习心得', dueAt: new Date('2026-12-10T10:00:00Z') });
  const user = (username: string, role: sqliteSchema.Role, over: Partial<InferInsertModel<S['users']>> = {}) =>
    w.insert('users', { username, name: username, role, passwordHash: 'x', ...over });
  const a = await user('a', 'cadre');
  const b = await user('b', 'cadre', { mustChangePassword: false });
  const c = await user('c', 'cadre');
  const d = await user('d', 'organizer', { mustChangePassword: false });
  const e = await user('e', 'admin', { active: false });
  const reflection = (authorId: number, status: sqliteSchema.ReflectionStatus, other = false) =>
    w.insert('reflections', { assignmentId: other ? otherAssignmentId : assignmentId, courseId: other ? otherCourseId : courseId, authorId, status });
  const ra = await reflection(a, 'draft');
  const rb = await reflection(b, 'submitted');
  await reflection(c, 'submitted');
  await reflection(a, 'approved', true);
  const rb2 = await reflection(b, 'returned', true);

  await w.setUser(a, { mustChangePassword: false }); // moves a between counter rows
  await w.setUser(b, { name: 'b2' }); // not a counted column: no change
  await w.setUser(d, { role: 'admin', active: false });
  await w.setReflection(rb, { status: 'approved' });
  await w.setReflection(ra, { title: '标题' }); // not a counted column
  await w.setReflection(rb2, { courseId, status: 'submitted' }); // both counted columns at once
  await w.deleteUser(c); // and its reflection, by the cascade
  await w.deleteUser(e);
  await w.deleteReflection(ra);
  return { counts: await w.counts(), recount: await w.recount() };
}

async function auditScenario(w: Writer) {
  const id = await w.insert('auditLog', { action: 'user.create', detail: '{}', hash: HASH });
  const noHash = await refusal(w.insert('auditLog', { action: 'user.create' }));
  const edit = await refusal(w.updateAudit(id, { detail: '{"changed":true}' }));
  const rehash = await refusal(w.updateAudit(id, { hash: 'b'.repeat(64) }));
  const remove = await refusal(w.deleteAudit(id));
  const rows = await w.audit();
  return { noHash, edit, rehash, remove, rows };
}

describe('the triggers', () => {
  it('keep the same counters on both sides, equal to counting the rows', async () => {
    const onSqlite = await counterScenario(sqliteWriter(sqliteDb));
    const onPg = await counterScenario(pgWriter(pgDb));
    expect(onPg.counts).toEqual(onSqlite.counts);
    // The counters are right, not merely alike: rows left at zero aside, they are the counts.
    const nonZero = (rows: unknown[]) => rows.filter((r) => (r as { n: number }).n !== 0);
    expect(nonZero(onSqlite.counts.users)).toEqual(onSqlite.recount.users);
    expect(nonZero(onSqlite.counts.reflections)).toEqual(onSqlite.recount.reflections);
    expect(onPg.recount).toEqual(onSqlite.recount);
    expect(onSqlite.counts.users.length).toBeGreaterThan(nonZero(onSqlite.counts.users).length);
  });

  it('keep the audit log append-only on both sides', async () => {
    const onSqlite = await auditScenario(sqliteWriter(sqliteDb));
    const onPg = await auditScenario(pgWriter(pgDb));
    for (const side of [onSqlite, onPg]) {
      expect(side.noHash).toContain('audit_log: a row needs its chain hash');
      expect(side.edit).toContain('audit_log is append-only');
      expect(side.rehash).toContain('audit_log is append-only');
      expect(side.remove).toContain('audit_log is append-only');
      expect(side.rows).toHaveLength(1);
    }
    const strip = (rows: unknown[]) => rows.map((r) => ({ ...(r as Record<string, unknown>), at: undefined }));
    expect(strip(onPg.rows)).toEqual(strip(onSqlite.rows));
    // PostgreSQL can also empty a table without deleting rows one by one: refused as well.
    expect(await refusal(pgDb.execute(sql`truncate ${pgSchema.auditLog}`))).toContain('audit_log is append-only');
  });
});

