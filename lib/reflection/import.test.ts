import { Document, Packer, Paragraph, TextRun } from 'docx';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { checkZip, DOCX_LIMITS } from '@/lib/upload/zip-check';
import { decodeText, importReflectionFile, looksLikeText, toParagraphs } from './import';
import { MAX_IMPORT_BYTES } from './limits';

// Fixtures are written here, in the register of a cadre's 学习心得.
const P1 = '通过这次集中学习,我对党的自我革命有了更深的认识。';
const P2 = '一是坚持学思用贯通,把学习成果转化为推动基层治理的实际举措;';
const P3 = '二是坚持知信行统一,在三方共治中当好“领头雁”。';

/** Bytes that are no text in any encoding: every byte value, NULs included, in a fixed order. */
function noise(length: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (i * 131 + 7) % 256));
}

async function docxOf(paragraphs: string[]): Promise<Buffer> {
  const doc = new Document({
    sections: [{ children: paragraphs.map((p) => new Paragraph({ children: [new TextRun(p)] })) }],
  });
  return Packer.toBuffer(doc);
}

describe('importing a .txt', () => {
  const text = `${P1}\r\n\r\n\u3000\u3000${P2}\r\n  ${P3}  \r\n`;

  it('reads UTF-8 without a BOM, keeping paragraphs and dropping indents and blank lines', async () => {
    const r = await importReflectionFile({ name: '心得.txt', bytes: Buffer.from(text, 'utf8') });
    expect(r).toMatchObject({ ok: true, body: [P1, P2, P3].join('\n'), paragraphs: 3, fileName: '心得.txt' });
  });

  it('reads UTF-8 with a BOM', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    const r = await importReflectionFile({ name: 'bom.TXT', bytes });
    expect(r).toMatchObject({ ok: true, body: [P1, P2, P3].join('\n') });
  });

  it('reads GB18030 (记事本 ANSI on a Chinese Windows) when the bytes are not UTF-8', async () => {
    const bytes = iconv.encode(text, 'gb18030');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const r = await importReflectionFile({ name: 'ansi.txt', bytes });
    expect(r).toMatchObject({ ok: true, body: [P1, P2, P3].join('\n'), paragraphs: 3 });
  });

  it('reads UTF-16 with a BOM (记事本 “Unicode”)', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(P1, 'utf16le')]);
    expect(decodeText(bytes)).toBe(P1);
  });

  it('counts 字数 of what it read', async () => {
    const r = await importReflectionFile({ name: 'a.txt', bytes: Buffer.from('学习 COVID-19 防控', 'utf8') });
    expect(r).toMatchObject({ ok: true, charCount: 5 });
  });

  it('refuses a random binary named .txt, a .docx renamed .txt, and an empty file', async () => {
    const binary = await importReflectionFile({ name: '照片.txt', bytes: noise(4096) });
    expect(binary).toMatchObject({ ok: false, code: 'mismatch' });
    expect(binary.ok ? '' : binary.message).toContain('不是纯文本文件');
    const zipped = await importReflectionFile({ name: '心得.txt', bytes: await docxOf([P1]) });
    expect(zipped.ok ? '' : zipped.message).toContain('请把扩展名改回 .docx');
    expect(await importReflectionFile({ name: 'empty.txt', bytes: Buffer.alloc(0) })).toMatchObject({ ok: false, code: 'empty' });
    expect(await importReflectionFile({ name: 'blank.txt', bytes: Buffer.from('\r\n \u3000\n') })).toMatchObject({
      ok: false,
      code: 'empty',
    });
  });
});

describe('importing a .docx', () => {
  it('reads every paragraph of a Word document, one a line', async () => {
    const bytes = await docxOf([P1, '', `\u3000\u3000${P2}`, P3]);
    expect(checkZip(bytes, DOCX_LIMITS)).toMatchObject({ ok: true, entries: expect.arrayContaining(['word/document.xml']) as unknown });
    const r = await importReflectionFile({ name: '学习心得.docx', bytes });
    expect(r).toMatchObject({ ok: true, body: [P1, P2, P3].join('\n'), paragraphs: 3 });
  });

  it('refuses a text file renamed .docx, a zip that is not a Word document, and an old .doc', async () => {
    const renamed = await importReflectionFile({ name: '心得.docx', bytes: Buffer.from(`${P1}\n${P2}`, 'utf8') });
    expect(renamed).toMatchObject({ ok: false, code: 'mismatch' });
    expect(renamed.ok ? '' : renamed.message).toContain('不是有效的 Word 文档');

    // A zip with the right magic bytes but no word/document.xml (here: a .docx with the part renamed).
    const real = await docxOf([P1]);
    const fake = Buffer.from(real.toString('latin1').replaceAll('word/document.xml', 'word/documenx.xml'), 'latin1');
    expect(fake.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    expect(await importReflectionFile({ name: 'x.docx', bytes: fake })).toMatchObject({ ok: false, code: 'mismatch' });

    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), noise(512)]);
    const doc = await importReflectionFile({ name: '旧文档.docx', bytes: ole });
    expect(doc.ok ? '' : doc.message).toContain('旧版 Word 文档（.doc）');
    const garbage = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), noise(2048)]);
    expect(await importReflectionFile({ name: '坏.docx', bytes: garbage })).toMatchObject({ ok: false, code: 'mismatch' });
  });
});

describe('what is refused whatever the type', () => {
  it('refuses a file over 5 MB', async () => {
    const r = await importReflectionFile({ name: '大.txt', bytes: Buffer.alloc(MAX_IMPORT_BYTES + 1, 0x61) });
    expect(r).toMatchObject({ ok: false, code: 'too_large' });
    expect(r.ok ? '' : r.message).toContain('超过 5 MB');
    const exactly = await importReflectionFile({ name: '刚好.txt', bytes: Buffer.alloc(MAX_IMPORT_BYTES, 0x61) });
    expect(exactly).toMatchObject({ ok: false, code: 'too_long' });
  });

  it('refuses other types, and a .wps that is no Word or WPS document', async () => {
    expect(await importReflectionFile({ name: 'a.pdf', bytes: Buffer.from('%PDF-1.4') })).toMatchObject({
      ok: false,
      code: 'unsupported',
      message: '只能导入 .docx、.doc、.wps 或 .txt 文件',
    });
    const wps = await importReflectionFile({ name: 'a.wps', bytes: Buffer.from('x') });
    expect(wps).toMatchObject({ ok: false, code: 'mismatch' });
    expect(wps.ok ? '' : wps.message).toContain('不是有效的 Word 或 WPS 文档');
  });

  it('helpers: paragraphs and text detection', () => {
    expect(toParagraphs('  甲\n\n\u3000\u3000乙\r\n丙 ')).toEqual(['甲', '乙', '丙']);
    expect(looksLikeText('普通的中文 text')).toBe(true);
    expect(looksLikeText('a\u0000b')).toBe(false);
  });
});
