import { addReflection, twoCourses } from '@/db/queries/courses.fixtures';
import { queueCourseRecheck } from '@/db/queries/originality/admin';
import type { MatrixEntry } from '../types';

// 查重: the course's threshold (its organizers, or an admin) and the admin's re-run over a
// course (queue, then process batch by batch).

const ACTIONS = 'app/(organizer)/review/originality/actions.ts';

export const entries: MatrixEntry[] = [
  {
    file: ACTIONS,
    name: 'setThresholdAction',
    roles: ['organizer', 'admin'],
    kind: 'call',
    scope: 'course',
    async setup() {
      const fx = await twoCourses();
      return { actor: fx.a.organizer, input: { courseId: fx.a.courseId, threshold: 40 }, outsiders: [fx.b.organizer] };
    },
  },
  {
    file: ACTIONS,
    name: 'queueRecheckAction',
    roles: ['admin'],
    kind: 'call',
    scope: 'none',
    async setup() {
      const fx = await twoCourses();
      await addReflection(fx.a, fx.a.memberId, 'submitted');
      return { actor: fx.admin, input: { courseId: fx.a.courseId } };
    },
  },
  {
    file: ACTIONS,
    name: 'processRecheckAction',
    roles: ['admin'],
    kind: 'call',
    scope: 'none',
    async setup() {
      const fx = await twoCourses();
      await addReflection(fx.a, fx.a.memberId, 'submitted');
      const queued = await queueCourseRecheck(fx.admin, { courseId: fx.a.courseId });
      if (!queued.ok) throw new Error(queued.message);
      return { actor: fx.admin, input: { courseId: fx.a.courseId } };
    },
  },
];
