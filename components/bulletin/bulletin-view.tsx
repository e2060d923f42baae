import { bulletinMasthead, copiesLine, editorLine, formatIssuedOn, paragraphsOf, printHeadline, tailLines, type BulletinContent } from '@/lib/bulletin/format';

// The two faces of a bulletin: the web style (as posted online; the preview and the members'
// page) and the printed style (red 报头, body, 报尾 between rules; the print view).

export function BulletinWebView({ content }: { content: BulletinContent }) {
  return (
    <article className="mx-auto max-w-3xl rounded-lg border border-stone-200 bg-white p-5 text-[17px] leading-8 text-stone-900 sm:p-8">
      <h2 className="text-center text-xl font-bold leading-snug text-red-700 sm:text-2xl">{content.title}</h2>
      <p className="mt-2 text-center text-sm text-stone-600">
        {[content.editor, formatIssuedOn(content.issuedOn)].filter(Boolean).join(' ')}
      </p>
      <div className="mt-5 space-y-3">
        {[...paragraphsOf(content.lead), ...paragraphsOf(content.summary)].map((p, i) => (
          <p key={`l${i}`} className="indent-[2em] break-words">
            {p}
          </p>
        ))}
        {content.transition ? <p className="indent-[2em]">{content.transition}</p> : null}
        {content.items.map((item, i) => (
          <section key={i} aria-label={item.heading} className="space-y-3 pt-2">
            <h3 className="font-bold text-red-800">{item.heading}</h3>
            {paragraphsOf(item.body).map((p, j) => (
              <p key={j} className="indent-[2em] break-words">
                {p}
              </p>
            ))}
          </section>
        ))}
      </div>
      <BulletinTail content={content} className="mt-8 border-t border-stone-300 pt-3 text-sm text-stone-600" />
    </article>
  );
}

function BulletinTail({ content, className, withEditor = false }: { content: BulletinContent; className: string; withEditor?: boolean }) {
  const lines = tailLines(content);
  const copies = copiesLine(content.copies);
  const editor = withEditor ? editorLine(content.editor) : null;
  if (!lines.length && !copies && !editor) return null;
  return (
    <footer className={className}>
      {lines.map((l) => (
        <p key={l}>{l}</p>
      ))}
      {editor || copies ? (
        <p className="flex justify-between gap-4">
          <span>{editor}</span>
          <span>{copies}</span>
        </p>
      ) : null}
    </footer>
  );
}

/** The printed 简报 on A4; the print CSS lives in the print page. */
export function BulletinPrintView({ content }: { content: BulletinContent }) {
  return (
    <article className="bulletin-print">
      <header className="bp-head">
        <p className="bp-masthead">{bulletinMasthead(content.columnName)}</p>
        <p className="bp-number">第{content.number}期</p>
        <p className="bp-line">
          <span>{content.publisher}</span>
          <span>{formatIssuedOn(content.issuedOn)}</span>
        </p>
      </header>
      <h1 className="bp-title">{printHeadline(content)}</h1>
      {[...paragraphsOf(content.lead), ...paragraphsOf(content.summary)].map((p, i) => (
        <p key={`l${i}`} className="bp-p">
          {p}
        </p>
      ))}
      {content.transition ? <p className="bp-p">{content.transition}</p> : null}
      {content.items.map((item, i) => (
        <section key={i}>
          <h2 className="bp-heading">{item.heading}</h2>
          {paragraphsOf(item.body).map((p, j) => (
            <p key={j} className="bp-p">
              {p}
            </p>
          ))}
        </section>
      ))}
      <BulletinTail content={content} className="bp-tail" withEditor />
    </article>
  );
}

export const PRINT_CSS = `
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
.bulletin-print { max-width: 156mm; margin: 0 auto; background: #fff; color: #000;
  font-family: "仿宋_GB2312", "仿宋", FangSong, STFangsong, "Noto Serif CJK SC", serif; font-size: 16pt; line-height: 28.9pt; }
.bp-head { text-align: center; border-bottom: 2px solid #f00; padding-bottom: 4pt; margin-bottom: 18pt; }
.bp-masthead { color: #f00; font-family: "方正小标宋简体", "小标宋", "宋体", SimSun, "Noto Serif CJK SC", serif; font-weight: bold;
  font-size: 40pt; line-height: 1.3; letter-spacing: 4pt; margin: 0; }
.bp-number { margin: 6pt 0; }
.bp-line { display: flex; justify-content: space-between; gap: 12pt; margin: 0; }
.bp-title { text-align: center; font-family: "方正小标宋简体", "小标宋", "宋体", SimSun, "Noto Serif CJK SC", serif; font-weight: bold;
  font-size: 22pt; line-height: 1.5; margin: 28.9pt 0 0; }
.bp-title + .bp-p { margin-top: 28.9pt; }
.bp-p { text-indent: 2em; text-align: justify; margin: 0; overflow-wrap: anywhere; }
.bp-heading { font-family: "黑体", SimHei, "Noto Sans CJK SC", sans-serif; font-weight: normal; font-size: 16pt; text-indent: 2em;
  margin: 0; break-after: avoid; }
.bp-tail { margin-top: 28.9pt; border-top: 1px solid #000; border-bottom: 1px solid #000; font-size: 14pt; padding: 0 1em;
  break-inside: avoid; }
.bp-tail p { margin: 0; }
@media print {
  body { background: #fff !important; }
  .no-print, header[role="banner"], nav { display: none !important; }
  .bulletin-print { max-width: none; }
  .bp-head, .bp-masthead { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
@media screen {
  .bulletin-print { padding: 24px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
  @media (max-width: 640px) { .bulletin-print { font-size: 13pt; line-height: 24pt; padding: 12px; } .bp-masthead { font-size: 26pt; } }
}
`;
