import { describe, expect, it } from 'vitest';
import { attachmentDisposition, escapeCell } from './escape';

describe('escapeCell', () => {
  it('puts an apostrophe before = + - @ tab and carriage return, and nothing else', () => {
    for (const bad of ['=SUM(1)', '+86 139', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) expect(escapeCell(bad)).toBe(`'${bad}`);
    for (const fine of ['夏定阳', 'a=b', ' =1', '', '13907101234']) expect(escapeCell(fine)).toBe(fine);
  });

  it('names a download in UTF-8 with an ASCII fallback', () => {
    expect(attachmentDisposition('交稿情况.xlsx', 'tracker-1.xlsx')).toBe(
      `attachment; filename="tracker-1.xlsx"; filename*=UTF-8''%E4%BA%A4%E7%A8%BF%E6%83%85%E5%86%B5.xlsx`,
    );
  });
});
