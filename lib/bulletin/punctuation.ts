// Offices write full-width marks in Chinese text. The portal's own words in a 简报 (labels, 报尾,
// the default title and 过渡语) must never put a half-width , : ; ? ! ( ) next to a Chinese
// character; the speakers' text is theirs and is left as written.

const CJK = '\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff';
const HALF = ',:;?!()';
const NEXT_TO_CJK = new RegExp(`[${CJK}][${HALF.replace(/[()?]/gu, '\\$&')}]|[${HALF.replace(/[()?]/gu, '\\$&')}][${CJK}]`, 'gu');

/** Every half-width mark that touches a Chinese character, as the pair found (报:, (共). */
export function halfWidthNextToChinese(text: string): string[] {
  return [...text.matchAll(NEXT_TO_CJK)].map((m) => m[0]);
}
