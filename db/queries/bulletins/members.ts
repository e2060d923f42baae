import 'server-only';
import { asc, eq } from 'drizzle-orm';
import type { DB, Tx } from '@/db';
import { courseMembers, users } from '@/db/schema';
import type { ParsedItem } from '@/lib/bulletin/parse';

// A course's members as bulletins need them: whom to notify, and whom an imported speech is by.
// Callers have already checked that the viewer manages the course.

export interface ImportMemberDto {
  id: number;
  name: string;
  title: string;
}

export async function memberIds(tx: DB | Tx, courseId: number): Promise<number[]> {
  return (await tx.select({ id: courseMembers.userId }).from(courseMembers).where(eq(courseMembers.courseId, courseId)).all()).map((r) => r.id);
}

/** The course's members by name, for the import's speaker picker. */
export async function courseRoster(tx: DB | Tx, courseId: number): Promise<ImportMemberDto[]> {
  return await tx
    .select({ id: users.id, name: users.name, title: users.title })
    .from(courseMembers)
    .innerJoin(users, eq(users.id, courseMembers.userId))
    .where(eq(courseMembers.courseId, courseId))
    .orderBy(asc(users.name))
    .all();
}

function normalizeTitle(t: string): string {
  return t.replace(/[\s\u3000、,,]/gu, '');
}

/**
 * Each speaker's member, when one can be told apart: the same name and 职务 first, then the only
 * member of that name. The note says why ('姓名与职务一致', '未匹配', '同名学员有多位，请选择' …).
 */
export function matchSpeakers(
  items: readonly Pick<ParsedItem, 'authorName' | 'authorTitle'>[],
  members: readonly ImportMemberDto[],
): { matches: (number | null)[]; matchNotes: string[] } {
  const matches: (number | null)[] = [];
  const matchNotes: string[] = [];
  for (const item of items) {
    const byName = members.filter((m) => m.name === item.authorName);
    const exact = byName.filter((m) => item.authorTitle && normalizeTitle(m.title) === normalizeTitle(item.authorTitle));
    if (exact.length === 1) {
      matches.push((exact[0] as ImportMemberDto).id);
      matchNotes.push('姓名与职务一致');
    } else if (byName.length === 1) {
      matches.push((byName[0] as ImportMemberDto).id);
      matchNotes.push(item.authorTitle ? '姓名一致，职务不同' : '姓名一致');
    } else {
      matches.push(null);
      matchNotes.push(byName.length > 1 ? '同名学员有多位，请选择' : '未匹配');
    }
  }
  return { matches, matchNotes };
}
