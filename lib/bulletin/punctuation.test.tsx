import JSZip from 'jszip';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BulletinPrintView, BulletinWebView } from '@/components/bulletin/bulletin-view';
import { bulletinDocxBuffer } from './docx';
import { sampleContent } from './fixtures';
import { DEFAULT_TRANSITION, defaultBulletinTitle, paragraphsOf, toPlainText, toWechatHtml, type BulletinContent } from './format';
import { halfWidthNextToChinese } from './punctuation';

// Renders every export of a sample 简报 and looks for half-width marks next to Chinese in what
// the portal generated. The speakers' paragraphs (pasted from the web, half-width) are removed
// first: they are the speakers' own text.

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'" };

function htmlText(html: string): string {
  return html
    .replace(/<\/(p|h[1-6]|section|header|footer|span)>/gu, '\n')
    .replace(/<[^>]+>/gu, '')
    .replace(/&(amp|lt|gt|quot|#39|#x27);/gu, (e) => ENTITIES[e] ?? e);
}

function withoutSpeakers(text: string, c: BulletinContent): string {
  let out = text;
  for (const item of c.items) for (const p of paragraphsOf(item.body)) out = out.split(p).join('');
  return out;
}

async function docxText(c: BulletinContent): Promise<string> {
  const zip = await JSZip.loadAsync(await bulletinDocxBuffer(c));
  const parts = Object.keys(zip.files).filter((f) => /^word\/(document|footer\d+|header\d+)\.xml$/u.test(f));
  const xml = (await Promise.all(parts.map((f) => zip.file(f)?.async('string') ?? ''))).join('\n');
  // Paragraph by paragraph, runs joined: what a reader sees.
  return xml
    .split('</w:p>')
    .map((p) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/gu)].map((m) => m[1]).join(''))
    .join('\n')
    .replace(/&(amp|lt|gt|quot|#39|#x27);/gu, (e) => ENTITIES[e] ?? e);
}

/** A bulletin as a new organizer's draft is: generated defaults, typed parts full-width, speakers half-width. */
function draft(): BulletinContent {
  const base = sampleContent();
  return { ...base, title: defaultBulletinTitle(base), transition: DEFAULT_TRANSITION, meetingTitle: '第三次集中学习' };
}

describe('full-width punctuation in every 简报 export', () => {
  const c = draft();
  const exports: [string, () => Promise<string> | string][] = [
    ['纯文本 (.txt)', () => toPlainText(c)],
    ['公众号 HTML', () => htmlText(toWechatHtml(c))],
    ['Word (.docx)', () => docxText(c)],
    ['网页预览', () => htmlText(renderToStaticMarkup(<BulletinWebView content={c} />))],
    ['打印版', () => htmlText(renderToStaticMarkup(<BulletinPrintView content={c} />))],
  ];
  for (const [name, render] of exports) {
    it(`${name}: no half-width , : ; ? ! ( ) next to Chinese outside the speakers' text`, async () => {
      const text = await render();
      // The speakers' half-width marks are there and would be found: the check is not vacuous.
      expect(halfWidthNextToChinese(text).length).toBeGreaterThan(0);
      expect(halfWidthNextToChinese(withoutSpeakers(text, c))).toEqual([]);
      expect(text).toContain('报：区委办公室');
      expect(text).toContain('（共印40份）');
    });
  }

  it('finds the marks it is meant to find', () => {
    expect(halfWidthNextToChinese('报:区委组织部 如下: (共印40份) 2020:30 ok, fine')).toEqual(['报:', '下:', '(共', '份)']);
  });
});
