import { describe, expect, it } from 'vitest';
import { generatePasswords, hashPasswordsOnWorkers } from './hash-pool';
import { ALPHABET, generatePassword, verifyPassword } from './password';

describe('hashPasswordsOnWorkers', () => {
  it('hashes every password on the worker threads at the one-time cost, in order, with progress', async () => {
    const passwords = Array.from({ length: 250 }, () => generatePassword());
    const progress: number[] = [];
    const out = await hashPasswordsOnWorkers(passwords, (done) => progress.push(done));
    expect(out.map((o) => o.password)).toEqual(passwords);
    expect(out[0]?.hash).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/u);
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

describe('generatePasswords', () => {
  it('makes one-time passwords like generatePassword: 12 characters of its alphabet, every character about equally often', () => {
    const out = generatePasswords(20_000);
    expect(out).toHaveLength(20_000);
    expect(out.every((p) => p.length === 12 && [...p].every((c) => ALPHABET.includes(c)))).toBe(true);
    expect(new Set(out).size).toBe(20_000);
    // 240,000 characters over 56 symbols: about 4,286 each. A bias of the modulo kind (bytes
    // 224–255 folded onto the first 32 symbols) would put those at about 5,000.
    const counts = new Map<string, number>();
    for (const p of out) for (const c of p) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(ALPHABET.length);
    for (const n of counts.values()) expect(Math.abs(n - 240_000 / ALPHABET.length)).toBeLessThan(400);
    expect(generatePasswords(0)).toEqual([]);
  });
});
