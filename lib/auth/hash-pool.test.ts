import { describe, expect, it } from 'vitest';
import { hashPasswordsOnWorkers } from './hash-pool';
import { generatePassword, verifyPassword } from './password';

describe('hashPasswordsOnWorkers', () => {
  it('hashes every password on the worker threads at the one-time cost, in order, with progress', async () => {
    const passwords = Array.from({ length: 250 }, () => generatePassword());
    const progress: number[] = [];
    const out = await hashPasswordsOnWorkers(passwords, (done) => progress.push(done));
    expect(out.map((o) => o.password)).toEqual(passwords);
    expect(out[0]?.hash).toMatch(/^\$argon2id\$v=19\$m=2048,t=1,p=1\$/u);
    expect(await verifyPassword(out[249]?.hash ?? null, passwords[249] as string)).toBe(true);
    expect(await verifyPassword(out[0]?.hash ?? null, passwords[1] as string)).toBe(false);
    expect(progress.at(-1)).toBe(250);
  });

  it('stops handing out batches once the import is abandoned', async () => {
    const controller = new AbortController();
    controller.abort();
    const out = await hashPasswordsOnWorkers(Array.from({ length: 500 }, () => generatePassword()), undefined, controller.signal);
    expect(out.filter(Boolean)).toHaveLength(0);
  });
});
