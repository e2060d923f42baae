import 'server-only';
import { getDb } from '@/db';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import { courseMeetings, draftsFor, type BulletinDraftsDto } from './drafting';
import { candidateTagsOf, orderKeysOf, type CandidateFiltersDto, type OrderKeyDto } from './list';
import { editDto, managedBulletin, type BulletinEditDto } from './shared';

export interface ComposePageDto {
  bulletin: BulletinEditDto;
  filters: CandidateFiltersDto;
  orderKeys: Record<number, OrderKeyDto>;
  drafts: BulletinDraftsDto;
}

/**
 * Everything the compose page reads (getBulletinForEdit, listCandidateFilters, listItemOrderKeys
 * and getBulletinDrafts, which it equals), with the bulletin found in the viewer's reach once:
 * each of those alone checks the scope again and reads the items and their meeting again.
 * Another course's bulletin, or a missing one, is notFound().
 */
export async function getComposePage(viewer: Viewer, { id }: { id: number }): Promise<ComposePageDto> {
  assertRole(viewer, 'organizer', 'admin');
  const db = getDb();
  const row = await managedBulletin(db, viewer, id);
  const bulletin = await editDto(db, row);
  const ids = bulletin.items.flatMap((i) => (i.reflectionId ? [i.reflectionId] : []));
  // The course's meetings and tags once, for both the picker's filters and the drafts: the
  // filters list the meetings earliest first, the exact reverse of the drafts' order (ties by id
  // both ways; SQLite and PostgreSQL each put empty dates at opposite ends of asc and desc).
  const meetingRows = await courseMeetings(row.courseId);
  const tags = await candidateTagsOf(row.courseId);
  const filters: CandidateFiltersDto = { meetings: meetingRows.map(({ id: mid, title }) => ({ id: mid, title })).reverse(), tags };
  return {
    bulletin,
    filters,
    orderKeys: await orderKeysOf(row.id, row.courseId),
    drafts: await draftsFor(row.courseId, bulletin.course.name, row.title, ids, bulletin.items.length, bulletin.meetingTitle, {
      meetings: meetingRows,
      tagNames: tags.map((t) => t.name),
    }),
  };
}
