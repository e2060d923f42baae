import mammoth from 'mammoth';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { docxBomb } from '@/lib/upload/bomb-fixtures';
import { importReflectionFile } from './import';

// Finding 1 of the security review: a 400 KB .docx that declares a small size for a 400 MB
// word/document.xml kept mammoth busy for seconds and grew the server's memory by hundreds of MB.
// The upload check must refuse it before mammoth sees a byte, within a small, bounded cost.

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a .docx zip bomb', () => {
  it('is refused before mammoth sees it, with the memory it costs bounded', async () => {
    const bomb = docxBomb(400, 2_000);
    expect(bomb.length).toBeLessThan(500 * 1024);
    const parse = vi.spyOn(mammoth, 'extractRawText');
    global.gc?.();
    const before = process.memoryUsage();
    const started = performance.now();
    const r = await importReflectionFile({ name: '心得.docx', bytes: bomb });
    const ms = performance.now() - started;
    const after = process.memoryUsage();
    const grewMb = (after.rss - before.rss) / 1024 / 1024;
    const heapMb = (after.heapUsed + after.external - before.heapUsed - before.external) / 1024 / 1024;
    console.log(`docx bomb (${(bomb.length / 1024).toFixed(0)} KB → 400 MB): refused in ${ms.toFixed(0)} ms, rss +${grewMb.toFixed(1)} MB, heap+external +${heapMb.toFixed(1)} MB`);
    expect(r).toMatchObject({ ok: false, code: 'too_long' });
    expect(parse).not.toHaveBeenCalled();
    expect(grewMb).toBeLessThan(100);
  });

  it('is refused when it declares its true size too, and when it is one of many in parallel', async () => {
    const honest = docxBomb(400, 400 * 1_048_575 + 200);
    const parse = vi.spyOn(mammoth, 'extractRawText');
    expect(await importReflectionFile({ name: 'a.docx', bytes: honest })).toMatchObject({ ok: false, code: 'too_long' });
    const lying = docxBomb(40, 2_000);
    const all = await Promise.all(Array.from({ length: 6 }, () => importReflectionFile({ name: 'b.docx', bytes: lying })));
    for (const r of all) expect(r).toMatchObject({ ok: false, code: 'too_long' });
    expect(parse).not.toHaveBeenCalled();
  });
});
