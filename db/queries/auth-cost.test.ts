import { eq } from 'drizzle-orm';
import { hash, verify } from '@node-rs/argon2';
import type * as Argon2 from '@node-rs/argon2';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db';
import { users } from '@/db/schema';
import { hashOneTimePassword, hashPassword } from '@/lib/auth/password';
import { makeUser, useTestDatabase } from '@/test/db';
import { authenticate } from './auth';

// Finding 3 of the security review: an account that still had its one-time password (the lighter
// hash of decision 0006) answered a wrong password in about half the time of any other account,
// so timing told which accounts were new. Every failing path must run the same argon2 work; the
// test records which verifications run (their cost parameters), not how long they take.

vi.mock('@node-rs/argon2', async (importOriginal) => {
  const actual = await importOriginal<typeof Argon2>();
  return { ...actual, verify: vi.fn(actual.verify) };
});

const req = { ip: '192.0.2.30', userAgent: 'vitest' };
const PASSWORD = '长寿岛湿地春来早-2026';
const ONE_TIME = 'Kp7wQ2mZr9Tb';

/** The cost parameters of every argon2 verification since the last call: "m=…,t=…,p=…". */
function costs(): string[] {
  const calls = vi.mocked(verify).mock.calls.map(([hash]) => /\$(m=\d+,t=\d+,p=\d+)\$/u.exec(String(hash))?.[1] ?? '?');
  vi.mocked(verify).mockClear();
  return calls.sort();
}

let fullHash = '';
let lightHash = '';
beforeAll(async () => {
  fullHash = await hashPassword(PASSWORD);
  lightHash = await hashOneTimePassword(ONE_TIME);
});

async function account(passwordHash: string, over: Partial<typeof users.$inferInsert> = {}): Promise<string> {
  const id = await makeUser('cadre', { passwordHash, ...over });
  return (await getDb().select({ u: users.username }).from(users).where(eq(users.id, id)).get())?.u as string;
}

describe('the cost of a failing sign-in', () => {
  useTestDatabase();

  it('is the same argon2 work for an unknown account, a wrong password, a one-time password, an inactive account', async () => {
    const normal = await account(fullHash);
    const fresh = await account(lightHash, { mustChangePassword: true });
    const off = await account(fullHash, { active: false });
    const offFresh = await account(lightHash, { active: false, mustChangePassword: true });
    // Warm the dummy hashes, which are computed once per process.
    await authenticate({ username: 'warm-up', password: 'x' }, { ...req, ip: '192.0.2.31' });
    costs();

    const paths: Record<string, () => Promise<unknown>> = {
      unknown: async () => await authenticate({ username: 'nobody-here', password: 'guess-1234' }, req),
      'wrong password, normal account': async () => await authenticate({ username: normal, password: 'guess-1234' }, req),
      'wrong password, one-time password': async () => await authenticate({ username: fresh, password: 'guess-1234' }, req),
      'right password, inactive': async () => await authenticate({ username: off, password: PASSWORD }, req),
      'right one-time password, inactive': async () => await authenticate({ username: offFresh, password: ONE_TIME }, req),
    };
    const seen: Record<string, string[]> = {};
    for (const [name, run] of Object.entries(paths)) {
      const r = (await run()) as { ok: boolean };
      expect(r.ok, name).toBe(false);
      seen[name] = costs();
    }
    const reference = seen.unknown;
    expect(reference?.length).toBeGreaterThan(0);
    for (const [name, list] of Object.entries(seen)) expect(list, name).toEqual(reference);
    // The account kinds that could have matched are both paid for.
    expect(reference).toEqual(['m=1024,t=1,p=1', 'm=19456,t=2,p=1']);
  });

  it('a success costs the same verifications too', async () => {
    const normal = await account(fullHash);
    const fresh = await account(lightHash, { mustChangePassword: true });
    await authenticate({ username: 'warm-up', password: 'x' }, { ...req, ip: '192.0.2.31' });
    costs();
    expect((await authenticate({ username: normal, password: PASSWORD }, req)).ok).toBe(true);
    const a = costs();
    expect((await authenticate({ username: fresh, password: ONE_TIME }, req)).ok).toBe(true);
    expect(costs()).toEqual(a);
  });

  it('a one-time password hashed at the earlier cost (m=2048) still signs in, verified in the one-time slot', async () => {
    const earlier = await hash(ONE_TIME, { algorithm: 2, memoryCost: 2048, timeCost: 1, parallelism: 1 });
    const fresh = await account(earlier, { mustChangePassword: true });
    await authenticate({ username: 'warm-up', password: 'x' }, { ...req, ip: '192.0.2.31' });
    costs();
    expect((await authenticate({ username: fresh, password: 'guess-1234' }, req)).ok).toBe(false);
    // The full-cost slot gets the dummy, as for any one-time hash; not the stored hash twice.
    expect(costs()).toEqual(['m=19456,t=2,p=1', 'm=2048,t=1,p=1']);
    const ok = (await authenticate({ username: fresh, password: ONE_TIME }, req)) as { ok: boolean; mustChangePassword?: boolean };
    expect(ok.ok).toBe(true);
  });
});
