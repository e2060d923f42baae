import { twoCourses } from '@/db/queries/courses.fixtures';
import { signedIn } from '@/test/db';
import type { MatrixEntry } from '../types';

// Reading texts (issue 11): an organizer enters a reading's text (a reading a course uses is that
// course's organizers' and admins' to change), reads a file into the form (stores nothing), and
// every user's reader remembers its text size (their own row only).

const TEXT = '第一章　自我革命\n勇于自我革命是我们党最鲜明的品格。\n第二章　全面从严治党\n全面从严治党永远在路上。';

export const entries: MatrixEntry[] = [
  {
    file: 'app/(organizer)/courses/readings/actions.ts',
    name: 'setReadingTextAction',
    roles: ['organizer', 'admin'],
    kind: 'form',
    scope: 'course',
    async setup() {
      const { a, b } = await twoCourses();
      return { actor: a.organizer, input: { id: a.readingId, source: '中央文献出版社', text: TEXT }, outsiders: [b.organizer] };
    },
  },
  {
    file: 'app/(organizer)/courses/readings/actions.ts',
    name: 'readReadingFileAction',
    roles: ['organizer', 'admin'],
    kind: 'submit',
    scope: 'none',
    skip: { fault: 'reads the uploaded file into the form and writes nothing' },
    setup: async () => ({
      actor: await signedIn('organizer'),
      input: { file: new File([TEXT], '原文.txt', { type: 'text/plain' }) },
    }),
  },
  {
    file: 'app/(cadre)/my/reader/actions.ts',
    name: 'setReaderTextSizeAction',
    roles: ['cadre', 'organizer', 'admin'],
    kind: 'call',
    scope: 'none',
    setup: async () => ({ actor: await signedIn('cadre'), input: { size: 2 } }),
  },
];
