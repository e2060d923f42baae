import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOle } from '@/lib/upload/ole-check';
import { importReflectionFile } from './import';

// The fixtures were made with LibreOffice from text written for these tests
// (libreoffice --headless --convert-to doc); the .wps is such a .doc renamed, which is what WPS
// writes for its Word-compatible format.
const fixtures = path.join(process.cwd(), 'test/fixtures');
const DOC = readFileSync(path.join(fixtures, 'reflection-title-byline.doc'));
const WPS = readFileSync(path.join(fixtures, 'reflection-name-byline.wps'));
const author = { name: '孙卫东', unitNames: ['望江街道'] };

/** A copy of a file with a 32-bit little-endian value written at an offset. */
function patched(buf: Buffer, at: number, value: number): Buffer {
  const copy = Buffer.from(buf);
  copy.writeUInt32LE(value, at);
  return copy;
}

/** The byte offset of the directory entry of the named stream. */
function entryOffset(buf: Buffer, name: string): number {
  const at = buf.indexOf(Buffer.from(name, 'utf16le'));
  if (at < 0) throw new Error(`no ${name}`);
  return at;
}

describe('importing .doc and .wps', () => {
  it('reads a .doc, recognising the title and dropping the unit-and-name byline', async () => {
    const r = await importReflectionFile({ name: '心得.doc', bytes: DOC }, author);
    expect(r).toMatchObject({ ok: true, title: '以自我革命精神推动基层治理', byline: '望江街道 孙卫东', paragraphs: 2 });
    if (!r.ok) return;
    expect(r.body.startsWith('通过这次集中学习')).toBe(true);
    expect(r.fullBody.split('\n')).toHaveLength(4);
  });

  it('reads a .wps whose byline is the name alone', async () => {
    const r = await importReflectionFile({ name: '心得.wps', bytes: WPS }, author);
    expect(r).toMatchObject({ ok: true, title: '把学习成效体现在为民服务上', byline: '孙卫东' });
  });

  it('without an author (the 简报 import) keeps every line in the body', async () => {
    const r = await importReflectionFile({ name: '心得.doc', bytes: DOC });
    expect(r).toMatchObject({ ok: true, title: '', byline: '', paragraphs: 4 });
  });

  it('refuses a .docx named .doc and noise named .wps without parsing them', async () => {
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]);
    expect(await importReflectionFile({ name: 'a.doc', bytes: zip })).toMatchObject({ ok: false, code: 'mismatch' });
    expect(await importReflectionFile({ name: 'a.wps', bytes: Buffer.from('不是文档') })).toMatchObject({ ok: false, code: 'mismatch' });
  });
});

describe('the OLE check before the parser', () => {
  it('accepts the fixtures and names their streams', () => {
    const c = checkOle(DOC);
    expect(c.ok).toBe(true);
    if (c.ok) expect(c.streams).toContain('WordDocument');
  });

  it('refuses a stream that claims more than the file holds (an oversize claim)', async () => {
    const at = entryOffset(DOC, 'WordDocument') + 0x78;
    const bomb = patched(DOC, at, 2_000_000_000);
    expect(checkOle(bomb)).toEqual({ ok: false, reason: 'too_large' });
    const r = await importReflectionFile({ name: '大.doc', bytes: bomb }, author);
    expect(r).toMatchObject({ ok: false, code: 'too_long' });
  });

  it('refuses streams that together claim more than the file (shared chains)', () => {
    const at = entryOffset(DOC, '1Table') + 0x78;
    expect(checkOle(patched(DOC, at, DOC.length - 100))).toEqual({ ok: false, reason: 'too_large' });
  });

  it('refuses a directory tree that points back at itself', async () => {
    // The WordDocument entry's child points at the root's first child: a cycle for a recursive walk.
    const at = entryOffset(DOC, 'WordDocument');
    const rootChild = DOC.readUInt32LE(512 * (DOC.readUInt32LE(0x30) + 1) + 0x4c);
    const loop = patched(DOC, at + 0x4c, rootChild);
    expect(checkOle(loop)).toEqual({ ok: false, reason: 'loop' });
    expect(await importReflectionFile({ name: '环.doc', bytes: loop }, author)).toMatchObject({ ok: false, code: 'unreadable' });
  });

  it('refuses a FAT chain that loops', () => {
    // The directory's first sector made to point at itself in the FAT.
    const firstDir = DOC.readUInt32LE(0x30);
    const fatSector = DOC.readUInt32LE(0x4c);
    const loop = patched(DOC, 512 * (fatSector + 1) + firstDir * 4, firstDir);
    expect(checkOle(loop)).toEqual({ ok: false, reason: 'loop' });
  });

  it('refuses a header with more FAT sectors than the file has', () => {
    expect(checkOle(patched(DOC, 0x2c, 100_000))).toEqual({ ok: false, reason: 'too_large' });
    expect(checkOle(Buffer.concat([DOC.subarray(0, 8), Buffer.alloc(504)]))).toEqual({ ok: false, reason: 'corrupt' });
  });
});
