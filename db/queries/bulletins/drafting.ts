import 'server-only';
import { and, asc, desc, eq, sql, type SQLWrapper } from 'drizzle-orm';
import { idsValue, inIds } from '@/db/sql-kit';
import { getDb } from '@/db';
import { prepared } from '@/db/queries/reflections/prepared';
import { bulletinItems, meetingReadings, meetings, readings, reflections, reflectionTags, tags } from '@/db/schema';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import { defaultHeadline, DEFAULT_TRANSITION } from '@/lib/bulletin/format';
import { draftLead, draftSummary, frequentThemes } from '@/lib/bulletin/lead';
import { rememberedKeywords } from '@/lib/search/keywords';
import { bulletinMeetingTitle, managedBulletin, managedCourse } from './shared';

// Drafts of a 简报's routine parts, for the compose screen to offer (never to force): a 导语 for
// each meeting of the course, a 小结 from the themes the items share, the default 过渡语 and the
// printed headline. A read: nothing is written until the organizer takes a draft and saves.

export interface MeetingLeadDraft {
  id: number;
  title: string;
  startsAt: Date | null;
  lead: string;
  headline: string;
}

export interface BulletinDraftsDto {
  meetings: MeetingLeadDraft[];
  /** The meeting most items were written for, else the course's latest; null without meetings. */
  defaultMeetingId: number | null;
  /** The themes the summary is drawn from, strongest first. */
  themes: string[];
  summary: string;
  transition: string;
  /** The headline derived when the bulletin has none of its own. */
  headline: string;
}

/**
 * Drafts for one bulletin of a course this viewer manages (notFound() otherwise). The summary
 * reads the bulletin's items' reflections, or the reflections named (the picker's ticked ones
 * before they are saved), limited to approved reflections of the same course.
 */
export async function getBulletinDrafts(viewer: Viewer, { id, reflectionIds }: { id: number; reflectionIds?: number[] }): Promise<BulletinDraftsDto> {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  const row = await managedBulletin(db, viewer, id);
  const course = await managedCourse(db, viewer, row.courseId);
  const items = await prepared('bulletin-drafts:items', (d) =>
    d
      .select({ reflectionId: bulletinItems.reflectionId, body: bulletinItems.body })
      .from(bulletinItems)
      .where(eq(bulletinItems.bulletinId, sql.placeholder('bulletinId')))
      .orderBy(asc(bulletinItems.position))
      .prepare(),
  ).all({ bulletinId: row.id });
  const ids = reflectionIds?.length ? reflectionIds : items.flatMap((i) => (i.reflectionId ? [i.reflectionId] : []));
  return await draftsFor(row.courseId, course.name, row.title, ids, items.length, await bulletinMeetingTitle(db, row.id));
}

function keywordsOf(text: string, userWords: string[]): string[] {
  return rememberedKeywords(text, userWords, 5);
}

export type DraftMeetingRow = { id: number; title: string; startsAt: Date | null; place: string; presider: string; speech: string };

/** The course's meetings, each a 集中学习 and the latest first, with what the lead of a bulletin says of them. */
export async function courseMeetings(courseId: number): Promise<DraftMeetingRow[]> {
  return await prepared('bulletin-drafts:meetings', (db) =>
    db
      .select({ id: meetings.id, title: meetings.title, startsAt: meetings.startsAt, place: meetings.place, presider: meetings.presider, speech: meetings.speech })
      .from(meetings)
      .where(eq(meetings.courseId, sql.placeholder('courseId')))
      .orderBy(desc(meetings.startsAt), desc(meetings.id))
      .prepare(),
  ).all({ courseId });
}

/**
 * The drafts for a bulletin already found in the viewer's reach (its scope checked by the caller):
 * `ids` are the reflections to draw the summary from, `usual` the meeting most items came from.
 */
export async function draftsFor(
  courseId: number,
  courseName: string,
  title: string,
  ids: number[],
  itemCount: number,
  usual: string,
  /** The course's meetings (courseMeetings) and tag names when the caller has read them already. */
  known?: { meetings: DraftMeetingRow[]; tagNames: string[] },
): Promise<BulletinDraftsDto> {
  // Each query is built and prepared once (reflections/prepared.ts); a list of ids is one parameter (inIds).
  const inList = (column: SQLWrapper, name: string) => inIds(column, sql.placeholder(name));
  const bodies = ids.length
    ? await prepared('bulletin-drafts:bodies', (db) =>
        db
          .select({ id: reflections.id, body: reflections.body })
          .from(reflections)
          .where(and(inList(reflections.id, 'ids'), eq(reflections.courseId, sql.placeholder('courseId')), eq(reflections.status, 'approved')))
          .prepare(),
      ).all({ ids: idsValue(ids), courseId })
    : [];
  const tagRows = bodies.length
    ? await prepared('bulletin-drafts:tags', (db) =>
        db
          .select({ reflectionId: reflectionTags.reflectionId, name: tags.name })
          .from(reflectionTags)
          .innerJoin(tags, eq(tags.id, reflectionTags.tagId))
          .where(and(inList(reflectionTags.reflectionId, 'ids'), eq(tags.courseId, sql.placeholder('courseId'))))
          .prepare(),
      ).all({ ids: idsValue(bodies.map((b) => b.id)), courseId })
    : [];
  const courseTags =
    known?.tagNames ??
    (await prepared('bulletin-drafts:course-tags', (db) =>
      db
        .select({ name: tags.name })
        .from(tags)
        .where(eq(tags.courseId, sql.placeholder('courseId')))
        .prepare(),
    ).all({ courseId })).map((t) => t.name);
  const tagsOf = new Map<number, string[]>();
  for (const t of tagRows) tagsOf.set(t.reflectionId, [...(tagsOf.get(t.reflectionId) ?? []), t.name]);
  const themes = frequentThemes(
    bodies.map((b) => ({ tags: tagsOf.get(b.id) ?? [], body: b.body })),
    (text) => keywordsOf(text, courseTags),
  );

  const meetingRows = known?.meetings ?? (await courseMeetings(courseId));
  const readingRows = meetingRows.length
    ? await prepared('bulletin-drafts:readings', (db) =>
        db
          .select({ meetingId: meetingReadings.meetingId, title: readings.title })
          .from(meetingReadings)
          .innerJoin(readings, eq(readings.id, meetingReadings.readingId))
          .where(inList(meetingReadings.meetingId, 'ids'))
          .orderBy(asc(readings.id))
          .prepare(),
      ).all({ ids: idsValue(meetingRows.map((m) => m.id)) })
    : [];
  const speakers = itemCount || bodies.length;
  const drafts: MeetingLeadDraft[] = meetingRows.map((m) => ({
    id: m.id,
    title: m.title,
    startsAt: m.startsAt,
    lead: draftLead({
      courseName,
      title: m.title,
      startsAt: m.startsAt,
      place: m.place,
      presider: m.presider,
      speech: m.speech,
      readings: readingRows.filter((r) => r.meetingId === m.id).map((r) => r.title),
      speakers,
    }),
    headline: defaultHeadline({ meetingTitle: m.title, title, courseName }),
  }));
  const defaultMeeting = drafts.find((d) => d.title === usual) ?? drafts[0] ?? null;
  return {
    meetings: drafts,
    defaultMeetingId: defaultMeeting?.id ?? null,
    themes,
    summary: draftSummary(themes),
    transition: DEFAULT_TRANSITION,
    headline: defaultHeadline({ meetingTitle: usual, title, courseName }),
  };
}
