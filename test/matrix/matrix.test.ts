import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setFaultAfterRunForTests } from '@/db/mutation';
import type { Role } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer-type';
import { signedIn, useTestDatabase } from '@/test/db';
import { checksumOfDatabase, tableCounts } from './checksum';
import type { MatrixEntry, World } from './types';

// Every exported server action and every mutating route handler, read from the files themselves
// so that a new one without an entry fails here. For each: the allowed role succeeds; every other
// role, a viewer who must change a one-time password, and (where the data belongs to someone)
// another course's organizer or another cadre are refused and change nothing; and a failure
// forced after the change was written leaves every row of every table as it was.

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
    requireRole: async (...roles: Role[]): Promise<Viewer> => {
      const v = await current();
      if (!v) return nav.redirect('/login');
      if (v.mustChangePassword) nav.redirect('/change-password');
      if (!roles.includes(v.role)) nav.forbidden();
      return v;
    },
  };
});
vi.mock('next/cache', () => ({
  revalidatePath: () => undefined,
  revalidateTag: () => undefined,
  updateTag: () => undefined,
  refresh: () => undefined,
}));
vi.mock('next/headers', () => {
  const jar = new Map<string, string>();
  return {
    headers: () =>
      Promise.resolve(new Headers({ host: 'xuesi.example', origin: 'http://xuesi.example', 'user-agent': 'matrix' })),
    cookies: () =>
      Promise.resolve({
        get: (name: string) => (jar.has(name) ? { name, value: jar.get(name) } : undefined),
        set: (name: string, value: string) => void jar.set(name, value),
        delete: (name: string) => void jar.delete(name),
        has: (name: string) => jar.has(name),
        getAll: () => [...jar].map(([name, value]) => ({ name, value })),
      }),
  };
});

const ROOT = path.resolve(import.meta.dirname, '../..');
const ROLES: Role[] = ['cadre', 'organizer', 'admin', 'auditor'];
const MUTATING = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** Route handlers that are not ours to put through the kernel, with the reason. */
const EXEMPT_ROUTES: Record<string, string> = {
  'app/api/auth/[...nextauth]/route.ts#POST':
    "next-auth's own handler (session and CSRF endpoints); signing in is signInAction, which is in the matrix",
};

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((p) => path.join(dir, p));
}

const files = walk(path.join(ROOT, 'app')).filter((f) => /\.tsx?$/u.test(f) && !/\.test\.tsx?$/u.test(f));
const actionFiles = files.filter((f) => /^\s*['"]use server['"]/u.test(fs.readFileSync(f, 'utf8')));
const routeFiles = files.filter((f) => path.basename(f) === 'route.ts');

const modules = new Map<string, Record<string, unknown>>();
for (const f of [...actionFiles, ...routeFiles]) {
  modules.set(path.relative(ROOT, f), (await import(/* @vite-ignore */ f)) as Record<string, unknown>);
}

const entries: MatrixEntry[] = [];
const entryDir = path.join(import.meta.dirname, 'entries');
for (const f of fs.readdirSync(entryDir).filter((n) => n.endsWith('.ts')).sort()) {
  const mod = (await import(/* @vite-ignore */ path.join(entryDir, f))) as { entries: MatrixEntry[] };
  entries.push(...mod.entries);
}
const key = (file: string, name: string) => `${file}#${name}`;
const byKey = new Map(entries.map((e) => [key(e.file, e.name), e]));

/** Every callable the app exposes for writing: server-action exports and mutating route methods. */
function exposed(): string[] {
  const out: string[] = [];
  for (const [file, mod] of modules) {
    const isRoute = path.basename(file) === 'route.ts';
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value !== 'function') continue;
      if (isRoute && !MUTATING.includes(name)) continue;
      out.push(key(file, name));
    }
  }
  return out.sort();
}

type Outcome = { kind: 'ok' } | { kind: 'refused'; why: string } | { kind: 'error'; error: unknown };

function formData(input: Record<string, unknown>): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(input)) {
    for (const item of Array.isArray(v) ? v : [v]) {
      if (item instanceof Blob) form.append(k, item);
      else if (item !== undefined && item !== null) form.append(k, String(item));
    }
  }
  return form;
}

function jsonRequest(file: string, input: unknown): Request {
  const url = `http://xuesi.example/${file.replace(/^app\//u, '').replace(/\/route\.ts$/u, '')}`;
  return new Request(url, {
    method: 'POST',
    headers: { host: 'xuesi.example', origin: 'http://xuesi.example', 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
}

async function attempt(entry: MatrixEntry, world: World, viewer: Viewer | null): Promise<Outcome> {
  auth.viewer = viewer;
  const fn = modules.get(entry.file)?.[entry.name] as (...args: unknown[]) => Promise<unknown>;
  try {
    if (entry.kind === 'route') {
      const request = entry.request ? entry.request(world) : jsonRequest(entry.file, world.input);
      const res = (await fn(request, { params: Promise.resolve({}) })) as Response;
      const body = await res.text();
      if (res.status < 300) return { kind: 'ok' };
      if (res.status < 500) return { kind: 'refused', why: `${res.status} ${body.slice(0, 200)}` };
      return { kind: 'error', error: new Error(`${res.status} ${body.slice(0, 200)}`) };
    }
    const result =
      entry.kind === 'form'
        ? await fn(null, formData(world.input))
        : entry.kind === 'submit'
          ? await fn(formData(world.input))
          : await fn(world.input);
    if (result && typeof result === 'object' && 'ok' in result) {
      const r = result as { ok: boolean; code?: string; message?: string };
      return r.ok ? { kind: 'ok' } : { kind: 'refused', why: `${r.code}: ${r.message}` };
    }
    return { kind: 'ok' };
  } catch (e) {
    const digest = (e as { digest?: unknown } | null)?.digest;
    if (typeof digest === 'string') {
      if (digest.startsWith('NEXT_HTTP_ERROR_FALLBACK;')) return { kind: 'refused', why: digest };
      if (digest.startsWith('NEXT_REDIRECT')) {
        const target = digest.split(';')[2] ?? '';
        if (entry.successRedirect && target.startsWith(entry.successRedirect)) return { kind: 'ok' };
        return /^\/(login|change-password)\b/u.test(target) ? { kind: 'refused', why: `redirect ${target}` } : { kind: 'ok' };
      }
    }
    return { kind: 'error', error: e };
  } finally {
    auth.viewer = null;
  }
}

async function expectRefusedAndUnchanged(entry: MatrixEntry, world: World, viewer: Viewer, { filtered = false } = {}): Promise<void> {
  const before = await checksumOfDatabase();
  const counts = await tableCounts();
  const outcome = await attempt(entry, world, viewer);
  if (outcome.kind === 'error') throw outcome.error;
  // An action that only ever touches the caller's own rows (scope in its WHERE) may answer ok:
  // what matters is that nothing of anyone else's changed.
  if (!filtered) expect(outcome.kind, `${viewer.role} ${viewer.username} should be refused`).toBe('refused');
  if ((await checksumOfDatabase()) !== before) expect(await tableCounts()).toEqual(counts);
  expect(await checksumOfDatabase()).toBe(before);
}

describe('mutation matrix', () => {
  useTestDatabase();
  afterEach(() => setFaultAfterRunForTests(null));

  it('lists every server action and mutating route handler, and nothing that is not there', () => {
    const listed = new Set([...byKey.keys(), ...Object.keys(EXEMPT_ROUTES)]);
    const found = exposed();
    expect(found.filter((k) => !listed.has(k)), 'exposed but not in the matrix').toEqual([]);
    expect([...listed].filter((k) => !found.includes(k)), 'in the matrix but not exposed').toEqual([]);
    expect(byKey.size).toBe(entries.length);
    // The count the decision record and the note report.
    console.info(`mutation matrix: ${entries.length} entries (${entries.filter((e) => e.kind === 'route').length} route handlers)`);
  });

  for (const entry of entries) {
    const label = `${entry.file.replace(/^app\//u, '')} ${entry.name}`;
    describe(label, () => {
      it(`succeeds for ${entry.roles.join('/')}`, async () => {
        const world = await entry.setup();
        const outcome = await attempt(entry, world, world.actor);
        if (outcome.kind === 'error') throw outcome.error;
        expect(outcome, 'the allowed viewer with valid input').toEqual({ kind: 'ok' });
      });

      if (entry.anonymous) it.skip(`role cells: ${entry.anonymous}`, () => undefined);
      for (const role of entry.anonymous ? [] : ROLES.filter((r) => !entry.roles.includes(r))) {
        it(`refuses ${role} and changes nothing`, async () => {
          const world = await entry.setup();
          await expectRefusedAndUnchanged(entry, world, await signedIn(role));
        });
      }

      if (entry.skip?.mustChange) {
        it.skip(`must-change-password: ${entry.skip.mustChange}`, () => undefined);
      } else if (!entry.anonymous) {
        it('refuses a viewer who must change a one-time password', async () => {
          const world = await entry.setup();
          await expectRefusedAndUnchanged(entry, world, await signedIn(entry.roles[0] as Role, { mustChangePassword: true }));
        });
      }

      if (entry.scope !== 'none' && !entry.anonymous) {
        it(`refuses ${entry.scope === 'course' ? "another course's organizer" : 'another cadre'} and changes nothing`, async () => {
          const world = await entry.setup();
          expect(world.outsiders?.length ?? 0, 'setup() names the outsiders').toBeGreaterThan(0);
          for (const outsider of world.outsiders ?? []) {
            await expectRefusedAndUnchanged(entry, world, outsider, { filtered: entry.ownership === 'filter' });
          }
        });
      }

      if (entry.skip?.fault) {
        it.skip(`fault after write: ${entry.skip.fault}`, () => undefined);
      } else {
        it('rolls back every table when a failure is forced after the write', async () => {
          const world = await entry.setup();
          let hits = 0;
          setFaultAfterRunForTests(() => {
            hits += 1;
            throw new Error('matrix: forced failure after the write');
          });
          const before = await checksumOfDatabase();
          const outcome = await attempt(entry, world, world.actor);
          expect(hits, 'the change went through the mutation kernel').toBeGreaterThan(0);
          expect(outcome.kind).toBe('error');
          expect(await checksumOfDatabase()).toBe(before);
        });
      }
    });
  }
});
