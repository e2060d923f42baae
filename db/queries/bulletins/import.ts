import 'server-only';
import { randomBytes } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { DB, Tx } from '@/db';
import { actorOf, writeAudit } from '@/db/audit';
import { mutation } from '@/db/mutation';
import { indexReflection } from '@/db/queries/search-index';
import { assignments, bulletinItems, bulletins, courseMembers, courses, meetings, reflections, reflectionVersions, users } from '@/db/schema';
import { fail } from '@/lib/action-result';
import type { Viewer } from '@/lib/auth/viewer-type';
import { parseBulletin, type ParsedBulletin } from '@/lib/bulletin/parse';
import { countChars } from '@/lib/text/char-count';
import { shanghaiParts } from '@/lib/time';
import { commitImportSchema, importTextSchema } from '@/lib/validation/bulletins';
import { courseRoster, matchSpeakers, memberIds, type ImportMemberDto } from './members';
import { bulletinFieldsOf, managedCourse, numberTaken, suggestNumber } from './shared';

// Importing an old bulletin: 解析 parses the text and matches speakers to the roster; 生成草稿
// writes the draft, with new 学员 and imported reflections if asked, all or nothing.

const UNUSABLE_PASSWORD = '!imported';

export interface ImportPreviewDto {
  parsed: ParsedBulletin;
  /** Per item: the matched member's id, or null. */
  matches: (number | null)[];
  /** Why a match was made or not: '姓名与职务一致', '姓名一致，职务不同', '未匹配', '同名学员有多位'. */
  matchNotes: string[];
  members: ImportMemberDto[];
  assignments: { id: number; title: string; meetingTitle: string }[];
  suggestedNumber: number;
  numberTaken: boolean;
  course: { id: number; name: string; columnName: string; publisher: string };
}

/**
 * The year for a date written without one (5月9日): the course's start, else its latest meeting's,
 * else none (the organizer then fills the date in).
 */
async function courseYear(db: DB | Tx, courseId: number): Promise<number | null> {
  const startsOn = (await db.select({ startsOn: courses.startsOn }).from(courses).where(eq(courses.id, courseId)).get())?.startsOn;
  if (startsOn && /^\d{4}-/u.test(startsOn)) return Number(startsOn.slice(0, 4));
  const meeting = await db
    .select({ startsAt: meetings.startsAt })
    .from(meetings)
    .where(eq(meetings.courseId, courseId))
    .orderBy(desc(meetings.startsAt))
    .limit(1)
    .get();
  return meeting?.startsAt ? shanghaiParts(meeting.startsAt).year : null;
}

async function previewIn(db: DB | Tx, viewer: Viewer, { courseId, text }: { courseId: number; text: string }): Promise<ImportPreviewDto> {
  const course = await managedCourse(db, viewer, courseId);
  const members = await courseRoster(db, courseId);
  const parsed = parseBulletin(text, { knownNames: members.map((m) => m.name), year: await courseYear(db, courseId) });
  const { matches, matchNotes } = matchSpeakers(parsed.items, members);
  const suggested = await suggestNumber(db, courseId);
  const number = parsed.number ?? suggested;
  const taken = !!await db
    .select({ id: bulletins.id })
    .from(bulletins)
    .where(and(eq(bulletins.courseId, courseId), eq(bulletins.number, number)))
    .get();
  const assignmentRows = await db
    .select({ id: assignments.id, title: assignments.title, meetingTitle: meetings.title })
    .from(assignments)
    .innerJoin(meetings, eq(meetings.id, assignments.meetingId))
    .where(eq(assignments.courseId, courseId))
    .orderBy(desc(assignments.dueAt))
    .all();
  return { parsed, matches, matchNotes, members, assignments: assignmentRows, suggestedNumber: suggested, numberTaken: taken, course };
}

/**
 * 解析: parses a pasted or uploaded bulletin and matches its speakers to the course's members. It
 * writes nothing; it goes through the kernel so that its action gets the same role,
 * one-time-password and zod checks as every other.
 */
export const previewBulletinImport = mutation({
  roles: ['organizer', 'admin'],
  schema: importTextSchema,
  async run(tx, { viewer }, input) {
    if (!input.text.trim()) return fail('invalid', '请粘贴简报全文，或上传 .docx / .txt 文件', { text: ['请粘贴简报全文'] });
    const preview = await previewIn(tx, viewer, input);
    if (preview.parsed.items.length === 0) {
      return fail('no_items', '没有识别出发言。请确认每条发言以“职务 姓名”单独成行，或写成“职务  姓名：内容”。');
    }
    return { ok: true as const, preview };
  },
});

/**
 * 生成草稿: the imported bulletin as a draft (imported=true); with 同时导入为学习心得, also the
 * speeches as approved reflections (imported=true) of matched members on the chosen assignment.
 * 新建学员 creates a cadre account that cannot sign in until an admin sets its password. A
 * refusal at any item leaves nothing behind: no account, bulletin or reflection.
 */
export const commitBulletinImport = mutation({
  roles: ['organizer', 'admin'],
  schema: commitImportSchema,
  onUniqueViolation: (input) => numberTaken(input.number),
  async run(tx, { viewer, request }, input) {
    const course = await managedCourse(tx, viewer, input.courseId);
    const taken = await tx
      .select({ id: bulletins.id })
      .from(bulletins)
      .where(and(eq(bulletins.courseId, course.id), eq(bulletins.number, input.number)))
      .get();
    if (taken) return numberTaken(input.number);
    const memberSet = new Set(await memberIds(tx, course.id));
    let assignmentId: number | null = null;
    if (input.importReflections) {
      if (!input.assignmentId) return fail('invalid', '请选择要导入到的心得任务', { assignmentId: ['请选择心得任务'] });
      const a = await tx
        .select({ id: assignments.id })
        .from(assignments)
        .where(and(eq(assignments.id, input.assignmentId), eq(assignments.courseId, course.id)))
        .get();
      if (!a) return fail('invalid', '所选心得任务不属于本读书班', { assignmentId: ['请选择本读书班的心得任务'] });
      assignmentId = a.id;
    }
    const now = new Date();
    const bulletinId = (await tx
      .insert(bulletins)
      .values({
        courseId: course.id,
        ...bulletinFieldsOf(input),
        imported: true,
        createdBy: viewer.id,
      })
      .returning({ id: bulletins.id })
      .get()).id;
    let createdUsers = 0;
    let createdReflections = 0;
    let skippedReflections = 0;
    for (const [position, item] of input.items.entries()) {
      let authorId: number | null = null;
      if (item.match === 'new') {
        if (!item.authorName) return fail('invalid', `第${position + 1}条发言没有姓名，不能新建学员`);
        authorId = (await tx
          .insert(users)
          .values({
            username: `imp${course.id}-${randomBytes(4).toString('hex')}`,
            name: item.authorName,
            title: item.authorTitle,
            role: 'cadre',
            passwordHash: UNUSABLE_PASSWORD,
            mustChangePassword: true,
          })
          .returning({ id: users.id })
          .get()).id;
        await tx.insert(courseMembers).values({ courseId: course.id, userId: authorId }).run();
        memberSet.add(authorId);
        createdUsers += 1;
      } else if (typeof item.match === 'number') {
        if (!memberSet.has(item.match)) return fail('invalid', `第${position + 1}条发言选择的学员不在本读书班`);
        authorId = item.match;
      }
      let reflectionId: number | null = null;
      let sourceRevision: number | null = null;
      if (assignmentId && authorId) {
        const has = await tx
          .select({ id: reflections.id })
          .from(reflections)
          .where(and(eq(reflections.assignmentId, assignmentId), eq(reflections.authorId, authorId)))
          .get();
        if (has) {
          skippedReflections += 1;
        } else {
          const r = await tx
            .insert(reflections)
            .values({
              assignmentId,
              courseId: course.id,
              authorId,
              title: '',
              body: item.body,
              charCount: countChars(item.body),
              status: 'approved',
              versionCount: 1,
              submittedAt: now,
              imported: true,
            })
            .returning({ id: reflections.id, revision: reflections.revision })
            .get();
          await tx.insert(reflectionVersions)
            .values({ reflectionId: r.id, version: 1, title: '', body: item.body, charCount: countChars(item.body), submitKey: `import-${bulletinId}-${position}` })
            .run();
          // Imported reflections are found by search like written ones.
          await indexReflection(tx, r.id);
          reflectionId = r.id;
          sourceRevision = r.revision;
          createdReflections += 1;
        }
      }
      await tx.insert(bulletinItems)
        .values({
          bulletinId,
          position,
          reflectionId,
          authorId,
          heading: item.heading,
          authorName: item.authorName,
          authorTitle: item.authorTitle,
          body: item.body,
          sourceRevision,
        })
        .run();
    }
    await writeAudit(tx, {
      ...actorOf(viewer, request),
      action: 'bulletin.import',
      targetType: 'bulletin',
      targetId: bulletinId,
      detail: { courseId: course.id, number: input.number, items: input.items.length, createdUsers, createdReflections, skippedReflections },
    });
    return { ok: true as const, id: bulletinId, createdUsers, createdReflections, skippedReflections };
  },
});
