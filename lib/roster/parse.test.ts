import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { csvOf, generatedRoster, xlsxOf, xlsxSkeleton, zipOf } from './fixtures/build';
import { decodeText, parseCsv } from './csv';
import { MAX_FILE_BYTES, MESSAGES } from './limits';
import { parseRosterFile } from './parse';
import { checkXlsxZip, unsafeEntryName } from './zip-check';

const HEADER = ['账号', '姓名', '职务', '单位', '角色', '手机', '读书班', '小组'];
const XIA = ['xiadingyang', '夏定阳', '牛首镇委书记、长寿岛国家湿地公园党委书记', '樊城区/牛首镇', '学员', '13907101234', '', ''];
const ZENG = ['zengjianhui', '曾建辉', '太平店镇党委副书记、镇长', '樊城区/太平店镇', '组织者', '', '', ''];

async function parsed(name: string, bytes: Uint8Array) {
  const r = await parseRosterFile(name, bytes);
  if (!r.ok) throw new Error(`refused: ${r.message}`);
  return r;
}

async function refusal(name: string, bytes: Uint8Array): Promise<string> {
  const r = await parseRosterFile(name, bytes);
  if (r.ok) throw new Error('accepted');
  return r.message;
}

describe('reading CSV in the encodings Chinese offices use', () => {
  for (const encoding of ['utf8', 'utf8-bom', 'gbk', 'gb18030', 'utf16le-bom'] as const) {
    it(`reads ${encoding}`, async () => {
      const r = await parsed('名单.csv', csvOf([HEADER, XIA, ZENG], encoding));
      expect(r.table.records.map((x) => x.values.name)).toEqual(['夏定阳', '曾建辉']);
      expect(r.table.records[0]?.values.title).toBe('牛首镇委书记、长寿岛国家湿地公园党委书记');
      expect(r.table.records[0]?.values.unit).toBe('樊城区/牛首镇');
      expect(r.table.records.map((x) => x.row)).toEqual([2, 3]);
    });
  }

  it('names the encoding it found, and strips the BOM from the first header', () => {
    expect(decodeText(csvOf([HEADER], 'gbk'))).toMatchObject({ ok: true, encoding: 'GB18030' });
    const bom = decodeText(csvOf([HEADER], 'utf8-bom'));
    expect(bom).toMatchObject({ ok: true, encoding: 'UTF-8 (BOM)' });
    expect(bom.ok && bom.text.startsWith('账号')).toBe(true);
  });

  it('keeps quoted commas, quotes and line breaks inside one cell', () => {
    const r = parseCsv('账号,姓名,职务\r\na1,"王,晓丽","一行\n两行 ""引号"""\r\n\r\n', 10);
    expect(r).toEqual({ ok: true, rows: [{ number: 1, cells: ['账号', '姓名', '职务'] }, { number: 2, cells: ['a1', '王,晓丽', '一行\n两行 "引号"'] }] });
    expect(parseCsv('账号,姓名\r\na1,"没有闭合\r\n', 10)).toEqual({ ok: false, message: MESSAGES.csvQuote(2) });
  });

  it('finds the header below a title row, and lists the columns it does not know', async () => {
    const r = await parsed('a.csv', csvOf([['樊城区干部花名册'], ['序号', '姓名*', ' 账号 ', '手机(选填)', '备注'], ['1', '夏定阳', 'XiaDY', '139 0710 1234', '']]));
    expect(r.table.columns).toEqual(['username', 'name', 'phone']);
    expect(r.table.unknownColumns).toEqual(['序号', '备注']);
    expect(r.table.headerRow).toBe(2);
    expect(r.table.records[0]).toMatchObject({ row: 3, values: { username: 'XiaDY', name: '夏定阳', phone: '139 0710 1234', unit: '' } });
  });
});

describe('reading .xlsx', () => {
  it('reads text and numbers, and a phone typed as a number keeps all 11 digits', async () => {
    const r = await parsed('名单.xlsx', await xlsxOf([HEADER, [...XIA.slice(0, 5), 13907101234, '', '']]));
    expect(r.table.records[0]?.values).toMatchObject({ username: 'xiadingyang', phone: '13907101234', role: '学员' });
  });

  it('never evaluates formulas: a formula reads as its saved value, or as its text when none was saved', async () => {
    const r = await parsed(
      'f.xlsx',
      await xlsxOf([
        HEADER,
        ['f1', { formula: 'CONCATENATE("王","晓丽")', result: '王晓丽' }, '', '', '', '', '', ''],
        ['f2', '李四', { formula: 'HYPERLINK("http://x.example","点我")' }, '', '', '', '', ''],
        ['f3', '=1+2', '@SUM(A1)', '', '', '', '', ''],
      ]),
    );
    const [a, b, c] = r.table.records;
    expect(a?.values.name).toBe('王晓丽');
    expect(a?.formulaFields).toEqual(['name']);
    expect(b?.values.title).toBe('=HYPERLINK("http://x.example","点我")');
    expect(b?.formulaFields).toEqual(['title']);
    // Text that merely looks like a formula is text.
    expect(c?.values).toMatchObject({ name: '=1+2', title: '@SUM(A1)' });
    expect(c?.formulaFields).toEqual([]);
  });

  it('skips hidden sheets and reads the first visible one', async () => {
    const wb = new ExcelJS.Workbook();
    const hidden = wb.addWorksheet('说明');
    hidden.state = 'hidden';
    hidden.addRow(['这一页不是名单']);
    const ws = wb.addWorksheet('名单');
    ws.addRow(HEADER);
    ws.addRow(XIA);
    const r = await parsed('h.xlsx', Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer));
    expect(r.table.records).toHaveLength(1);
  });
});

describe('files that are refused, with a message', () => {
  it('refuses other extensions, empty files and files over 5 MB', async () => {
    expect(await refusal('名单.xls', csvOf([HEADER, XIA]))).toBe(MESSAGES.badExtension);
    expect(await refusal('名单.txt', csvOf([HEADER, XIA]))).toBe(MESSAGES.badExtension);
    expect(await refusal('名单.csv', new Uint8Array())).toBe(MESSAGES.empty);
    const big = Buffer.alloc(MAX_FILE_BYTES + 1, 0x61);
    expect(await refusal('big.csv', big)).toBe(MESSAGES.tooLarge);
    expect(await refusal('big.xlsx', big)).toBe(MESSAGES.tooLarge);
  });

  it('refuses more than 20,000 rows, in either format', async () => {
    const rows = generatedRoster(20_001);
    expect(await refusal('many.csv', csvOf(rows))).toBe(MESSAGES.tooManyRows);
    expect(await refusal('many.xlsx', await xlsxOf(rows))).toBe(MESSAGES.tooManyRows);
    const ok = await parsed('max.csv', csvOf(generatedRoster(20_000)));
    expect(ok.table.records).toHaveLength(20_000);
  }, 60_000);

  it('refuses bytes that are not what the name says', async () => {
    expect(await refusal('renamed.xlsx', Buffer.from('账号,姓名\r\nabc,王晓丽\r\n'))).toBe(MESSAGES.xlsxNotZip);
    expect(await refusal('renamed.csv', await xlsxOf([HEADER, XIA]))).toBe(MESSAGES.csvIsXlsx);
    expect(await refusal('old.xlsx', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]))).toBe(MESSAGES.xlsOld);
    expect(await refusal('binary.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]))).toBe(MESSAGES.csvNotText);
    // A zip that is not a workbook (a .docx, say).
    expect(await refusal('doc.xlsx', zipOf([{ name: 'word/document.xml', data: Buffer.from('<w/>') }]))).toBe(MESSAGES.xlsxNotZip);
  });

  it('refuses a header named __proto__, constructor or prototype, and a column given twice', async () => {
    for (const h of ['__proto__', 'constructor', 'prototype', ' __PROTO__ ']) {
      expect(await refusal('p.csv', csvOf([[...HEADER, h], [...XIA, 'x']]))).toBe(MESSAGES.forbiddenHeader(h.trim()));
    }
    expect(await refusal('p.xlsx', await xlsxOf([['__proto__', ...HEADER], ['x', ...XIA]]))).toBe(MESSAGES.forbiddenHeader('__proto__'));
    expect(await refusal('d.csv', csvOf([[...HEADER, '姓名'], [...XIA, '又一个']]))).toBe(MESSAGES.duplicateHeader('姓名'));
  });

  it('refuses a file without 账号 and 姓名 headers, or without data rows', async () => {
    expect(await refusal('n.csv', csvOf([['名字', '单位'], ['王晓丽', '樊城区']]))).toBe(MESSAGES.noHeader);
    expect(await refusal('n.csv', csvOf([HEADER]))).toBe(MESSAGES.noRows);
  });
});

describe('the zip check before exceljs', () => {
  it('accepts what exceljs writes', async () => {
    const check = checkXlsxZip(await xlsxOf([HEADER, XIA]));
    expect(check.ok).toBe(true);
  });

  it('refuses a directory that claims more than 100 MB unpacked', async () => {
    const bomb = zipOf([...xlsxSkeleton(), { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<x/>'), claimSize: 0xfffffff0 }]);
    expect(checkXlsxZip(bomb)).toEqual({ ok: false, message: MESSAGES.zipTooLarge });
    expect(await refusal('bomb.xlsx', bomb)).toBe(MESSAGES.zipTooLarge);
  });

  it('refuses an entry that inflates to more than its directory claims (a lying bomb)', () => {
    const zeros = Buffer.alloc(50 * 1024 * 1024);
    const bomb = zipOf([...xlsxSkeleton(), { name: 'xl/worksheets/sheet1.xml', data: zeros, claimSize: 1000 }]);
    expect(bomb.length).toBeLessThan(200 * 1024);
    expect(checkXlsxZip(bomb)).toEqual({ ok: false, message: MESSAGES.zipTooLarge });
  });

  it('refuses many small entries adding up past the limit, and more than 2,000 entries', () => {
    const chunk = Buffer.alloc(2 * 1024 * 1024, 0x20);
    const wide = zipOf([...xlsxSkeleton(), ...Array.from({ length: 60 }, (_, i) => ({ name: `xl/media/pad${i}.bin`, data: chunk }))]);
    expect(wide.length).toBeLessThan(1024 * 1024);
    expect(checkXlsxZip(wide)).toEqual({ ok: false, message: MESSAGES.zipTooLarge });
    const many = zipOf([...xlsxSkeleton(), ...Array.from({ length: 2_001 }, (_, i) => ({ name: `xl/x${i}.xml`, data: Buffer.from('<x/>') }))]);
    expect(checkXlsxZip(many)).toEqual({ ok: false, message: MESSAGES.zipEntries });
  });

  it('refuses entry names that climb out or are absolute, and encrypted or broken archives', () => {
    for (const name of ['../evil.xml', 'xl/../../evil.xml', '/etc/passwd', 'C:\\evil.xml', '..\\evil.xml']) {
      expect(unsafeEntryName(name), name).toBe(true);
      expect(checkXlsxZip(zipOf([...xlsxSkeleton(), { name, data: Buffer.from('x') }]))).toEqual({ ok: false, message: MESSAGES.zipUnsafeName });
    }
    expect(unsafeEntryName('xl/a..b.xml')).toBe(false);
    const encrypted = zipOf(xlsxSkeleton());
    encrypted.writeUInt16LE(0x0801, encrypted.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 8);
    expect(checkXlsxZip(encrypted)).toEqual({ ok: false, message: MESSAGES.zipEncrypted });
    const truncated = zipOf(xlsxSkeleton()).subarray(0, 60);
    expect(checkXlsxZip(truncated)).toEqual({ ok: false, message: MESSAGES.zipCorrupt });
  });
});
