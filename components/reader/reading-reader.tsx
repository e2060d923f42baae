'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, useTransition } from 'react';
import { setReaderTextSizeAction } from '@/app/(cadre)/my/reader/actions';
import { addPendingQuote } from '@/components/reflection-editor/pending-quotes';
import { buttonClass } from '@/components/ui/button-class';
import { formatQuote, MAX_QUOTE_CHARS } from '@/lib/readings/quotes';

export interface ReaderSection {
  id: number;
  heading: string;
  paragraphs: string[];
}

const SIZES = [
  { value: 0, label: '标准', text: 'text-[18px]' },
  { value: 1, label: '大', text: 'text-[21px]' },
  { value: 2, label: '特大', text: 'text-[25px]' },
] as const;

/**
 * The reader for phones: chapter list, three remembered text sizes, generous line height and
 * paragraph spacing. Selecting a passage offers 引用到心得, which hands the quotation to the
 * assignment's editor (components/reflection-editor/pending-quotes.ts) and goes back to it.
 */
export function ReadingReader({
  userId,
  assignmentId,
  readingId,
  title,
  source,
  sections,
  textSize,
}: {
  userId: number;
  assignmentId: number;
  readingId: number;
  title: string;
  source: string;
  sections: ReaderSection[];
  textSize: number;
}) {
  const router = useRouter();
  const [size, setSize] = useState(textSize);
  const [sizeError, setSizeError] = useState<string | null>(null);
  const [, startSaving] = useTransition();
  const [selected, setSelected] = useState('');
  const [quoteError, setQuoteError] = useState<string | null>(null);
  const articleRef = useRef<HTMLElement>(null);
  const editorHref = `/my/assignments/${assignmentId}`;

  useEffect(() => {
    // A tap on the bar collapses the selection on a phone, so the last passage chosen is kept until used or dismissed.
    const changed = () => {
      const sel = document.getSelection();
      if (!sel || sel.isCollapsed || sel.rangeCount === 0) return;
      const article = articleRef.current;
      if (!article || !article.contains(sel.anchorNode) || !article.contains(sel.focusNode)) return;
      const text = sel.toString().trim();
      if (text.length >= 2) setSelected(text.slice(0, MAX_QUOTE_CHARS));
    };
    document.addEventListener('selectionchange', changed);
    return () => document.removeEventListener('selectionchange', changed);
  }, []);

  function choose(next: number) {
    setSize(next);
    setSizeError(null);
    startSaving(async () => {
      try {
        const r = await setReaderTextSizeAction({ size: next });
        if (!r.ok) setSizeError(`字号没有记住：${r.message}`);
      } catch {
        setSizeError('网络中断，字号没有记住，下次打开仍是原来的字号');
      }
    });
  }

  function quote() {
    if (!selected) return;
    if (!addPendingQuote(userId, assignmentId, { text: formatQuote(selected, title), readingId })) {
      setQuoteError('这个浏览器不能暂存引文，请复制所选文字后粘贴到心得中');
      return;
    }
    router.push(editorHref);
  }

  const sizeClass = SIZES.find((s) => s.value === size)?.text ?? SIZES[0].text;
  const headed = sections.filter((s) => s.heading);

  return (
    <div className="mx-auto max-w-3xl pb-40">
      <header className="mb-4">
        <Link href={editorHref} className="inline-flex min-h-11 items-center text-base text-brand-700 underline underline-offset-2">
          ‹ 返回心得
        </Link>
        <h1 className="mt-1 text-2xl font-bold break-words text-stone-900">{title}</h1>
        {source ? <p className="mt-1 text-base text-stone-600">出处：{source}</p> : null}
      </header>

      <div role="group" aria-labelledby="reader-size-label" className="mb-4 flex flex-wrap items-center gap-2">
        <span id="reader-size-label" className="text-base text-stone-700">
          字号
        </span>
        {SIZES.map((s) => (
          <button
            key={s.value}
            type="button"
            aria-pressed={size === s.value}
            onClick={() => choose(s.value)}
            className={`min-h-11 min-w-14 rounded-md border px-3 text-base ${
              size === s.value ? 'border-brand-700 bg-brand-700 font-semibold text-white' : 'border-stone-300 bg-white text-stone-800 hover:bg-stone-100'
            }`}
          >
            {s.label}
            {size === s.value ? <span className="sr-only">（当前）</span> : null}
          </button>
        ))}
        {sizeError ? (
          <p role="alert" className="basis-full text-sm text-red-700">
            {sizeError}
          </p>
        ) : null}
      </div>

      {headed.length > 0 ? (
        <details className="mb-5 rounded-lg border border-stone-200 bg-white" open={headed.length <= 8}>
          <summary className="flex min-h-11 cursor-pointer items-center px-4 text-base font-semibold">章节目录（{headed.length}）</summary>
          <nav aria-label="章节目录">
            <ol className="px-2 pb-2">
              {headed.map((s) => (
                <li key={s.id}>
                  <a href={`#section-${s.id}`} className="flex min-h-11 items-center rounded-md px-2 text-base break-words text-brand-700 hover:bg-stone-50">
                    {s.heading}
                  </a>
                </li>
              ))}
            </ol>
          </nav>
        </details>
      ) : null}

      <p className="mb-3 text-sm text-stone-600">选中一段文字后，点屏幕下方的“引用到心得”，引文会加到心得正文末尾。</p>

      <article ref={articleRef} aria-label={`${title}原文`} className={`rounded-lg border border-stone-200 bg-white px-4 py-5 sm:px-8 ${sizeClass} leading-[1.9] text-stone-900`}>
        {sections.map((s) => (
          <section key={s.id} id={`section-${s.id}`} aria-label={s.heading || undefined} className="scroll-mt-4">
            {s.heading ? <h2 className="mt-[1.2em] mb-[0.6em] text-[1.15em] leading-[1.6] font-bold first:mt-0">{s.heading}</h2> : null}
            {s.paragraphs.map((p, i) => (
              <p key={i} className="mb-[0.9em] indent-[2em] break-words">
                {p}
              </p>
            ))}
          </section>
        ))}
      </article>

      {selected ? (
        <div role="region" aria-label="引用所选文字" className="fixed inset-x-0 bottom-0 z-20 border-t border-stone-300 bg-white/95 px-4 py-3 shadow-lg backdrop-blur">
          <div className="mx-auto flex max-w-3xl flex-col gap-2">
            <p className="line-clamp-2 text-base break-words text-stone-800">
              已选 {Array.from(selected).length} 字：“{selected}”
            </p>
            {quoteError ? (
              <p role="alert" className="text-sm text-red-700">
                {quoteError}
              </p>
            ) : null}
            <div className="flex gap-2">
              <button type="button" onClick={quote} className={`${buttonClass('primary')} flex-1`}>
                引用到心得
              </button>
              <button type="button" onClick={() => setSelected('')} className={buttonClass('secondary')}>
                取消
              </button>
            </div>
          </div>
        </div>
      ) : null}
    </div>
  );
}
