import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { attachment, escapeCell, toCsv, toXlsx } from './export';
import { decodeText, parseCsv } from './csv';

describe('escaping cells that a spreadsheet would run as formulas', () => {
  it('puts an apostrophe before = + - @ tab and carriage return, and nothing else', () => {
    for (const bad of ['=1+2', '+86 139', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '=HYPERLINK("http://x.example")']) {
      expect(escapeCell(bad)).toBe(`'${bad}`);
    }
    for (const fine of ['夏定阳', '13907101234', 'a=b', ' =1', '', "'already"]) {
      expect(escapeCell(fine)).toBe(fine);
    }
  });

  it('escapes every CSV cell, quotes where needed, and writes UTF-8 with a BOM and CRLF', () => {
    const buf = toCsv(['账号', '姓名'], [['=cmd|"/c calc"!A1', '王,晓丽'], ['@x', '李"四"']]);
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = buf.subarray(3).toString('utf8');
    expect(text).toBe(`账号,姓名\r\n"'=cmd|""/c calc""!A1","王,晓丽"\r\n'@x,"李""四"""\r\n`);
    const decoded = decodeText(buf);
    const back = decoded.ok ? parseCsv(decoded.text, 10) : null;
    expect(back?.ok && back.rows[1]?.cells).toEqual(["'=cmd|\"/c calc\"!A1", '王,晓丽']);
  });

  it('escapes .xlsx cells too, and writes them as text, never as formulas', async () => {
    const buf = await toXlsx({ name: '花名册', columns: [{ header: '姓名' }, { header: '职务' }], rows: [['=1+2', '-3'], ['夏定阳', '书记']] });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    expect(ws.getCell('A2').value).toBe("'=1+2");
    expect(ws.getCell('B2').value).toBe("'-3");
    expect(ws.getCell('A3').value).toBe('夏定阳');
    expect(ws.getCell('A2').type).toBe(ExcelJS.ValueType.String);
  });

  it('escapes the cells of a sheet written in the roster process (the password sheet) the same way', async () => {
    const buf = await toXlsx({ name: '初始密码', columns: [{ header: '账号' }, { header: '姓名' }], rows: [['@x', '=1+2'], ['xiady', '夏定阳']] }, { offThread: true });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    expect(ws.getCell('A2').value).toBe("'@x");
    expect(ws.getCell('B2').value).toBe("'=1+2");
    expect(ws.getCell('B3').value).toBe('夏定阳');
  });

  it('names a download in Chinese with an ASCII fallback', () => {
    expect(attachment('花名册.csv', 'roster.csv')).toBe(`attachment; filename="roster.csv"; filename*=UTF-8''%E8%8A%B1%E5%90%8D%E5%86%8C.csv`);
  });
});
