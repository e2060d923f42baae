import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { bulletinDocxBuffer } from './docx';
import { HEADING_STYLE, INLINE_STYLE, sampleContent } from './fixtures';
import {
  bulletinCharCounts,
  bulletinFileName,
  contentDisposition,
  defaultBulletinTitle,
  defaultHeadline,
  formatIssuedOn,
  nextBulletinNumber,
  printHeadline,
  toPlainText,
  toWechatHtml,
} from './format';
import { chineseNumber, parseBulletin } from './parse';

describe('numbering and titles', () => {
  it('suggests one past the highest number, 1 for the first', () => {
    expect(nextBulletinNumber([])).toBe(1);
    expect(nextBulletinNumber([1, 2, 5])).toBe(6);
    expect(nextBulletinNumber([3, 1])).toBe(4);
  });
  it('makes the default title 【栏目】{course}简报（第N期）', () => {
    expect(defaultBulletinTitle({ columnName: '书记读书班', courseName: '2020年全区党组织书记读书班', number: 2 })).toBe(
      '【书记读书班】2020年全区党组织书记读书班简报（第2期）',
    );
    expect(defaultBulletinTitle({ columnName: '', courseName: '读书班', number: 1 })).toBe('读书班简报（第1期）');
  });
  it('writes dates as 2020年5月9日 and reads Chinese numerals', () => {
    expect(formatIssuedOn('2020-05-09')).toBe('2020年5月9日');
    expect(chineseNumber('十二')).toBe(12);
    expect(chineseNumber('二十')).toBe(20);
    expect(chineseNumber('7')).toBe(7);
  });
  it('counts 字数 per item and in total', () => {
    const c = sampleContent();
    const counts = bulletinCharCounts(c);
    expect(counts.items).toHaveLength(3);
    expect(counts.items[1]).toBe(21);
    expect(counts.total).toBeGreaterThan(counts.itemsTotal);
  });
  it('gives a UTF-8 file name in Content-Disposition', () => {
    const name = bulletinFileName(sampleContent(), 'docx');
    expect(name).toBe('【书记读书班】2021年临江区党组织书记读书班简报（第3期）.docx');
    expect(contentDisposition(name)).toContain(`filename*=UTF-8''${encodeURIComponent(name)}`);
    expect(contentDisposition(name)).toMatch(/^attachment; filename="[\x20-\x7e]+";/u);
  });
});

describe('parseBulletin', () => {
  it('reads the heading style with a byline, a date, several posts and the 报尾', () => {
    const p = parseBulletin(HEADING_STYLE);
    expect(p.title).toBe('【干部读书班】2021年临江区党组织书记读书班简报(第3期)');
    expect(p.number).toBe(3);
    expect(p.editor).toBe('林海燕');
    expect(p.issuedOn).toBe('2021-06-18');
    expect(p.lead).toMatch(/^6月17日上午/u);
    expect(p.summary).toMatch(/^大家一致认为/u);
    expect(p.transition).toBe('现将学员讨论发言情况整理如下:');
    expect(p.items.map((i) => [i.authorTitle, i.authorName])).toEqual([
      ['清河镇党委书记、清河湿地保护区党工委书记', '欧阳明远'],
      ['东湖街道党工委副书记、办事处主任', '宋佳'],
    ]);
    // Blank lines and indents inside an item are not paragraphs of their own; a spaced-out line stays text.
    expect(p.items[0]?.body.split('\n')).toHaveLength(2);
    expect(p.items[1]?.body).toContain('苏 明 亮');
    expect([p.reportTo, p.sendTo, p.issueTo, p.copies]).toEqual(['区委办公室', '区委组织部', '各镇街党组织', 40]);
    expect(p.dropped).toEqual(expect.arrayContaining(['首页 > 工作动态 > 正文', '点赞 0']));
  });

  it('reads the inline style with two spaces, full-width spaces, both colons; drops 相关阅读 and after', () => {
    const p = parseBulletin(INLINE_STYLE);
    expect(p.title).toBe('持续深化理论学习 推动工作落地见效');
    expect(p.issuedOn).toBe('2022-09-02');
    expect(p.number).toBeNull();
    expect(p.items.map((i) => [i.authorTitle, i.authorName])).toEqual([
      ['街道党工委书记、人大工委主任', '韩立群'],
      ['街道党工委副书记', '郑晓'],
      ['街道办事处副主任', '陆雯雯'],
    ]);
    expect(p.items[0]?.body.split('\n')).toEqual([
      '理论学习要往深里走、往实里走,做到学思用贯通、知信行统一。',
      '一是坚持以上率下,带头读原文、悟原理。',
      '二是坚持问题导向,把调查研究作为基本功。',
    ]);
    expect(p.items[2]?.body).toBe('要把学习成效体现在为民办实事上。');
    expect(p.lead).toMatch(/^9月1日/u);
    expect(p.dropped).toEqual(['相关阅读', '另一篇文章的标题']);
  });

  it('takes a name-only heading when the name is on the roster or items have started', () => {
    const text = ['读书班简报(第十二期)', '本期导语。', '现将发言摘编如下:', '王晓东', '第一段发言。', '区委党校教授 李岚', '第二段发言。'].join('\n');
    const p = parseBulletin(text);
    expect(p.number).toBe(12);
    expect(p.items.map((i) => i.heading)).toEqual(['王晓东', '区委党校教授 李岚']);
    const roster = parseBulletin(['标题', '导语。', '陈静', '她的发言。'].join('\n'), { knownNames: ['陈静'] });
    expect(roster.items.map((i) => i.authorName)).toEqual(['陈静']);
    // A short phrase that is not a name stays text.
    const phrase = parseBulletin(['标题', '现将发言整理如下:', '区长 周强', '学深悟透', '要学深悟透。'].join('\n'));
    expect(phrase.items[0]?.body).toBe('学深悟透\n要学深悟透。');
  });

  it('handles stray spaces around 、 and ASCII colons, and ignores sentences that look like speech', () => {
    const text = [
      '标题',
      '习近平总书记指出:要坚持人民至上。',
      '镇党委书记 、 镇长  何建军:要抓好落实。',
      '社区党总支书记 马丽:',
      '把服务做到家门口。',
    ].join('\n');
    const p = parseBulletin(text);
    expect(p.lead).toBe('习近平总书记指出:要坚持人民至上。');
    expect(p.items.map((i) => [i.authorTitle, i.authorName, i.body])).toEqual([
      ['镇党委书记、镇长', '何建军', '要抓好落实。'],
      ['社区党总支书记', '马丽', '把服务做到家门口。'],
    ]);
  });

  it('reads a printed bulletin head: 报头 name, 第N期, 编印单位 and date', () => {
    const text = ['书记读书班简报', '第5期', '中共临江区委组织部    2021年7月2日', '读书班第五次集中学习侧记', '导语。', '区长 周强', '发言。'].join('\n');
    const p = parseBulletin(text);
    expect([p.number, p.publisher, p.issuedOn, p.title]).toEqual([5, '中共临江区委组织部', '2021-07-02', '读书班第五次集中学习侧记']);
    expect(p.items).toHaveLength(1);
  });
});

describe('round trip', () => {
  it('a compiled bulletin in plain text, imported again, gives the same items', () => {
    const c = sampleContent();
    const p = parseBulletin(toPlainText(c));
    expect(p.title).toBe(c.title);
    expect(p.number).toBe(c.number);
    expect(p.editor).toBe(c.editor);
    expect(p.issuedOn).toBe(c.issuedOn);
    expect(p.transition).toBe(c.transition);
    expect(p.summary).toBe(c.summary);
    expect(p.lead).toBe(c.lead);
    expect(p.items.map((i) => ({ heading: i.heading, authorName: i.authorName, authorTitle: i.authorTitle, body: i.body }))).toEqual(c.items);
    expect([p.reportTo, p.sendTo, p.issueTo, p.copies]).toEqual([c.reportTo, c.sendTo, c.issueTo, c.copies]);
  });
});

describe('WeChat HTML', () => {
  it('uses inline styles only and escapes every text', () => {
    const html = toWechatHtml(sampleContent({ title: '<script>alert(1)</script>' }));
    expect(html).not.toMatch(/<script|class=|<style/iu);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('&amp; &lt;不打折扣&gt;');
    expect(html).toContain('<strong>东湖街道党工委副书记、办事处主任 宋佳</strong>');
  });
});

describe('bulletinDocxBuffer', () => {
  it('is A4 with GB/T 9704 margins, fonts and sizes, and the items in order', async () => {
    const buf = await bulletinDocxBuffer(sampleContent());
    expect(buf.subarray(0, 2).toString()).toBe('PK');
    const zip = await JSZip.loadAsync(buf);
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/u);
    expect(xml).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588"/u);
    expect(xml).toContain('w:eastAsia="仿宋_GB2312"');
    expect(xml).toContain('w:eastAsia="方正小标宋简体"');
    expect(xml).toContain('w:eastAsia="黑体"');
    expect(xml).toMatch(/<w:sz w:val="44"\/>/u);
    expect(xml).toMatch(/<w:spacing w:after="0" w:before="0" w:line="578" w:lineRule="exact"\/>/u);
    expect(xml).toMatch(/<w:ind w:firstLine="640"\/>/u);
    expect(xml).toContain('w:color="FF0000"');
    expect(xml).toContain('书记读书班简报');
    expect(xml).toContain('第3期');
    expect(xml).toContain('2021年6月18日');
    const headings = sampleContent().items.map((i) => xml.indexOf(`>${i.heading.replace('&', '&amp;')}<`));
    expect(headings.every((h) => h > 0)).toBe(true);
    expect([...headings].sort((a, b) => a - b)).toEqual(headings);
    expect(xml.indexOf('报：区委办公室')).toBeGreaterThan(headings[2] as number);
    expect(xml).toContain('（共印40份）');
    // Body text is escaped, not injected.
    expect(xml).toContain('&amp; &lt;不打折扣&gt;');
    const styles = (await zip.file('word/styles.xml')?.async('string')) ?? '';
    expect(styles).toMatch(/<w:sz w:val="32"\/>/u);
    const footers = Object.keys(zip.files).filter((f) => /^word\/footer\d+\.xml$/u.test(f));
    expect(footers.length).toBe(2);
    const footer = (await zip.file(footers[0] as string)?.async('string')) ?? '';
    expect(footer).toContain('PAGE');
    expect(footer).toContain('w:eastAsia="宋体"');
    expect(footer).toMatch(/<w:sz w:val="28"\/>/u);
    expect(footer).toContain('— ');
  });
});

describe('import: 小结, 过渡语 and dates', () => {
  it('splits the 小结 from the transition sentence that ends its paragraph', () => {
    const text = [
      '读书班第二次集中学习侧记',
      '2021年6月18日',
      '6月17日上午，读书班举行第二次集中学习，区委组织部副部长作辅导讲话。',
      '大家一致认为，要把学习成果转化为推动基层治理的实际行动。现将学员讨论发言情况整理如下：',
      '东湖街道党工委副书记 宋佳',
      '通过学习，我深刻体会到三方共治的重要意义。',
    ].join('\n');
    const p = parseBulletin(text);
    expect(p.lead).toBe('6月17日上午，读书班举行第二次集中学习，区委组织部副部长作辅导讲话。');
    expect(p.summary).toBe('大家一致认为，要把学习成果转化为推动基层治理的实际行动。');
    expect(p.transition).toBe('现将学员讨论发言情况整理如下：');
    // Half-width marks as scraped from the web are read the same.
    const web = parseBulletin(text.replace(/，/gu, ',').replace(/：/gu, ':'));
    expect([web.summary, web.transition]).toEqual(['大家一致认为,要把学习成果转化为推动基层治理的实际行动。', '现将学员讨论发言情况整理如下:']);
  });

  it('keeps a lone paragraph ending in the transition as 导语 and 过渡语', () => {
    const p = parseBulletin(['标题', '5月9日上午，读书班开班。现将发言摘编如下：', '区长 周强', '发言。'].join('\n'), { year: 2020 });
    expect([p.lead, p.summary, p.transition]).toEqual(['5月9日上午，读书班开班。', '', '现将发言摘编如下：']);
  });

  it('reads dates with or without a year, takes the year from the course, and leaves none when there is none', () => {
    const body = ['区长 周强', '发言。'];
    expect(parseBulletin(['标题', '5月9日', '导语。', ...body].join('\n'), { year: 2020 })).toMatchObject({ issuedOn: '2020-05-09', issuedOnFrom: 'head' });
    expect(parseBulletin(['书记读书班简报', '第2期', '中共临江区委组织部    5月9日', '标题', '导语。', ...body].join('\n'), { year: 2021 })).toMatchObject({
      issuedOn: '2021-05-09',
      publisher: '中共临江区委组织部',
      number: 2,
    });
    expect(parseBulletin(['标题', '2020年5月9日', '导语。', ...body].join('\n'), { year: 1999 }).issuedOn).toBe('2020-05-09');
    // No date line: the first date in the 导语, said to come from there.
    expect(parseBulletin(['标题', '6月17日上午，读书班举行集中学习。', ...body].join('\n'), { year: 2021 })).toMatchObject({ issuedOn: '2021-06-17', issuedOnFrom: 'lead' });
    // Without a year to go by, or without any date, nothing is made up.
    expect(parseBulletin(['标题', '5月9日', '导语。', ...body].join('\n')).issuedOn).toBeNull();
    expect(parseBulletin(['标题', '近日，读书班举行集中学习。', ...body].join('\n'), { year: 2021 })).toMatchObject({ issuedOn: null, issuedOnFrom: null });
    expect(parseBulletin(['标题', '2月30日', '导语。', ...body].join('\n'), { year: 2021 }).issuedOn).toBeNull();
  });
});

describe('printed headline', () => {
  it('never repeats the 报头 name or 期号: from the meeting, else the title without 栏目 and 期号', () => {
    const c = sampleContent();
    expect(printHeadline({ ...c, meetingTitle: '第三次集中学习' })).toBe('第三次集中学习交流发言摘编');
    expect(printHeadline(c)).toBe('2021年临江区党组织书记读书班学员交流发言摘编');
    expect(printHeadline({ ...c, title: '持续深化理论学习 推动工作落地见效' })).toBe('持续深化理论学习 推动工作落地见效');
    expect(printHeadline({ ...c, headline: '  学深悟透 知行合一 ', meetingTitle: '开班式' })).toBe('学深悟透 知行合一');
    expect(defaultHeadline({ title: '', courseName: '', meetingTitle: '' })).toBe('学员交流发言摘编');
  });

  it('prints the headline, not the web title, and names the editor in the 报尾, not as a byline', async () => {
    const c = sampleContent({ meetingTitle: '第三次集中学习' });
    const xml = (await (await JSZip.loadAsync(await bulletinDocxBuffer(c))).file('word/document.xml')?.async('string')) ?? '';
    expect(xml).toContain('>第三次集中学习交流发言摘编<');
    expect(xml).not.toContain('（第3期）');
    const editorAt = xml.indexOf('编辑：林海燕');
    expect(editorAt).toBeGreaterThan(xml.indexOf('发：各镇街党组织'));
    expect(xml.indexOf('（共印40份）')).toBeGreaterThan(editorAt);
    expect(xml).not.toContain('>林海燕<');
  });
});
