import { describe, expect, it } from 'vitest';
import { countChars, limitState } from './char-count';

describe('字数', () => {
  it('counts each CJK character once', () => {
    expect(countChars('学思践悟')).toBe(4);
  });

  it('counts full-width punctuation, quotes, dashes and ellipses once each', () => {
    expect(countChars('一是\uFF0C二是\u3002')).toBe(6);
    expect(countChars('\uFF08共印50份\uFF09')).toBe(6);
    expect(countChars('“四高城区”')).toBe(6);
    expect(countChars('《论党的自我革命》')).toBe(9);
    expect(countChars('大考——检验……')).toBe(8);
    expect(countChars('街道党工委副书记  邵晓燕\uFF1A习近平')).toBe(15);
  });

  it('counts a run of Latin letters or digits as one', () => {
    expect(countChars('GDP')).toBe(1);
    expect(countChars('2020年5月9日')).toBe(6);
    expect(countChars('COVID-19 疫情')).toBe(3);
    expect(countChars('增长3.5%')).toBe(3);
    expect(countChars('hello world')).toBe(2);
  });

  it('counts no spaces, ideographic spaces, tabs or blank lines', () => {
    expect(countChars('  学习\n\n\n心得\t 　体会  ')).toBe(6);
    expect(countChars('')).toBe(0);
    expect(countChars('\n \n　\n')).toBe(0);
  });

  it('counts ASCII punctuation standing in for full-width marks one each', () => {
    expect(countChars('一是,二是。')).toBe(6);
    expect(countChars('(共印50份)')).toBe(6);
    expect(countChars('如下:')).toBe(3);
    expect(countChars('学习 - 心得')).toBe(5);
  });

  it('counts full-width letters and digits one each', () => {
    expect(countChars('ＡＢ１２')).toBe(4);
  });

  it('places a count against the limits', () => {
    expect(limitState(0, 100, 2000)).toBe('empty');
    expect(limitState(99, 100, 2000)).toBe('under');
    expect(limitState(100, 100, 2000)).toBe('ok');
    expect(limitState(2001, 100, 2000)).toBe('over');
    expect(limitState(50000, 0, 0)).toBe('ok');
  });
});
