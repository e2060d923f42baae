import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db';
import { addOrganizer, enroll, makeAssignment, makeBulletin, makeCourse, makeMeeting, makeReading, makeReadingText, makeReflection, makeUser, viewerFor } from '@/db/factories';
import { publishBulletin } from '@/db/queries/bulletins/publish';
import { bulletins } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import { useTestDatabase } from '@/test/db';
import { eq } from 'drizzle-orm';
import { NextRequest } from 'next/server';
import { EXEMPT, PRINCIPALS, TABLE, type Answer } from './table';

// The authorization matrix of pages and route handlers: every page.tsx and route.ts under app/,
// for each of eight principals, called directly with the principal as the request's viewer, and
// the answer compared with test/access/table.ts. A file without a row fails, and so does a row
// without a file. Server actions and the writes of route handlers have their own matrix
// (test/matrix): this one is about who may open what.

const auth = vi.hoisted(() => ({ viewer: null as unknown }));

vi.mock('@/lib/auth/viewer', async () => {
  const nav = await import('next/navigation');
  const current = () => Promise.resolve(auth.viewer as Viewer | null);
  return {
    currentViewer: current,
    requireUser: async (opts: { allowPasswordChange?: boolean } = {}): Promise<Viewer> => {
      const v = await current();
      if (!v) return nav.redirect('/login');
      if (v.mustChangePassword && !opts.allowPasswordChange) nav.redirect('/change-password');
      return v;
    },
    requireRole: async (...roles: Viewer['role'][]): Promise<Viewer> => {
      const v = await current();
      if (!v) return nav.redirect('/login');
      if (v.mustChangePassword) nav.redirect('/change-password');
      if (!roles.includes(v.role)) nav.forbidden();
      return v;
    },
  };
});
vi.mock('next/cache', () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined, updateTag: () => undefined, refresh: () => undefined }));
vi.mock('next/headers', () => ({
  headers: () => Promise.resolve(new Headers({ host: 'xuesi.example', 'user-agent': 'access-matrix' })),
  cookies: () => Promise.resolve({ get: () => undefined, set: () => undefined, delete: () => undefined, has: () => false, getAll: () => [] }),
}));

const ROOT = path.resolve(import.meta.dirname, '../..');
const APP = path.join(ROOT, 'app');
const ORIGIN = 'http://xuesi.example';
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

const files = fs
  .readdirSync(APP, { recursive: true, encoding: 'utf8' })
  .filter((p) => /(^|\/)(page\.tsx|route\.ts)$/u.test(p))
  .sort();

const modules = new Map<string, Record<string, unknown>>();
for (const f of files) modules.set(f, (await import(/* @vite-ignore */ path.join(APP, f))) as Record<string, unknown>);

/** Every cell key: pages by file, route handlers by file#METHOD. */
function exposed(): string[] {
  const out: string[] = [];
  for (const [f, mod] of modules) {
    if (f.endsWith('page.tsx')) out.push(f);
    else for (const m of METHODS) if (typeof mod[m] === 'function') out.push(`${f}#${m}`);
  }
  return out.filter((k) => !(k in EXEMPT));
}

type World = { viewers: Record<(typeof PRINCIPALS)[number], Viewer | null>; params: Record<string, string> };

/**
 * Course A (organizer, cadre with a handed-in reflection, a published bulletin); course B with
 * its own organizer and cadre; an admin, an auditor, and a cadre of course A who must still
 * change a one-time password.
 */
async function world(): Promise<World> {
  const organizer = await viewerFor(await makeUser('organizer', { mustChangePassword: false }));
  const otherOrganizer = await viewerFor(await makeUser('organizer', { mustChangePassword: false }));
  const cadre = await viewerFor(await makeUser('cadre', { mustChangePassword: false }));
  const otherCadre = await viewerFor(await makeUser('cadre', { mustChangePassword: false }));
  const mustChangeId = await makeUser('cadre', { mustChangePassword: true });
  const courseA = await makeCourse({ organizerIds: [organizer.id] });
  const courseB = await makeCourse({ name: '另一个读书班' });
  await addOrganizer(courseB, otherOrganizer.id);
  await enroll(courseA, [cadre.id, mustChangeId]);
  await enroll(courseB, [otherCadre.id]);
  const meeting = await makeMeeting(courseA);
  const reading = await makeReading('《论党的自我革命》');
  await makeReadingText(reading, ['勇于自我革命是我们党最鲜明的品格。']);
  const assignment = await makeAssignment(meeting, { readingIds: [reading] });
  const reflection = await makeReflection({ assignmentId: assignment, authorId: cadre.id, status: 'approved', title: '学习心得' });
  const bulletin = await makeBulletin(courseA, { reflectionIds: [reflection] });
  const revision = (await getDb().select({ r: bulletins.revision }).from(bulletins).where(eq(bulletins.id, bulletin)).get())?.r ?? 0;
  const published = await publishBulletin(organizer, { id: bulletin, expectedRevision: revision }, { ip: '10.0.0.1', userAgent: 'matrix' });
  if (!published.ok) throw new Error(`publish: ${published.message}`);
  return {
    viewers: {
      anonymous: null,
      cadre,
      otherCadre,
      organizer,
      otherOrganizer,
      admin: await viewerFor(await makeUser('admin', { mustChangePassword: false })),
      auditor: await viewerFor(await makeUser('auditor', { mustChangePassword: false })),
      mustChange: await viewerFor(mustChangeId),
    },
    params: {
      id: String(bulletin),
      assignmentId: String(assignment),
      version: '1',
      meetingId: String(meeting),
      reflectionId: String(reflection),
      token: 'x'.repeat(32),
      nextauth: 'session',
      // Set per file below where [id] means something else.
      courseId: String(courseA),
      userId: String(cadre.id),
      readingId: String(reading),
    },
  };
}

/** The params a file's dynamic segments take in this world. */
function paramsFor(file: string, w: World): Record<string, unknown> {
  const names = [...file.matchAll(/\[(?:\.\.\.)?(\w+)\]/gu)].map((m) => m[1] as string);
  const out: Record<string, unknown> = {};
  for (const n of names) {
    if (n === 'id' && file.includes('courses/readings/')) out.id = w.params.readingId;
    else if (n === 'id' && file.includes('courses/')) out.id = w.params.courseId;
    else if (n === 'id' && file.includes('admin/users/')) out.id = w.params.userId;
    else if (n === 'nextauth') out.nextauth = ['session'];
    else out[n] = w.params[n];
  }
  return out;
}

function urlFor(file: string, params: Record<string, unknown>): string {
  const route = file
    .replace(/\/(page\.tsx|route\.ts)$/u, '')
    .replace(/\([^)]*\)\/?/gu, '')
    .replace(/\[(?:\.\.\.)?(\w+)\]/gu, (_, n: string) => String(params[n]));
  return `${ORIGIN}/${route}`;
}

async function answer(key: string, w: World, viewer: Viewer | null): Promise<Answer> {
  const [file, method] = key.split('#') as [string, string | undefined];
  const mod = modules.get(file) as Record<string, unknown>;
  const params = paramsFor(file, w);
  auth.viewer = viewer;
  try {
    if (method) {
      const handler = mod[method] as (r: Request, c: { params: Promise<unknown> }) => Promise<Response>;
      const init: RequestInit = { method, headers: { host: 'xuesi.example', origin: ORIGIN, 'content-type': 'application/json' } };
      if (method !== 'GET') init.body = '{}';
      const res = await handler(new NextRequest(urlFor(file, params), init as ConstructorParameters<typeof NextRequest>[1]), { params: Promise.resolve(params) });
      return res.status >= 200 && res.status < 300 ? 'ok' : res.status;
    }
    const page = mod.default as (p: { params: Promise<unknown>; searchParams: Promise<unknown> }) => Promise<unknown>;
    await page({ params: Promise.resolve(params), searchParams: Promise.resolve({}) });
    return 'ok';
  } catch (e) {
    const digest = (e as { digest?: unknown } | null)?.digest;
    if (typeof digest !== 'string') throw e;
    if (digest === 'NEXT_HTTP_ERROR_FALLBACK;403') return 403;
    if (digest === 'NEXT_HTTP_ERROR_FALLBACK;404') return 404;
    if (digest === 'NEXT_HTTP_ERROR_FALLBACK;401') return 'login';
    if (digest.startsWith('NEXT_REDIRECT')) {
      const target = digest.split(';')[2] ?? '';
      if (target.startsWith('/login')) return 'login';
      if (target.startsWith('/change-password')) return 'pw';
      return `→${target}`;
    }
    if (digest === 'NEXT_NOT_FOUND') return 404;
    throw e;
  } finally {
    auth.viewer = null;
  }
}

describe('authorization matrix: every page and route handler, eight principals', () => {
  useTestDatabase();

  it('has a row for every page and route handler, and none for a file that is gone', () => {
    const found = exposed();
    expect(found.filter((k) => !(k in TABLE)), 'in app/ but not in test/access/table.ts').toEqual([]);
    expect(Object.keys(TABLE).filter((k) => !found.includes(k)), 'in the table but not in app/').toEqual([]);
    const all = new Set(files.flatMap((f) => (f.endsWith('page.tsx') ? [f] : METHODS.filter((m) => typeof modules.get(f)?.[m] === 'function').map((m) => `${f}#${m}`))));
    expect(Object.keys(EXEMPT).filter((k) => !all.has(k)), 'exempt but not in app/').toEqual([]);
    console.info(`access matrix: ${found.length} pages and handlers × ${PRINCIPALS.length} principals = ${found.length * PRINCIPALS.length} cells`);
  });

  it('answers each principal as the table says', async () => {
    const w = await world();
    const actual: Record<string, Answer[]> = {};
    for (const key of exposed()) {
      actual[key] = [];
      for (const p of PRINCIPALS) actual[key].push(await answer(key, w, w.viewers[p]));
    }
    if (process.env.ACCESS_TABLE_PRINT) {
      for (const [k, row] of Object.entries(actual)) console.log(`  '${k}': [${row.map((a) => (typeof a === 'number' ? a : `'${a}'`)).join(', ')}],`);
    }
    const wrong = Object.entries(actual)
      .filter(([k, row]) => JSON.stringify(row) !== JSON.stringify(TABLE[k]))
      .map(([k, row]) => `${k}: expected [${(TABLE[k] ?? []).join(', ')}] got [${row.join(', ')}]`);
    expect(wrong).toEqual([]);
  });
});
