import { sql } from 'drizzle-orm';
import {
  type AnySQLiteColumn,
  index,
  integer,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

// Times are instants stored as integer milliseconds since the epoch (UTC);
// they are shown in Asia/Shanghai by lib/time.
const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

export const ROLES = ['admin', 'organizer', 'cadre'] as const;
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
    passwordHash: text('password_hash').notNull(),
    mustChangePassword: integer('must_change_password', { mode: 'boolean' })
      .notNull()
      .default(true),
    /** A one-time password stops working after this instant; null for a chosen password. */
    passwordExpiresAt: integer('password_expires_at', { mode: 'timestamp_ms' }),
    passwordChangedAt: integer('password_changed_at', { mode: 'timestamp_ms' }),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
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
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('auth_sessions_user_idx').on(t.userId)],
);

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
