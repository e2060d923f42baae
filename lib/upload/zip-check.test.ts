import { Document, Packer, Paragraph, TextRun } from 'docx';
import { describe, expect, it } from 'vitest';
import { zipOf } from '@/lib/roster/fixtures/build';
import { docxBomb, docxSkeleton } from './bomb-fixtures';
import { checkZip, DOCX_LIMITS, looksLikeOle, XLSX_LIMITS } from './zip-check';

const doc = (data: Buffer, claimSize?: number) => ({ name: 'word/document.xml', data, claimSize });

describe('the upload zip check', () => {
  it('accepts a real .docx', async () => {
    const bytes = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph({ children: [new TextRun('学思践悟')] })] }] }));
    expect(checkZip(bytes, DOCX_LIMITS)).toMatchObject({ ok: true });
  });

  it('refuses a part that inflates past what it declares, with the inflation capped at the claim', () => {
    expect(checkZip(docxBomb(400, 2_000), DOCX_LIMITS)).toEqual({ ok: false, reason: 'too_large' });
    expect(checkZip(docxBomb(40, 40 * 1_048_575 + 200), DOCX_LIMITS)).toEqual({ ok: false, reason: 'too_large' });
  });

  it('refuses a suspicious compression ratio even under the size budget', () => {
    const zeros = Buffer.alloc(20 * 1024 * 1024);
    expect(checkZip(zipOf([...docxSkeleton(), doc(zeros)]), DOCX_LIMITS)).toEqual({ ok: false, reason: 'ratio' });
    // Small parts may compress as well as they like.
    expect(checkZip(zipOf([...docxSkeleton(), doc(Buffer.alloc(512 * 1024))]), DOCX_LIMITS)).toMatchObject({ ok: true });
  });

  it('refuses two entries of one name, a missing part, unsafe names and too many entries', () => {
    const p = doc(Buffer.from('<w:document/>'));
    expect(checkZip(zipOf([...docxSkeleton(), p, p]), DOCX_LIMITS)).toEqual({ ok: false, reason: 'corrupt' });
    expect(checkZip(zipOf(docxSkeleton()), DOCX_LIMITS)).toEqual({ ok: false, reason: 'missing_part' });
    expect(checkZip(zipOf([...docxSkeleton(), p]), XLSX_LIMITS)).toEqual({ ok: false, reason: 'missing_part' });
    expect(checkZip(zipOf([...docxSkeleton(), p, { name: '../../x', data: Buffer.from('x') }]), DOCX_LIMITS)).toEqual({ ok: false, reason: 'unsafe_name' });
    const many = Array.from({ length: 2_001 }, (_, i) => ({ name: `word/m${i}.xml`, data: Buffer.from('<x/>') }));
    expect(checkZip(zipOf([...docxSkeleton(), p, ...many]), DOCX_LIMITS)).toEqual({ ok: false, reason: 'entries' });
  });

  it('tells an OLE file (.doc, .xls) from a zip', () => {
    expect(looksLikeOle(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]))).toBe(true);
    expect(checkZip(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]), DOCX_LIMITS)).toEqual({ ok: false, reason: 'not_zip' });
  });
});
