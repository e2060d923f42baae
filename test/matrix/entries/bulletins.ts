import { createBulletin, saveBulletin } from '@/db/queries/bulletins/compose';
import { getBulletinForEdit } from '@/db/queries/bulletins/list';
import { publishBulletin } from '@/db/queries/bulletins/publish';
import { addReflection, twoCourses } from '@/db/queries/courses.fixtures';
import { sampleContent } from '@/lib/bulletin/fixtures';
import { toPlainText } from '@/lib/bulletin/format';
import type { MatrixEntry, World } from '../types';

// 简报: every action is a course's, so the outsider is always course B's organizer.

const FILE = 'app/(organizer)/bulletins/actions.ts';
const ORGANIZERS: MatrixEntry['roles'] = ['organizer', 'admin'];

/** Course A with a draft holding one approved reflection; published when asked. */
async function draft({ published = false } = {}) {
  const fx = await twoCourses();
  const reflectionId = await addReflection(fx.a, fx.a.memberId, 'approved');
  const created = await createBulletin(fx.a.organizer, { courseId: fx.a.courseId });
  if (!created.ok) throw new Error(created.message);
  const dto = await getBulletinForEdit(fx.a.organizer, { id: created.id });
  const saved = await saveBulletin(fx.a.organizer, {
    ...fieldsOf(dto),
    items: [{ reflectionId, heading: '街道党工委副书记 甲学员', body: '一是坚持学用结合。' }],
  });
  if (!saved.ok) throw new Error(saved.message);
  if (published) {
    const done = await publishBulletin(fx.a.organizer, { id: created.id, expectedRevision: saved.revision });
    if (!done.ok) throw new Error(done.message);
  }
  return { fx, id: created.id, reflectionId, dto: await getBulletinForEdit(fx.a.organizer, { id: created.id }) };
}

function fieldsOf(dto: Awaited<ReturnType<typeof getBulletinForEdit>>) {
  return {
    id: dto.id,
    expectedRevision: dto.revision,
    number: dto.number,
    title: dto.title,
    editor: dto.editor,
    issuedOn: dto.issuedOn,
    publisher: dto.publisher,
    lead: dto.lead,
    summary: dto.summary,
    transition: dto.transition,
    reportTo: dto.reportTo,
    sendTo: dto.sendTo,
    issueTo: dto.issueTo,
    copies: dto.copies,
    items: dto.items.map((i) => ({ id: i.id, reflectionId: i.reflectionId, heading: i.heading, body: i.body })),
  };
}

function world(fx: Awaited<ReturnType<typeof twoCourses>>, input: Record<string, unknown>): World {
  return { actor: fx.a.organizer, input, outsiders: [fx.b.organizer] };
}

export const entries: MatrixEntry[] = [
  {
    file: FILE,
    name: 'createBulletinAction',
    roles: ORGANIZERS,
    kind: 'form',
    scope: 'course',
    async setup() {
      const fx = await twoCourses();
      return world(fx, { courseId: fx.a.courseId });
    },
  },
  {
    file: FILE,
    name: 'saveBulletinAction',
    roles: ORGANIZERS,
    kind: 'call',
    scope: 'course',
    async setup() {
      const { fx, dto } = await draft();
      return world(fx, { ...fieldsOf(dto), summary: '本期小结。' });
    },
  },
  {
    file: 'app/api/bulletins/save/route.ts',
    name: 'POST',
    roles: ORGANIZERS,
    kind: 'route',
    scope: 'course',
    async setup() {
      const { fx, dto } = await draft();
      return world(fx, { ...fieldsOf(dto), lead: '自动保存的导语。' });
    },
  },
  {
    file: FILE,
    name: 'searchCandidatesAction',
    roles: ORGANIZERS,
    kind: 'call',
    scope: 'course',
    async setup() {
      const fx = await twoCourses();
      await addReflection(fx.a, fx.a.memberId, 'approved');
      return world(fx, { courseId: fx.a.courseId, q: '读书班' });
    },
  },
  {
    file: FILE,
    name: 'publishBulletinAction',
    roles: ORGANIZERS,
    kind: 'form',
    scope: 'course',
    async setup() {
      const { fx, id, dto } = await draft();
      return world(fx, { id, expectedRevision: dto.revision });
    },
  },
  {
    file: FILE,
    name: 'startCorrectionAction',
    roles: ORGANIZERS,
    kind: 'form',
    scope: 'course',
    async setup() {
      const { fx, id } = await draft({ published: true });
      return world(fx, { id });
    },
  },
  {
    file: FILE,
    name: 'unpublishBulletinAction',
    roles: ORGANIZERS,
    kind: 'form',
    scope: 'course',
    async setup() {
      const { fx, id } = await draft({ published: true });
      return world(fx, { id, reason: '内容有误' });
    },
  },
  {
    file: FILE,
    name: 'deleteBulletinAction',
    roles: ORGANIZERS,
    kind: 'form',
    scope: 'course',
    async setup() {
      const { fx, id } = await draft();
      return world(fx, { id });
    },
  },
  {
    file: FILE,
    name: 'previewImportAction',
    roles: ORGANIZERS,
    kind: 'form',
    scope: 'course',
    async setup() {
      const fx = await twoCourses();
      return world(fx, { courseId: fx.a.courseId, text: toPlainText(sampleContent()) });
    },
  },
  {
    file: FILE,
    name: 'commitImportAction',
    roles: ORGANIZERS,
    kind: 'call',
    scope: 'course',
    async setup() {
      const fx = await twoCourses();
      return world(fx, {
        courseId: fx.a.courseId,
        number: 8,
        title: '【甲读书班】2020年甲读书班简报(第8期)',
        editor: '',
        issuedOn: '2021-06-18',
        publisher: '',
        lead: '导语。',
        summary: '',
        transition: '',
        reportTo: '',
        sendTo: '',
        issueTo: '',
        copies: 0,
        importReflections: true,
        assignmentId: fx.a.assignmentId,
        items: [
          { heading: '街道党工委副书记 甲学员', authorName: '甲学员', authorTitle: '街道党工委副书记', body: '第一段。', match: fx.a.memberId },
          { heading: '社区党总支书记 宋佳', authorName: '宋佳', authorTitle: '社区党总支书记', body: '第二段。', match: 'new' },
        ],
      });
    },
  },
];
