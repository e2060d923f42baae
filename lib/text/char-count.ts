// 字数 as WPS and Word count it: every CJK character and every full-width punctuation mark or
// symbol counts 1; a run of Latin letters and digits (with the ASCII punctuation inside it, as
// in COVID-19 or 3.5%) counts 1; white space of any width counts 0. Text pasted from the web
// often carries ASCII , : ( ) where full-width marks belong, so punctuation standing on its own
// counts 1 a mark, as its full-width form would.

const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3001-\u303F\u3200-\u33FF\uFE30-\uFE4F\uFF01-\uFF60\uFFE0-\uFFEE\u2010-\u2027\u2030-\u205E\u00B7]/u;
const SPACE = /[\s\u3000\u00A0\uFEFF]/u;
const WORDISH = /[\p{L}\p{N}]/u;

export function countChars(text: string): number {
  let count = 0;
  let runLength = 0;
  let runHasWord = false;
  const endRun = () => {
    if (runLength > 0) count += runHasWord ? 1 : runLength;
    runLength = 0;
    runHasWord = false;
  };
  for (const ch of text) {
    if (SPACE.test(ch)) {
      endRun();
    } else if (WIDE.test(ch)) {
      endRun();
      count += 1;
    } else {
      runLength += 1;
      if (WORDISH.test(ch)) runHasWord = true;
    }
  }
  endRun();
  return count;
}

export type LimitState = 'empty' | 'under' | 'ok' | 'over';

/** Where a count stands against an assignment's limits (max 0 means none). */
export function limitState(count: number, min: number, max: number): LimitState {
  if (count === 0) return 'empty';
  if (count < min) return 'under';
  if (max > 0 && count > max) return 'over';
  return 'ok';
}
