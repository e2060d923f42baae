import { createHash } from 'node:crypto';
import type { Role } from '@/db/schema';
import { usernameSchema } from '@/lib/validation/users';
import { FIELD_LABELS, type Field, type RosterRecord, type RosterTable } from './table';

// What importing a roster would do, worked out from the file and a snapshot of the database and
// nothing else: the same function gives the preview and, inside the commit's transaction, the
// changes that are written. Blank cells leave what is stored alone (a roster from another office
// often lacks a column or two); only 账号 and 姓名 are required.

export const ROLE_NAMES: Record<Role, string> = { admin: '管理员', organizer: '组织者', cadre: '学员', auditor: '审计员' };

const ROLE_WORDS = new Map<string, Role>([
  ['学员', 'cadre'],
  ['cadre', 'cadre'],
  ['组织者', 'organizer'],
  ['organizer', 'organizer'],
  ['管理员', 'admin'],
  ['admin', 'admin'],
]);

export interface SnapshotUser {
  id: number;
  username: string;
  name: string;
  title: string;
  unitId: number | null;
  role: Role;
  phone: string | null;
  active: boolean;
}

export interface RosterSnapshot {
  users: Map<string, SnapshotUser>;
  units: { id: number; name: string; parentId: number | null }[];
  courses: { id: number; name: string; archived: boolean }[];
  groups: { id: number; courseId: number; name: string; leaderId: number | null }[];
  /** `${courseId}:${userId}` → the member's group id */
  members: Map<string, number | null>;
  /** `${courseId}:${userId}` of each course organizer */
  organizers: Set<string>;
}

export interface PlanOptions {
  allowCreateUnits: boolean;
  /** The admin importing: they cannot change their own role. */
  viewerId: number;
  maxUnitDepth: number;
}

export interface Enrollment {
  /** null: a 读书班 this import creates (found by name when written). */
  courseId: number | null;
  courseName: string;
  /** null with a groupName: a 小组 this import creates. */
  groupId: number | null;
  groupName: string | null;
  as: 'member' | 'organizer';
  /** This member becomes the leader (组长) of the group. */
  leads: boolean;
}

/** A 读书班 the file names that does not exist yet. */
export interface PlannedCourse {
  name: string;
  columnName: string;
  publisher: string;
  /** The first row naming it. */
  row: number;
}

/** A 小组 the file names that does not exist yet (in an existing or a new 读书班). */
export interface PlannedGroup {
  courseName: string;
  name: string;
  /** 账号 of its leader from the file, if a row marks one. */
  leader: string | null;
}

export interface PlannedAdd {
  row: number;
  username: string;
  name: string;
  title: string;
  /** Full path from the root, of an existing unit or one to be created; null for none. */
  unitPath: string | null;
  role: Role;
  phone: string | null;
  enroll: Enrollment | null;
}

export interface FieldChange {
  field: Field;
  label: string;
  from: string;
  to: string;
}

export interface PlannedChange {
  row: number;
  userId: number;
  username: string;
  name: string;
  changes: FieldChange[];
  set: { name?: string; title?: string; unitPath?: string; role?: Role; phone?: string };
  enroll: Enrollment | null;
}

export interface PlannedSame {
  row: number;
  username: string;
  name: string;
}

export interface RowError {
  row: number;
  /** The column's header (账号, 姓名 …), or '' for the row as a whole. */
  column: string;
  message: string;
}

export interface RosterPlan {
  rows: number;
  add: PlannedAdd[];
  change: PlannedChange[];
  unchanged: PlannedSame[];
  errors: RowError[];
  /** Units the import creates, parents before children. */
  unitsToCreate: string[];
  coursesToCreate: PlannedCourse[];
  groupsToCreate: PlannedGroup[];
  notes: string[];
  /** Changes only when what would be written changes: preview and commit compare it. */
  digest: string;
}

const NOTES_MAX = 20;

/**
 * Runs of spaces (full-width too) as one, trimmed. Not NFKC: that would turn the full-width
 * （兼） and ： of a 职务 into ASCII, and 职务 is printed in bulletins as written.
 */
export function cleanText(s: string): string {
  return s.replace(/\s+/gu, ' ').trim();
}

const clean = cleanText;

/** 138 1234 5678, 138-1234-5678, +86 13812345678 → 13812345678; null when it is not a mobile number. */
export function normalizePhone(raw: string): string | null {
  let s = raw.normalize('NFKC').replace(/[\s\-—()]/gu, '');
  if (/^\+?86\d{11}$/u.test(s)) s = s.replace(/^\+?86/u, '');
  return /^1[3-9]\d{9}$/u.test(s) ? s : null;
}

export function parseRole(raw: string): Role | null {
  return ROLE_WORDS.get(clean(raw.normalize('NFKC')).toLowerCase()) ?? null;
}

/** 樊城区/牛首镇, 樊城区／牛首镇 and ' 樊城区 / 牛首镇 ' are the same path. */
export function unitSegments(raw: string): string[] {
  return raw
    .split(/[/／\\]/u)
    .map(clean)
    .filter(Boolean);
}

interface ValidRecord {
  row: number;
  username: string;
  name: string;
  title: string | null;
  unit: string[] | null;
  role: Role | null;
  phone: string | null;
  course: string | null;
  group: string | null;
  leads: boolean;
  columnName: string | null;
  publisher: string | null;
}

const LEADER_YES = new Set(['是', '√', '✓', '✔', 'y', 'yes', '1', 'true', '组长']);
const LEADER_NO = new Set(['否', '×', 'n', 'no', '0', 'false', '-', '—']);

/**
 * Every problem of a row is listed, so one round of fixing the sheet is enough: the record comes
 * back with what could be read (a bad cell as null) and `bad` set when this row has errors.
 */
function validate(rec: RosterRecord, errors: RowError[]): ValidRecord & { bad: boolean } {
  const v = rec.values;
  const err = (field: Field, message: string) => errors.push({ row: rec.row, column: FIELD_LABELS[field], message });
  const before = errors.length;

  let username = '';
  if (!v.username) err('username', '缺少账号');
  else {
    const parsed = usernameSchema.safeParse(v.username.normalize('NFKC'));
    if (parsed.success) username = parsed.data;
    else err('username', parsed.error.issues[0]?.message ?? '账号格式不正确');
  }
  const name = clean(v.name);
  if (!name) err('name', '缺少姓名');
  else if ([...name].length > 40) err('name', '姓名最多 40 个字');

  const title = clean(v.title);
  if ([...title].length > 200) err('title', '职务最多 200 个字');

  let unit: string[] | null = null;
  if (v.unit) {
    unit = unitSegments(v.unit);
    if (unit.length === 0) unit = null;
    else if (unit.some((s) => [...s].length > 60)) err('unit', '单位名称每级最多 60 个字');
  }

  let role: Role | null = null;
  if (v.role) {
    role = parseRole(v.role);
    if (!role) err('role', `角色“${clean(v.role)}”无法识别，应为 学员、组织者 或 管理员`);
  }

  let phone: string | null = null;
  if (v.phone) {
    phone = normalizePhone(v.phone);
    if (!phone) err('phone', `手机号“${clean(v.phone)}”格式不正确，应为 11 位手机号`);
  }

  const course = clean(v.course) || null;
  if (course && [...course].length > 100) err('course', '读书班名称最多 100 个字');
  const group = clean(v.group) || null;
  if (group && !course) err('group', '填写了小组，但没有填写读书班');
  else if (group && [...group].length > 30) err('group', '小组名称最多 30 个字');

  let leads = false;
  const leaderWord = clean(v.leader.normalize('NFKC')).toLowerCase();
  if (leaderWord) {
    if (LEADER_YES.has(leaderWord)) leads = true;
    else if (!LEADER_NO.has(leaderWord)) err('leader', `组长一栏“${clean(v.leader)}”无法识别，组长填“是”，其他人留空`);
    if (leads && !group) err('leader', '标为组长，但没有填写小组');
  }
  const columnName = clean(v.columnName) || null;
  if (columnName && [...columnName].length > 30) err('columnName', '栏目最多 30 个字');
  const publisher = clean(v.publisher) || null;
  if (publisher && [...publisher].length > 100) err('publisher', '编印单位最多 100 个字');

  return {
    row: rec.row,
    username,
    name,
    title: title || null,
    unit,
    role,
    phone,
    course,
    group,
    leads,
    columnName,
    publisher,
    bad: errors.length > before,
  };
}

/** Every unit's full path (樊城区/牛首镇) → its id. */
export function unitPathIndex(units: RosterSnapshot['units']): Map<string, number> {
  const byId = new Map(units.map((u) => [u.id, u]));
  const out = new Map<string, number>();
  for (const u of units) {
    const names: string[] = [];
    let cur: (typeof units)[number] | undefined = u;
    for (let guard = 0; cur && guard < 64; guard++) {
      names.unshift(cur.name);
      cur = cur.parentId === null ? undefined : byId.get(cur.parentId);
    }
    out.set(names.join('/'), u.id);
  }
  return out;
}

/** Finds units by path, and plans the ones to create when the admin allows it. */
class UnitResolver {
  private pathById = new Map<number, string>();
  private idByPath = new Map<string, number>();
  private cache = new Map<string, { path: string } | { error: string }>();
  readonly toCreate: string[] = [];
  private planned = new Set<string>();

  constructor(
    units: RosterSnapshot['units'],
    private allowCreate: boolean,
    private maxDepth: number,
  ) {
    for (const [path, id] of unitPathIndex(units)) {
      this.pathById.set(id, path);
      this.idByPath.set(path, id);
    }
  }

  pathOf(id: number | null): string {
    return id === null ? '' : (this.pathById.get(id) ?? '');
  }

  idOf(path: string): number | undefined {
    return this.idByPath.get(path);
  }

  /** An existing or planned unit at exactly this path, or the only one whose path ends with it. */
  private find(path: string): { path: string } | { error: string } | null {
    if (this.idByPath.has(path) || this.planned.has(path)) return { path };
    const matches: string[] = [];
    for (const p of this.idByPath.keys()) if (p.endsWith(`/${path}`)) matches.push(p);
    if (matches.length === 1) return { path: matches[0] as string };
    if (matches.length > 1) {
      const shown = matches.slice(0, 3).join('、') + (matches.length > 3 ? ' 等' : '');
      return { error: `单位“${path}”不止一个（${shown}），请写出完整路径` };
    }
    return null;
  }

  resolve(segments: string[]): { path: string } | { error: string } {
    const key = segments.join('/');
    const cached = this.cache.get(key);
    if (cached) return cached;
    const result = this.resolveUncached(segments);
    this.cache.set(key, result);
    return result;
  }

  private resolveUncached(segments: string[]): { path: string } | { error: string } {
    const key = segments.join('/');
    const found = this.find(key);
    if (found) return found;
    if (!this.allowCreate) {
      return { error: `单位“${key}”不存在；如需自动新建，请勾选“允许新建不存在的单位”` };
    }
    // The longest leading part that exists is where the new units go.
    let base = '';
    let k = segments.length - 1;
    for (; k > 0; k--) {
      const prefix = this.find(segments.slice(0, k).join('/'));
      if (prefix && 'error' in prefix) return prefix;
      if (prefix) {
        base = prefix.path;
        break;
      }
    }
    const full = [base, ...segments.slice(Math.max(k, 0))].filter(Boolean).join('/');
    if (full.split('/').length > this.maxDepth) return { error: `单位最多 ${this.maxDepth} 级` };
    let path = base;
    for (const seg of segments.slice(Math.max(k, 0))) {
      path = path ? `${path}/${seg}` : seg;
      if (!this.idByPath.has(path) && !this.planned.has(path)) {
        this.planned.add(path);
        this.toCreate.push(path);
      }
    }
    return { path: full };
  }
}

function describeEnrollment(e: Enrollment): string {
  if (e.as === 'organizer') return `${e.courseName}（组织者）`;
  if (!e.groupName) return e.courseName;
  return `${e.courseName} / ${e.groupName}${e.leads ? '（组长）' : ''}`;
}

/**
 * The preview and the commit's plan. Pure: the same table, snapshot and options give the same
 * plan (and digest). Every row is checked in full, whatever else is wrong with it, so that the
 * preview lists every problem of the file at once.
 */
export function planRoster(table: RosterTable, snapshot: RosterSnapshot, options: PlanOptions): RosterPlan {
  const errors: RowError[] = [];
  const notes: string[] = [];
  let noteOverflow = 0;
  const note = (s: string) => {
    if (notes.length < NOTES_MAX) notes.push(s);
    else noteOverflow += 1;
  };

  const records: (ValidRecord & { bad: boolean })[] = [];
  const firstRowOf = new Map<string, number>();
  for (const rec of table.records) {
    for (const f of rec.formulaFields) {
      note(`第 ${rec.row} 行“${FIELD_LABELS[f]}”是公式，已按其显示的值“${rec.values[f]}”作为文本读取`);
    }
    const before = errors.length;
    const v = validate(rec, errors);
    // A repeated 账号 is an error beside the row's other problems, so that all show at once.
    const username = v.username || rec.values.username.normalize('NFKC').trim().toLowerCase();
    if (username) {
      const first = firstRowOf.get(username);
      if (first !== undefined) {
        errors.splice(before, 0, { row: rec.row, column: FIELD_LABELS.username, message: `账号“${username}”与第 ${first} 行重复` });
        v.bad = true;
      } else firstRowOf.set(username, rec.row);
    }
    records.push(v);
  }

  const units = new UnitResolver(snapshot.units, options.allowCreateUnits, options.maxUnitDepth);
  const coursesByName = new Map<string, RosterSnapshot['courses']>();
  for (const c of snapshot.courses) {
    const key = clean(c.name);
    coursesByName.set(key, [...(coursesByName.get(key) ?? []), c]);
  }
  const groupsByCourse = new Map<number, RosterSnapshot['groups']>();
  for (const g of snapshot.groups) groupsByCourse.set(g.courseId, [...(groupsByCourse.get(g.courseId) ?? []), g]);
  const groupName = new Map(snapshot.groups.map((g) => [g.id, g.name]));
  const nameOfUser = new Map<number, string>();
  for (const u of snapshot.users.values()) nameOfUser.set(u.id, u.name);

  // 读书班 and 小组 the file names that do not exist yet: planned once, at their first row.
  const newCourses = new Map<string, PlannedCourse>();
  const newGroups = new Map<string, PlannedGroup>();
  /** `${courseName}\u0000${groupName}` → the row that marks its leader */
  const leaderRowOf = new Map<string, number>();

  const add: PlannedAdd[] = [];
  const change: PlannedChange[] = [];
  const unchanged: PlannedSame[] = [];

  for (const r of records) {
    const rowErrors: RowError[] = [];
    const err = (field: Field | '', message: string) =>
      rowErrors.push({ row: r.row, column: field ? FIELD_LABELS[field] : '', message });
    const existing = r.username ? snapshot.users.get(r.username) : undefined;

    let unitPath: string | null = null;
    if (r.unit) {
      const u = units.resolve(r.unit);
      if ('error' in u) err('unit', u.error);
      else unitPath = u.path;
    }

    const role: Role = r.role ?? existing?.role ?? 'cadre';
    if (existing && r.role && r.role !== existing.role && existing.id === options.viewerId) {
      err('role', '不能修改自己的角色');
    }

    let enroll: Enrollment | null = null;
    if (r.course) {
      const candidates = coursesByName.get(r.course) ?? [];
      const open = candidates.filter((c) => !c.archived);
      let course: { id: number | null; name: string } | null = null;
      if (open.length === 0 && candidates.length > 0) {
        err('course', `读书班“${r.course}”已归档，不能再加入`);
      } else if (open.length > 1) {
        err('course', `有 ${open.length} 个名为“${r.course}”的读书班，无法确定是哪一个`);
      } else if (open.length === 1) {
        const c = open[0] as RosterSnapshot['courses'][number];
        course = { id: c.id, name: c.name };
      } else {
        const planned = newCourses.get(r.course);
        if (!planned) {
          newCourses.set(r.course, { name: r.course, columnName: r.columnName ?? '', publisher: r.publisher ?? '', row: r.row });
        } else {
          // The first row that gives 栏目 / 编印单位 sets them; a later row may not say otherwise.
          if (r.columnName) {
            if (!planned.columnName) planned.columnName = r.columnName;
            else if (planned.columnName !== r.columnName) err('columnName', `栏目与前面的行不同（前面是“${planned.columnName}”）`);
          }
          if (r.publisher) {
            if (!planned.publisher) planned.publisher = r.publisher;
            else if (planned.publisher !== r.publisher) err('publisher', `编印单位与前面的行不同（前面是“${planned.publisher}”）`);
          }
        }
        course = { id: null, name: r.course };
      }

      if (course) {
        if (role === 'admin') err('course', '管理员不能加入读书班');
        else if (role === 'organizer') {
          if (r.group) err('group', '组织者不分小组，请留空');
          else if (r.leads) err('leader', '组织者不能担任组长');
          else enroll = { courseId: course.id, courseName: course.name, groupId: null, groupName: null, as: 'organizer', leads: false };
        } else {
          let groupId: number | null = null;
          let groupLabel: string | null = null;
          if (r.group) {
            const found = course.id === null ? undefined : (groupsByCourse.get(course.id) ?? []).find((g) => clean(g.name) === r.group);
            if (found) {
              groupId = found.id;
              groupLabel = found.name;
            } else {
              const key = `${course.name}\u0000${r.group}`;
              if (!newGroups.has(key)) newGroups.set(key, { courseName: course.name, name: r.group, leader: null });
              groupLabel = r.group;
            }
            if (r.leads) {
              const key = `${course.name}\u0000${r.group}`;
              const first = leaderRowOf.get(key);
              if (first !== undefined) err('leader', `小组“${r.group}”的组长已在第 ${first} 行填写，每组只能有一位组长`);
              else leaderRowOf.set(key, r.row);
            }
          }
          enroll = { courseId: course.id, courseName: course.name, groupId, groupName: groupLabel, as: 'member', leads: r.leads };
        }
        if (existing && !existing.active && enroll) err('course', '账号已停用，不能加入读书班');
      }
    }

    if (r.bad || !r.username) {
      errors.push(...rowErrors);
      continue;
    }

    if (!existing) {
      if (rowErrors.length === 0) {
        add.push({
          row: r.row,
          username: r.username,
          name: r.name,
          title: r.title ?? '',
          unitPath,
          role,
          phone: r.phone,
          enroll,
        });
        if (enroll?.leads && enroll.groupId === null) {
          const g = newGroups.get(`${enroll.courseName}\u0000${enroll.groupName ?? ''}`);
          if (g) g.leader = r.username;
        }
      }
      errors.push(...rowErrors);
      continue;
    }

    const changes: FieldChange[] = [];
    const set: PlannedChange['set'] = {};
    if (r.name !== existing.name) {
      changes.push({ field: 'name', label: FIELD_LABELS.name, from: existing.name, to: r.name });
      set.name = r.name;
    }
    if (r.title !== null && r.title !== existing.title) {
      changes.push({ field: 'title', label: FIELD_LABELS.title, from: existing.title, to: r.title });
      set.title = r.title;
    }
    if (unitPath !== null && unitPath !== units.pathOf(existing.unitId)) {
      changes.push({ field: 'unit', label: FIELD_LABELS.unit, from: units.pathOf(existing.unitId), to: unitPath });
      set.unitPath = unitPath;
    }
    if (r.role && r.role !== existing.role) {
      changes.push({ field: 'role', label: FIELD_LABELS.role, from: ROLE_NAMES[existing.role], to: ROLE_NAMES[r.role] });
      set.role = r.role;
    }
    if (r.phone !== null && r.phone !== existing.phone) {
      changes.push({ field: 'phone', label: FIELD_LABELS.phone, from: existing.phone ?? '', to: r.phone });
      set.phone = r.phone;
    }
    let enrollChange: Enrollment | null = null;
    if (enroll) {
      const key = enroll.courseId === null ? null : `${enroll.courseId}:${existing.id}`;
      if (enroll.as === 'organizer') {
        if (key === null || !snapshot.organizers.has(key)) {
          changes.push({ field: 'course', label: FIELD_LABELS.course, from: '', to: describeEnrollment(enroll) });
          enrollChange = enroll;
        }
      } else if (key === null || !snapshot.members.has(key)) {
        changes.push({ field: 'course', label: FIELD_LABELS.course, from: '', to: describeEnrollment(enroll) });
        enrollChange = enroll;
      } else {
        const current = snapshot.members.get(key) ?? null;
        const moves = enroll.groupName !== null && (enroll.groupId === null || enroll.groupId !== current);
        const currentGroup = current === null ? undefined : snapshot.groups.find((g) => g.id === current);
        if (moves) {
          if (currentGroup?.leaderId === existing.id) {
            err('group', `此人是小组“${groupName.get(current as number) ?? ''}”的组长，请先在读书班页面更换组长`);
          } else {
            changes.push({
              field: 'group',
              label: FIELD_LABELS.group,
              from: current === null ? '' : (groupName.get(current) ?? ''),
              to: enroll.groupName ?? '',
            });
            enrollChange = enroll;
          }
        }
        if (enroll.leads && (moves || currentGroup?.leaderId !== existing.id)) {
          const target = enroll.groupId === null ? undefined : snapshot.groups.find((g) => g.id === enroll.groupId);
          const before = target?.leaderId ? (nameOfUser.get(target.leaderId) ?? '') : '';
          changes.push({ field: 'leader', label: FIELD_LABELS.leader, from: before, to: `${enroll.groupName ?? ''}组长` });
          enrollChange = enroll;
        }
      }
    }
    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      continue;
    }
    if (enrollChange?.leads && enrollChange.groupId === null) {
      const g = newGroups.get(`${enrollChange.courseName}\u0000${enrollChange.groupName ?? ''}`);
      if (g) g.leader = r.username;
    }
    if (!existing.active && changes.length > 0) note(`第 ${r.row} 行的账号 ${existing.username} 已停用，导入只修改资料，不会启用它`);
    if (changes.length === 0) unchanged.push({ row: r.row, username: r.username, name: r.name });
    else change.push({ row: r.row, userId: existing.id, username: r.username, name: r.name, changes, set, enroll: enrollChange });
  }

  if (noteOverflow > 0) notes.push(`另有 ${noteOverflow} 条提示未列出`);
  errors.sort((a, b) => a.row - b.row);
  // Units, 读书班 and 小组 that only rows with errors would have needed are not created.
  const needed = new Set<string>();
  for (const p of [...add.map((a) => a.unitPath), ...change.map((c) => c.set.unitPath)]) {
    for (let cur = p ?? ''; cur; cur = cur.includes('/') ? cur.slice(0, cur.lastIndexOf('/')) : '') needed.add(cur);
  }
  const unitsToCreate = units.toCreate.filter((p) => needed.has(p));
  const enrollments = [...add.map((a) => a.enroll), ...change.map((c) => c.enroll)].filter((e): e is Enrollment => e !== null);
  const coursesUsed = new Set(enrollments.filter((e) => e.courseId === null).map((e) => e.courseName));
  const groupsUsed = new Set(enrollments.filter((e) => e.groupId === null && e.groupName).map((e) => `${e.courseName}\u0000${e.groupName ?? ''}`));
  const coursesToCreate = [...newCourses.values()].filter((c) => coursesUsed.has(c.name));
  const groupsToCreate = [...newGroups.entries()].filter(([k]) => groupsUsed.has(k)).map(([, g]) => g);

  const digest = createHash('sha256')
    .update(
      JSON.stringify({
        add,
        change: change.map(({ row, userId, set, enroll: e }) => ({ row, userId, set, e })),
        unitsToCreate,
        coursesToCreate,
        groupsToCreate,
        errors: errors.length,
      }),
    )
    .digest('hex');
  return { rows: table.records.length, add, change, unchanged, errors, unitsToCreate, coursesToCreate, groupsToCreate, notes, digest };
}
