// Run by e2e/two-servers.spec.ts in a process of its own, with DATABASE_URL naming the rig's
// PostgreSQL (the dialect is chosen once per process, and the spec's own process is on the
// SQLite suite's): a 读书班 run by an organizer, a cadre enrolled, a meeting and an assignment.
// Prints the ids as JSON on its last line.
import '../scripts/server-only-shim.cjs';
import { closeDbAndWait, dialectName } from '@/db';
import { enroll, makeAssignment, makeCourse, makeMeeting, makeUser } from '@/db/factories';
import { hashPassword } from '@/lib/auth/password';

async function main() {
  if (dialectName() !== 'postgres') throw new Error('two-servers-fixtures: DATABASE_URL must name PostgreSQL');
  const password = process.env.FIXTURE_PASSWORD as string;
  const passwordHash = await hashPassword(password);
  const organizerId = await makeUser('organizer', { username: 'rig-organizer', name: '陆组织', title: '区委组织部干部科科长', passwordHash });
  const cadreId = await makeUser('cadre', { username: 'rig-cadre', name: '欧阳学员', title: '江湾社区党委书记', passwordHash });
  const courseId = await makeCourse({
    name: '2026年江湾街道党组织书记读书班',
    columnName: '书记读书班',
    publisher: '中共江湾街道工作委员会',
    startsOn: '2026-11-01',
    organizerIds: [organizerId],
  });
  await enroll(courseId, [cadreId]);
  const meetingId = await makeMeeting(courseId, { title: '第一次集中学习', startsAt: null });
  const assignmentId = await makeAssignment(meetingId, { courseId, title: '第一次集中学习心得' });
  await closeDbAndWait();
  console.log(JSON.stringify({ organizerId, cadreId, courseId, meetingId, assignmentId }));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
