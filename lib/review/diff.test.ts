import { describe, expect, it } from 'vitest';
import { diffChars, diffStats, diffTexts } from './diff';
import { isTypingTarget, reviewKeyAction } from './keys';

describe('diffTexts', () => {
  it('keeps unchanged paragraphs and marks added and removed ones', () => {
    const a = '一是坚持以上率下。\n二是坚持问需于民。';
    const b = '一是坚持以上率下。\n二是坚持问需于民。\n三是坚持久久为功。';
    expect(diffTexts(a, b)).toEqual([
      { kind: 'same', text: '一是坚持以上率下。' },
      { kind: 'same', text: '二是坚持问需于民。' },
      { kind: 'ins', text: '三是坚持久久为功。' },
    ]);
  });

  it('compares a rewritten paragraph character by character', () => {
    const d = diffTexts('围绕加装电梯做到件件有回音。', '围绕加装电梯、停车难做到件件有回音。');
    expect(d).toEqual([
      {
        kind: 'changed',
        parts: [
          { kind: 'same', text: '围绕加装电梯' },
          { kind: 'ins', text: '、停车难' },
          { kind: 'same', text: '做到件件有回音。' },
        ],
      },
    ]);
    expect(diffStats(d)).toEqual({ inserted: 4, deleted: 0 });
  });

  it('shows an unrelated replacement as a deletion and an insertion', () => {
    expect(diffTexts('甲乙丙丁', '子丑寅卯')).toEqual([
      { kind: 'del', text: '甲乙丙丁' },
      { kind: 'ins', text: '子丑寅卯' },
    ]);
  });

  it('diffChars handles deletions in the middle', () => {
    expect(diffChars('基层社会治理', '基层治理')).toEqual([
      { kind: 'same', text: '基层' },
      { kind: 'del', text: '社会' },
      { kind: 'same', text: '治理' },
    ]);
  });
});

describe('review keys', () => {
  it('maps letters to actions and leaves modified keys to the browser', () => {
    expect(reviewKeyAction({ key: 'j' }, 'detail')).toBe('next');
    expect(reviewKeyAction({ key: 'k' }, 'queue')).toBe('prev');
    expect(reviewKeyAction({ key: 'a' }, 'detail')).toBe('approve');
    expect(reviewKeyAction({ key: 'r' }, 'detail')).toBe('return');
    expect(reviewKeyAction({ key: 't' }, 'detail')).toBe('tag');
    expect(reviewKeyAction({ key: 't' }, 'queue')).toBeNull();
    expect(reviewKeyAction({ key: '?' }, 'queue')).toBe('help');
    expect(reviewKeyAction({ key: 'a', ctrlKey: true }, 'detail')).toBeNull();
  });

  it('treats text fields as typing, checkboxes as not', () => {
    expect(isTypingTarget({ tagName: 'TEXTAREA' } as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'text' } as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'checkbox' } as unknown as EventTarget)).toBe(false);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: false } as unknown as EventTarget)).toBe(false);
  });
});
