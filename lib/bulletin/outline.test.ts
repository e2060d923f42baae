import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractOutline, outlineExcerpt } from './outline';

// Shapes of real reflections (written for the tests in the register of the samples): points
// inline in one paragraph, one a paragraph, headings on their own lines, nested and mixed.

const leads = (body: string) => extractOutline(body).series.map((s) => [s.kind, s.points.map((p) => p.lead)]);

describe('extractOutline', () => {
  it('finds 一是……二是……三是 inline in one paragraph, with the sentence that announces them', () => {
    const body =
      '按照会议部署要求，我们将重点在三方面拿出切实行动。一是加强力量统筹。深化“一线工作法”，扩大基层治理参与面。二是夯实组织基础，把支部建在楼组上。三是做实为民服务，让群众少跑腿。';
    const o = extractOutline(body);
    expect(o.series).toHaveLength(1);
    expect(o.series[0]?.intro).toBe('按照会议部署要求，我们将重点在三方面拿出切实行动。');
    expect(o.series[0]?.points.map((p) => [p.marker, p.lead])).toEqual([
      ['一是', '加强力量统筹。'],
      ['二是', '夯实组织基础，把支部建在楼组上。'],
      ['三是', '做实为民服务，让群众少跑腿。'],
    ]);
    expect(o.series[0]?.points[0]?.text).toBe('一是加强力量统筹。深化“一线工作法”，扩大基层治理参与面。');
    expect(outlineExcerpt(body)).toBe(
      '按照会议部署要求，我们将重点在三方面拿出切实行动。一是加强力量统筹。二是夯实组织基础，把支部建在楼组上。三是做实为民服务，让群众少跑腿。',
    );
  });

  it('finds 一是 opening each paragraph, half-width commas as pasted from the web', () => {
    const body = [
      '通过这次学习,我对全面从严治党有了更深的认识,下一步要做到三个坚持:',
      '一是要坚持“四个自我”,强化政治担当。要把自我革命精神落到班子建设中。',
      '二是要坚持问题导向,敢于刀刃向内。',
      '三是要坚持久久为功,持续正风肃纪。',
    ].join('\n');
    expect(leads(body)).toEqual([['shi', ['要坚持“四个自我”,强化政治担当。', '要坚持问题导向,敢于刀刃向内。', '要坚持久久为功,持续正风肃纪。']]]);
    expect(extractOutline(body).series[0]?.intro).toBe('通过这次学习,我对全面从严治党有了更深的认识,下一步要做到三个坚持:');
  });

  it('reads headings 一、二、 on their own lines, each with paragraphs under it', () => {
    const body = [
      '这次读书班让我受益匪浅，主要有以下体会。',
      '一、坚定理想信念',
      '理想信念是共产党人精神上的“钙”，要常学常新。',
      '二、践行初心使命',
      '要把群众的小事当作自己的大事。',
      '三、锤炼过硬作风',
      '要在急难险重任务中摔打磨炼。',
    ].join('\n');
    const o = extractOutline(body);
    expect(leads(body)).toEqual([['dun', ['坚定理想信念', '践行初心使命', '锤炼过硬作风']]]);
    expect(o.opening).toBe('这次读书班让我受益匪浅，主要有以下体会。');
    expect(o.series[0]?.points[0]?.text).toBe('一、坚定理想信念\n理想信念是共产党人精神上的“钙”，要常学常新。');
    expect(outlineExcerpt(body)).toBe('这次读书班让我受益匪浅，主要有以下体会。\n一、坚定理想信念。\n二、践行初心使命。\n三、锤炼过硬作风。');
  });

  it('reads （一）（二） headings with 一是 nested inside, and the excerpt keeps the outer level', () => {
    const body = [
      '（一）在抓思路方面',
      '今年我们确定了四个生活圈。一是规划先行，系统谋划养老布局。二是项目跟进，逐项排出时间表。',
      '（二）在抓落实方面',
      '要把任务分解到人，确保按期见效。',
    ].join('\n');
    const o = extractOutline(body);
    expect(o.series.map((s) => s.kind)).toEqual(['paren', 'shi']);
    expect(o.series[1]?.intro).toBe('今年我们确定了四个生活圈。');
    expect(outlineExcerpt(body)).toBe('（一）在抓思路方面。\n（二）在抓落实方面。');
  });

  it('reads 第一，第二，第三， and 首先……其次……最后', () => {
    const first = '谈三点体会。第一，学习要深。要读原著、学原文。第二，思考要实，结合工作想问题。第三，行动要快。';
    expect(leads(first)).toEqual([['di', ['学习要深。', '思考要实，结合工作想问题。', '行动要快。']]]);
    const order = '首先，要提高政治站位。其次，要压实工作责任，层层传导压力。最后，要加强督促检查。';
    expect(leads(order)).toEqual([['order', ['要提高政治站位。', '要压实工作责任，层层传导压力。', '要加强督促检查。']]]);
    expect(outlineExcerpt(order)).toBe('首先，要提高政治站位。其次，要压实工作责任，层层传导压力。最后，要加强督促检查。');
  });

  it('reads numbered lines 1. 2. and (一) with half-width brackets', () => {
    expect(leads('1.加强学习\n多读原文。\n2.改进作风\n多下基层。')).toEqual([['arabic', ['加强学习', '改进作风']]]);
    expect(leads('(一)统一思想。内容。(二)狠抓落实。内容。')).toEqual([['paren', ['统一思想。', '狠抓落实。']]]);
  });

  it('keeps two separate 一是 series of two paragraphs apart (mixed with 第一)', () => {
    const body = [
      '在组织建设上，一是配强班子，二是建强队伍。',
      '在服务群众上，第一，办好实事；第二，解决难题。',
      '在作风建设上，一是立规矩。二是严执纪。三是常提醒。',
    ].join('\n');
    const o = extractOutline(body);
    expect(o.series.map((s) => [s.kind, s.points.length, s.intro])).toEqual([
      ['shi', 2, '在组织建设上，'],
      ['di', 2, '在服务群众上，'],
      ['shi', 3, '在作风建设上，'],
    ]);
    expect(o.series[0]?.points.map((p) => p.lead)).toEqual(['配强班子，', '建强队伍。']);
    expect(outlineExcerpt(body)?.split('\n')[0]).toBe('在组织建设上，一是配强班子。二是建强队伍。');
  });

  it('finds nothing where there are no points: 第一次, 统一是, 一、二线 inside a sentence, a lone 一是', () => {
    expect(extractOutline('第一次集中学习后，大家认为思想统一是前提。一、二线城市的经验可以借鉴。').series).toEqual([]);
    expect(extractOutline('一是要加强学习。然后就没有了。').series).toEqual([]);
    expect(outlineExcerpt('只有一段话，没有分点。')).toBeNull();
    expect(outlineExcerpt('')).toBeNull();
  });
});

// The public samples in ../shared (not shipped with the project): run over them when present.
const SAMPLES = path.resolve(import.meta.dirname, '../../../shared/samples');
describe.skipIf(!existsSync(SAMPLES))('extractOutline on the public samples', () => {
  it('finds the 一是 series in the samples’ speeches and reflections', () => {
    const inline = readFileSync(path.join(SAMPLES, '000_7d30a4144b817138.txt'), 'utf8');
    const o = extractOutline(inline);
    expect(o.series.filter((s) => s.kind === 'shi').length).toBeGreaterThanOrEqual(3);
    for (const s of o.series) for (const p of s.points) expect(p.lead.length).toBeGreaterThan(0);
    const reflections = readFileSync(path.join(SAMPLES, '002_b30c0adc5b0230cc.txt'), 'utf8');
    expect(extractOutline(reflections).series.filter((s) => s.kind === 'shi').length).toBeGreaterThanOrEqual(4);
  });
});
