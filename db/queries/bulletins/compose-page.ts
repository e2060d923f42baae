import 'server-only';
import { getDb } from '@/db';
import { assertRole } from '@/lib/auth/guard';
import type { Viewer } from '@/lib/auth/viewer-type';
import { draftsFor, type BulletinDraftsDto } from './drafting';
import { candidateFiltersOf, orderKeysOf, type CandidateFiltersDto, type OrderKeyDto } from './list';
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
  return {
    bulletin,
    filters: await candidateFiltersOf(row.courseId),
    orderKeys: await orderKeysOf(row.id, row.courseId),
    drafts: await draftsFor(row.courseId, bulletin.course.name, row.title, ids, bulletin.items.length, bulletin.meetingTitle),
  };
}
