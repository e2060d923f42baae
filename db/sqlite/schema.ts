import { sql } from 'drizzle-orm';
import {
  type AnySQLiteColumn,
  blob,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

// Times are instants stored as integer milliseconds since the epoch (UTC);
// they are shown in Asia/Shanghai by lib/time.
const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

export const ROLES = ['admin', 'organizer', 'cadre', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** 单位: a tree 区 → 镇/街道 → 社区/居民区. */
export const units = sqliteTable(
  'units',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    parentId: integer('parent_id').references((): AnySQLiteColumn => units.id, {
      onDelete: 'restrict',
    }),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [
    // Siblings have distinct names; NULLs are distinct in a unique index, so roots need their own.
    uniqueIndex('units_parent_name_uq').on(t.parentId, t.name),
    uniqueIndex('units_root_name_uq').on(t.name).where(sql`${t.parentId} is null`),
  ],
);

export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** 账号: stored lower-case, compared lower-case. */
    username: text('username').notNull(),
    /** 姓名 */
    name: text('name').notNull(),
    /** 职务: may hold several posts joined by 、 */
    title: text('title').notNull().default(''),
    unitId: integer('unit_id').references(() => units.id, { onDelete: 'restrict' }),
    role: text('role', { enum: ROLES }).notNull(),
    /**
     * 手机: 11 digits, from the roster. Shown to admins, and to the organizers of a course in its
     * tracker beside a member who has not handed in (催交); never to cadres.
     */
    phone: text('phone'),
    passwordHash: text('password_hash').notNull(),
    mustChangePassword: integer('must_change_password', { mode: 'boolean' })
      .notNull()
      .default(true),
    /** A one-time password stops working after this instant; null for a chosen password. */
    passwordExpiresAt: integer('password_expires_at', { mode: 'timestamp_ms' }),
    passwordChangedAt: integer('password_changed_at', { mode: 'timestamp_ms' }),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    /** The reader view's text size, remembered per user (0 标准, 1 大, 2 特大). */
    readerTextSize: integer('reader_text_size').notNull().default(0),
    /** 大字模式 (适老化): the whole UI enlarged, remembered per user. */
    largeUi: integer('large_ui', { mode: 'boolean' }).notNull().default(false),
    /** 两步验证 (TOTP, RFC 6238): the shared secret in base32; null when not enrolled. */
    totpSecret: text('totp_secret'),
    totpEnabledAt: integer('totp_enabled_at', { mode: 'timestamp_ms' }),
    /** The last 30-second time step whose code was accepted: a code is never accepted twice. */
    totpLastStep: integer('totp_last_step'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [
    uniqueIndex('users_username_uq').on(t.username),
    index('users_unit_idx').on(t.unitId),
    index('users_role_name_idx').on(t.role, t.name),
    index('users_name_idx').on(t.name),
  ],
);

/** A row per sign-in, so that a sign-in can be revoked (sign-out, deactivation, password change). */
export const authSessions = sqliteTable(
  'auth_sessions',
  {
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
    /** The last request seen on this sign-in, kept to the minute (idle timeout: lib/auth/idle.ts). */
    lastSeenAt: integer('last_seen_at', { mode: 'timestamp_ms' }),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('auth_sessions_user_idx').on(t.userId)],
);

/** 两步验证 recovery codes: ten per enrolment, shown once, stored as SHA-256 of the code. */
export const totpRecoveryCodes = sqliteTable(
  'totp_recovery_codes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('totp_recovery_user_idx').on(t.userId)],
);

/** Portal-wide settings an admin changes (each change audited): key → JSON value. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now),
});

/** Failed sign-in counters, keyed by account ('account:<username>') and by address ('ip:<addr>'). */
export const loginThrottle = sqliteTable('login_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  windowStartedAt: integer('window_started_at', { mode: 'timestamp_ms' }).notNull(),
  blockedUntil: integer('blocked_until', { mode: 'timestamp_ms' }),
});

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at', { mode: 'timestamp_ms' }).notNull().default(now),
    actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
    /** The account name as typed or as it stood, so that a row still reads after changes. */
    actorUsername: text('actor_username'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    /** JSON with what changed; never a password or a hash. */
    detail: text('detail'),
    ip: text('ip'),
    /**
     * SHA-256 of the previous row's hash and this row's content (db/audit.ts chainHash): a row
     * edited or removed breaks the chain (npm run audit:verify). Null only for rows written before
     * the chain existed, until the first start hashes them.
     */
    hash: text('hash'),
  },
  (t) => [
    index('audit_at_idx').on(t.at),
    index('audit_actor_at_idx').on(t.actorId, t.at),
    index('audit_action_at_idx').on(t.action, t.at),
  ],
);

export type Unit = typeof units.$inferSelect;
export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type AuthSession = typeof authSessions.$inferSelect;
export type AuditRow = typeof auditLog.$inferSelect;

// ---------------------------------------------------------------------------------------------
// 读书班 (courses), their members, meetings, readings, assignments and reflections.

/** 读书班 */
export const courses = sqliteTable(
  'courses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** 2020年全区党组织书记读书班 */
    name: text('name').notNull(),
    /** 栏目 short name printed in bulletin titles: 书记读书班 */
    columnName: text('column_name').notNull().default(''),
    /** 编印单位 */
    publisher: text('publisher').notNull().default(''),
    /** yyyy-mm-dd, a day in Asia/Shanghai */
    startsOn: text('starts_on'),
    endsOn: text('ends_on'),
    description: text('description').notNull().default(''),
    archived: integer('archived', { mode: 'boolean' }).notNull().default(false),
    /** 疑似雷同 above this share (percent) of a reflection overlapping other people's writing. */
    similarityThreshold: integer('similarity_threshold').notNull().default(30),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [index('courses_archived_idx').on(t.archived, t.startsOn)],
);

/** A course's 企业微信 / 钉钉 group robot for 发送提醒: set by an admin, shown masked, changes audited. */
export const WEBHOOK_KINDS = ['wecom', 'dingtalk'] as const;
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];

export const courseWebhooks = sqliteTable('course_webhooks', {
  courseId: integer('course_id')
    .primaryKey()
    .references(() => courses.id, { onDelete: 'cascade' }),
  kind: text('kind', { enum: WEBHOOK_KINDS }).notNull(),
  url: text('url').notNull(),
  updatedBy: integer('updated_by').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now),
});

/** Which organizers run which course; organizers see only these. */
export const courseOrganizers = sqliteTable(
  'course_organizers',
  {
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.courseId, t.userId] }), index('course_organizers_user_idx').on(t.userId)],
);

/** 讨论小组 */
export const courseGroups = sqliteTable(
  'course_groups',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    leaderId: integer('leader_id').references(() => users.id, { onDelete: 'set null' }),
    sortOrder: integer('sort_order').notNull().default(0),
  },
  (t) => [uniqueIndex('course_groups_course_name_uq').on(t.courseId, t.name)],
);

/** Enrolled cadres (学员) of a course, with their discussion group. */
export const courseMembers = sqliteTable(
  'course_members',
  {
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    groupId: integer('group_id').references(() => courseGroups.id, { onDelete: 'set null' }),
    enrolledAt: integer('enrolled_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [
    primaryKey({ columns: [t.courseId, t.userId] }),
    index('course_members_user_idx').on(t.userId),
    index('course_members_group_idx').on(t.groupId),
  ],
);

/** 学习篇目: reusable across courses. */
export const readings = sqliteTable(
  'readings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** 《论党的自我革命》 */
    title: text('title').notNull(),
    source: text('source').notNull().default(''),
    chapters: text('chapters').notNull().default(''),
    notes: text('notes').notNull().default(''),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [index('readings_title_idx').on(t.title)],
);

/**
 * The text of a reading, one row per 章/节 in reading order. A reading without a text has no
 * rows; the reader view, 引用到心得 and the originality check (quotes of assigned texts are
 * quotes, not copying) read these.
 */
export const readingSections = sqliteTable(
  'reading_sections',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    readingId: integer('reading_id')
      .notNull()
      .references(() => readings.id, { onDelete: 'cascade' }),
    /** 0, 1, 2… in reading order */
    position: integer('position').notNull(),
    /** 第一章　…; empty for a text without chapters */
    heading: text('heading').notNull().default(''),
    /** paragraphs separated by a newline */
    body: text('body').notNull(),
  },
  (t) => [uniqueIndex('reading_sections_reading_position_uq').on(t.readingId, t.position)],
);

/** 集中学习: one sitting of a course. */
export const meetings = sqliteTable(
  'meetings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    /** 开班式, 第六次集中学习 */
    title: text('title').notNull(),
    startsAt: integer('starts_at', { mode: 'timestamp_ms' }),
    place: text('place').notNull().default(''),
    /** who gave the 动员讲话, what was read (原文导读) */
    description: text('description').notNull().default(''),
    /** 主持人 as the 导语 names them: 区委组织部副部长张华 */
    presider: text('presider').notNull().default(''),
    /** 讲话 as the 导语 says it: 区委常委、组织部部长王强作动员讲话 */
    speech: text('speech').notNull().default(''),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [index('meetings_course_idx').on(t.courseId, t.startsAt)],
);

export const meetingReadings = sqliteTable(
  'meeting_readings',
  {
    meetingId: integer('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    readingId: integer('reading_id')
      .notNull()
      .references(() => readings.id, { onDelete: 'restrict' }),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.readingId] }), index('meeting_readings_reading_idx').on(t.readingId)],
);

/** 心得任务: what a meeting asks cadres to write. */
export const assignments = sqliteTable(
  'assignments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    meetingId: integer('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    /** Copied from the meeting so every scope check is one indexed lookup. */
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    prompt: text('prompt').notNull().default(''),
    dueAt: integer('due_at', { mode: 'timestamp_ms' }).notNull(),
    /** After this instant submitting is closed; null for never. */
    cutoffAt: integer('cutoff_at', { mode: 'timestamp_ms' }),
    minChars: integer('min_chars').notNull().default(0),
    /** 0 for no maximum */
    maxChars: integer('max_chars').notNull().default(0),
    allowLate: integer('allow_late', { mode: 'boolean' }).notNull().default(true),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [index('assignments_course_idx').on(t.courseId, t.dueAt), index('assignments_meeting_idx').on(t.meetingId)],
);

export const assignmentReadings = sqliteTable(
  'assignment_readings',
  {
    assignmentId: integer('assignment_id')
      .notNull()
      .references(() => assignments.id, { onDelete: 'cascade' }),
    readingId: integer('reading_id')
      .notNull()
      .references(() => readings.id, { onDelete: 'restrict' }),
  },
  (t) => [primaryKey({ columns: [t.assignmentId, t.readingId] })],
);

/**
 * 账号统计 (issue 15): how many accounts of each role, in use or not, with a one-time password or
 * not. Kept by triggers on users (migration issue_15c_custom) in the same transaction as every
 * insert, update and delete, whoever writes; the admin's counts read these few rows, never the
 * whole table.
 */
export const userCounts = sqliteTable(
  'user_counts',
  {
    role: text('role', { enum: ROLES }).notNull(),
    active: integer('active', { mode: 'boolean' }).notNull(),
    mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull(),
    n: integer('n').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.role, t.active, t.mustChangePassword] })],
);

export const REFLECTION_STATUSES = ['draft', 'submitted', 'returned', 'approved'] as const;
export type ReflectionStatus = (typeof REFLECTION_STATUSES)[number];

/** 学习心得: one cadre's write-up for one assignment. The working copy; submitted copies are versions. */
export const reflections = sqliteTable(
  'reflections',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    assignmentId: integer('assignment_id')
      .notNull()
      .references(() => assignments.id, { onDelete: 'cascade' }),
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    authorId: integer('author_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull().default(''),
    body: text('body').notNull().default(''),
    charCount: integer('char_count').notNull().default(0),
    status: text('status', { enum: REFLECTION_STATUSES }).notNull().default('draft'),
    /** Bumped on every write; a save names the revision it started from, so no write is overwritten unseen. */
    revision: integer('revision').notNull().default(1),
    /** How many versions have been submitted. */
    versionCount: integer('version_count').notNull().default(0),
    submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }),
    late: integer('late', { mode: 'boolean' }).notNull().default(false),
    excellent: integer('excellent', { mode: 'boolean' }).notNull().default(false),
    /** Marked when the reflection came from an imported bulletin rather than the editor. */
    imported: integer('imported', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [
    uniqueIndex('reflections_assignment_author_uq').on(t.assignmentId, t.authorId),
    index('reflections_author_idx').on(t.authorId, t.updatedAt),
    index('reflections_course_status_idx').on(t.courseId, t.status, t.submittedAt),
    // The review queue across all courses (an admin's view) sorts by submission time within a state.
    index('reflections_status_submitted_idx').on(t.status, t.submittedAt),
    // …and its 只看逾期 filter, whose state chip may span several statuses.
    index('reflections_late_submitted_idx').on(t.late, t.submittedAt, t.status),
    // 统计: every figure of a course read from the index alone, never the rows with their bodies.
    index('reflections_course_stats_idx').on(t.courseId, t.status, t.authorId, t.assignmentId, t.late, t.excellent, t.charCount, t.submittedAt),
  ],
);

/**
 * The review state chips (issue 15): how many reflections of a course are in each state. Kept by
 * triggers on reflections (migration issue_15c_custom) in the same transaction as every change, so
 * the counts over all courses read a few rows per course, never every reflection.
 */
export const reflectionStateCounts = sqliteTable(
  'reflection_state_counts',
  {
    courseId: integer('course_id').notNull(),
    status: text('status', { enum: REFLECTION_STATUSES }).notNull(),
    n: integer('n').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.courseId, t.status] })],
);

export const reflectionReadings = sqliteTable(
  'reflection_readings',
  {
    reflectionId: integer('reflection_id')
      .notNull()
      .references(() => reflections.id, { onDelete: 'cascade' }),
    readingId: integer('reading_id')
      .notNull()
      .references(() => readings.id, { onDelete: 'restrict' }),
  },
  (t) => [primaryKey({ columns: [t.reflectionId, t.readingId] })],
);

/** Every submitted copy of a reflection, kept for ever. */
export const reflectionVersions = sqliteTable(
  'reflection_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    reflectionId: integer('reflection_id')
      .notNull()
      .references(() => reflections.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    charCount: integer('char_count').notNull(),
    late: integer('late', { mode: 'boolean' }).notNull().default(false),
    /** The client's id for this submission: a retry with the same key makes no second version. */
    submitKey: text('submit_key').notNull(),
    submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [
    uniqueIndex('reflection_versions_version_uq').on(t.reflectionId, t.version),
    uniqueIndex('reflection_versions_submit_key_uq').on(t.reflectionId, t.submitKey),
  ],
);

/**
 * The passages of assigned readings a submitted version quotes: one row per “…”（《篇名》） in the
 * version's 正文 whose text is found in that reading's sections (see lib/readings/quotes.ts).
 * The originality check treats these as quotes, not copying.
 */
export const reflectionQuotes = sqliteTable(
  'reflection_quotes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    versionId: integer('version_id')
      .notNull()
      .references(() => reflectionVersions.id, { onDelete: 'cascade' }),
    readingId: integer('reading_id')
      .notNull()
      .references(() => readings.id, { onDelete: 'restrict' }),
    /** The section the passage was found in; null when the text has since been replaced. */
    sectionId: integer('section_id').references(() => readingSections.id, { onDelete: 'set null' }),
    /** The quoted passage as it stands in the reflection, without the quotation marks. */
    passage: text('passage').notNull(),
  },
  (t) => [index('reflection_quotes_version_idx').on(t.versionId), index('reflection_quotes_reading_idx').on(t.readingId)],
);

/** 评语 and decisions on a reflection. Internal notes are never shown to the cadre. */
export const reflectionComments = sqliteTable(
  'reflection_comments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    reflectionId: integer('reflection_id')
      .notNull()
      .references(() => reflections.id, { onDelete: 'cascade' }),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    /** 'approve' | 'return' | null for a plain comment */
    decision: text('decision', { enum: ['approve', 'return'] }),
    body: text('body').notNull().default(''),
    internal: integer('internal', { mode: 'boolean' }).notNull().default(false),
    /** Which submitted version the comment is about. */
    version: integer('version'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [index('reflection_comments_reflection_idx').on(t.reflectionId, t.createdAt)],
);

export type Course = typeof courses.$inferSelect;
export type Meeting = typeof meetings.$inferSelect;
export type Reading = typeof readings.$inferSelect;
export type ReadingSection = typeof readingSections.$inferSelect;
export type Assignment = typeof assignments.$inferSelect;
export type Reflection = typeof reflections.$inferSelect;
export type ReflectionVersion = typeof reflectionVersions.$inferSelect;

// ---------------------------------------------------------------------------------------------
// Review desk: tags, the comment bank, notifications. Full-text search lives in the FTS5 table
// reflections_fts, created by a hand-written migration (drizzle-kit does not model virtual tables).

/** 标签, per course: an organizer of one course never sees another course's tags. */
export const tags = sqliteTable(
  'tags',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [uniqueIndex('tags_course_name_uq').on(t.courseId, t.name)],
);

export const reflectionTags = sqliteTable(
  'reflection_tags',
  {
    reflectionId: integer('reflection_id')
      .notNull()
      .references(() => reflections.id, { onDelete: 'cascade' }),
    tagId: integer('tag_id')
      .notNull()
      .references(() => tags.id, { onDelete: 'cascade' }),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.reflectionId, t.tagId] }), index('reflection_tags_tag_idx').on(t.tagId, t.reflectionId)],
);

/** 评语库: reusable comments, personal (ownerId) or shared in a course (courseId). */
export const commentBank = sqliteTable(
  'comment_bank',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ownerId: integer('owner_id').references(() => users.id, { onDelete: 'cascade' }),
    courseId: integer('course_id').references(() => courses.id, { onDelete: 'cascade' }),
    body: text('body').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [index('comment_bank_owner_idx').on(t.ownerId), index('comment_bank_course_idx').on(t.courseId)],
);

export const NOTIFICATION_KINDS = ['returned', 'approved', 'reminder', 'bulletin', 'security'] as const;

/** In-app notifications; a person only ever reads their own. */
export const notifications = sqliteTable(
  'notifications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: NOTIFICATION_KINDS }).notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    /** A path inside the portal, e.g. /my/assignments/12 */
    link: text('link'),
    readAt: integer('read_at', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.readAt, t.createdAt)],
);

export type Tag = typeof tags.$inferSelect;
export type Notification = typeof notifications.$inferSelect;

// ---------------------------------------------------------------------------------------------
// 简报: numbered per course, compiled from reflections, published as read-only revisions.

export const BULLETIN_STATUSES = ['draft', 'published', 'unpublished'] as const;
export type BulletinStatus = (typeof BULLETIN_STATUSES)[number];

export const bulletins = sqliteTable(
  'bulletins',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    /** 期号: 第N期, unique in its course */
    number: integer('number').notNull(),
    /** 【栏目】{course}简报(第N期) by default: the web and 公众号 title */
    title: text('title').notNull(),
    /** The article headline printed under the red 报头 (never the 报头 name or 期号); '' derives one. */
    headline: text('headline').notNull().default(''),
    /** 编辑 (byline) */
    editor: text('editor').notNull().default(''),
    /** yyyy-mm-dd, the date printed in the 报头 */
    issuedOn: text('issued_on').notNull(),
    /** 编印单位 */
    publisher: text('publisher').notNull().default(''),
    lead: text('lead').notNull().default(''),
    summary: text('summary').notNull().default(''),
    transition: text('transition').notNull().default('现将学员讨论发言情况整理如下:'),
    /** 报 / 送 / 发 lines of the 报尾 */
    reportTo: text('report_to').notNull().default(''),
    sendTo: text('send_to').notNull().default(''),
    issueTo: text('issue_to').notNull().default(''),
    /** 共印N份; 0 leaves the line out */
    copies: integer('copies').notNull().default(0),
    status: text('status', { enum: BULLETIN_STATUSES }).notNull().default('draft'),
    /** Bumped on every save; a save names the revision it started from. */
    revision: integer('revision').notNull().default(1),
    /** How many published revisions exist (a correction publishes the next one). */
    publishedRevision: integer('published_revision').notNull().default(0),
    publishedAt: integer('published_at', { mode: 'timestamp_ms' }),
    imported: integer('imported', { mode: 'boolean' }).notNull().default(false),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [
    uniqueIndex('bulletins_course_number_uq').on(t.courseId, t.number),
    index('bulletins_course_status_idx').on(t.courseId, t.status, t.number),
  ],
);

/** One speaker's item in a bulletin: a snapshot, so later edits of the reflection or of 职务 do not move it. */
export const bulletinItems = sqliteTable(
  'bulletin_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    bulletinId: integer('bulletin_id')
      .notNull()
      .references(() => bulletins.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    reflectionId: integer('reflection_id').references(() => reflections.id, { onDelete: 'set null' }),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    /** "{职务} {姓名}" as it stood when added; editable */
    heading: text('heading').notNull(),
    authorName: text('author_name').notNull().default(''),
    authorTitle: text('author_title').notNull().default(''),
    /** The bulletin's excerpt; the reflection itself is never changed. */
    body: text('body').notNull(),
    /** reflections.revision when the item was added, to warn when the reflection changed since. */
    sourceRevision: integer('source_revision'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [index('bulletin_items_bulletin_idx').on(t.bulletinId, t.position), index('bulletin_items_reflection_idx').on(t.reflectionId)],
);

/** Every published revision, kept: a correction publishes a new one and the old stays readable. */
export const bulletinRevisions = sqliteTable(
  'bulletin_revisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    bulletinId: integer('bulletin_id')
      .notNull()
      .references(() => bulletins.id, { onDelete: 'cascade' }),
    revisionNo: integer('revision_no').notNull(),
    /** JSON: the bulletin's fields and items as published */
    snapshot: text('snapshot').notNull(),
    note: text('note').notNull().default(''),
    publishedBy: integer('published_by').references(() => users.id, { onDelete: 'set null' }),
    publishedAt: integer('published_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [uniqueIndex('bulletin_revisions_no_uq').on(t.bulletinId, t.revisionNo)],
);

export type Bulletin = typeof bulletins.$inferSelect;
export type BulletinItem = typeof bulletinItems.$inferSelect;

// ---------------------------------------------------------------------------------------------
// 规范提法 and 查重 (issue 12).

/**
 * An office's wording rules: its own (code c-…) and its changes to the bundled defaults (code
 * d-…, lib/wording/rules.ts). The rules in force are the defaults overlaid by these rows.
 */
export const wordingRules = sqliteTable('wording_rules', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  code: text('code').notNull().unique(),
  kind: text('kind', { enum: ['literal', 'pattern', 'enumeration'] }).notNull(),
  find: text('find').notNull(),
  standard: text('standard').notNull(),
  reason: text('reason').notNull().default(''),
  category: text('category').notNull().default('自定义'),
  /** Other forms in which the found text is fine, separated by newlines. */
  allow: text('allow').notNull().default(''),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  updatedBy: integer('updated_by').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now),
});

export const ORIGINALITY_DOC_KINDS = ['reflection', 'section', 'bulletin'] as const;
export type OriginalityDocKind = (typeof ORIGINALITY_DOC_KINDS)[number];

/**
 * A text in the 查重 index: a reflection's latest submitted version, a reading's section, or an
 * item of a published 简报. Its winnowing fingerprints are in originality_fingerprints
 * (hand-written WITHOUT ROWID table, migration issue_12_custom: hash, doc_id).
 */
export const originalityDocs = sqliteTable(
  'originality_docs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: ORIGINALITY_DOC_KINDS }).notNull(),
    /** reflections.id, reading_sections.id or bulletin_items.id */
    refId: integer('ref_id').notNull(),
    /** reflection_versions.id of the indexed text, for a reflection */
    versionId: integer('version_id'),
    courseId: integer('course_id'),
    authorId: integer('author_id'),
    /** A cheap hash of the indexed text, to see that a section changed since. */
    textHash: integer('text_hash').notNull(),
    /** The fingerprints written for it (int32 little-endian), so that they can be removed when the text changes. */
    fingerprints: blob('fingerprints', { mode: 'buffer' }).notNull(),
    indexedAt: integer('indexed_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [uniqueIndex('originality_docs_kind_ref_uq').on(t.kind, t.refId)],
);

/**
 * The 查重 result for a reflection's latest submitted version. 'pending' rows are the durable
 * queue: a re-run over a course, or a check that failed inside a submit, waits here.
 */
export const originalityChecks = sqliteTable(
  'originality_checks',
  {
    reflectionId: integer('reflection_id')
      .primaryKey()
      .references(() => reflections.id, { onDelete: 'cascade' }),
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    versionId: integer('version_id').notNull(),
    status: text('status', { enum: ['pending', 'done'] }).notNull().default('pending'),
    /** Per mille of the text overlapping other people's writing (quotes of the assigned readings excluded). */
    share: integer('share').notNull().default(0),
    /** Per mille quoted from the assigned readings (引用原文). */
    quoteShare: integer('quote_share').notNull().default(0),
    /** JSON: the top sources [{ kind, refId, share, label }] */
    sources: text('sources').notNull().default('[]'),
    checkedAt: integer('checked_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('originality_checks_course_share_idx').on(t.courseId, t.share), index('originality_checks_status_idx').on(t.status)],
);
