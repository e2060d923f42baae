// The tables, as the code imports them: SQLite's (./sqlite/schema.ts, the default) or their
// PostgreSQL twins (./pg/schema.ts) when DATABASE_URL selects PostgreSQL (db/dialect.ts). The
// twins have the same names and row types (db/pg/schema-parity.test.ts proves it), so queries are
// written once, typed against the SQLite tables; which tables they run on is chosen here, once
// per process, before any query is built.
import { isPostgres } from './dialect';
import * as pg from './pg/schema';
import * as sqlite from './sqlite/schema';

export {
  ROLES,
  WEBHOOK_KINDS,
  REFLECTION_STATUSES,
  NOTIFICATION_KINDS,
  BULLETIN_STATUSES,
  ORIGINALITY_DOC_KINDS,
  type Role,
  type Unit,
  type User,
  type NewUser,
  type AuthSession,
  type AuditRow,
  type WebhookKind,
  type ReflectionStatus,
  type Course,
  type Meeting,
  type Reading,
  type ReadingSection,
  type Assignment,
  type Reflection,
  type ReflectionVersion,
  type Tag,
  type Notification,
  type BulletinStatus,
  type Bulletin,
  type BulletinItem,
  type OriginalityDocKind,
} from './sqlite/schema';

const tables = (isPostgres() ? pg : sqlite) as unknown as typeof sqlite;

export const units = tables.units;
export const users = tables.users;
export const authSessions = tables.authSessions;
export const totpRecoveryCodes = tables.totpRecoveryCodes;
export const settings = tables.settings;
export const loginThrottle = tables.loginThrottle;
export const auditLog = tables.auditLog;
export const courses = tables.courses;
export const courseWebhooks = tables.courseWebhooks;
export const courseOrganizers = tables.courseOrganizers;
export const courseGroups = tables.courseGroups;
export const courseMembers = tables.courseMembers;
export const readings = tables.readings;
export const readingSections = tables.readingSections;
export const meetings = tables.meetings;
export const meetingReadings = tables.meetingReadings;
export const assignments = tables.assignments;
export const assignmentReadings = tables.assignmentReadings;
export const userCounts = tables.userCounts;
export const reflections = tables.reflections;
export const reflectionStateCounts = tables.reflectionStateCounts;
export const reflectionReadings = tables.reflectionReadings;
export const reflectionVersions = tables.reflectionVersions;
export const reflectionQuotes = tables.reflectionQuotes;
export const reflectionComments = tables.reflectionComments;
export const tags = tables.tags;
export const reflectionTags = tables.reflectionTags;
export const commentBank = tables.commentBank;
export const notifications = tables.notifications;
export const bulletins = tables.bulletins;
export const bulletinItems = tables.bulletinItems;
export const bulletinRevisions = tables.bulletinRevisions;
export const wordingRules = tables.wordingRules;
export const originalityDocs = tables.originalityDocs;
export const originalityChecks = tables.originalityChecks;
