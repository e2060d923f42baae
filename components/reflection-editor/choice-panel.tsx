'use client';

import { useEffect, useRef } from 'react';
import { countChars } from '@/lib/text/char-count';
import { buttonClass } from '@/components/ui/button-class';
import { ReflectionText } from '@/components/reflection-view/reflection-text';
import type { Divergence } from './draft-sync';
import { clockLabel } from './format';

function Copy({
  heading,
  at,
  title,
  body,
  newer,
  today,
}: {
  heading: string;
  at: number;
  title: string;
  body: string;
  newer: boolean;
  today: string;
}) {
  return (
    <div className="min-w-0 rounded-md border border-stone-300 bg-white p-3">
      <h3 className="flex flex-wrap items-center gap-2 text-base font-semibold">
        {heading}
        {newer ? <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900">较新</span> : null}
      </h3>
      <p className="mt-1 text-sm text-stone-600">
        修改于 {clockLabel(at, today)} · 字数 {countChars(body)}
      </p>
      <p className="mt-2 break-words font-medium">{title || '（无标题）'}</p>
      <div className="mt-1 max-h-64 overflow-y-auto rounded border border-stone-100 bg-stone-50 p-2 text-sm">
        <ReflectionText body={body} className="text-sm leading-7" />
      </div>
    </div>
  );
}

/**
 * Two copies that differ: the browser's (or this page's) and the server's. Nothing is saved
 * until the cadre picks one; the other is not kept, so both are shown in full first.
 */
export function ChoicePanel({
  divergence,
  today,
  onKeepMine,
  onTakeServer,
}: {
  divergence: Divergence;
  today: string;
  onKeepMine: () => void;
  onTakeServer: () => void;
}) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  const { reason, mine, mineAt, server } = divergence;
  const restore = reason === 'restore';
  return (
    <section aria-labelledby="choice-heading" className="rounded-lg border-2 border-amber-400 bg-amber-50 p-4">
      <h2 id="choice-heading" ref={headingRef} tabIndex={-1} className="text-lg font-semibold text-amber-950">
        {restore ? '本机保存的内容与服务器上的不同' : '这篇心得在别处修改过'}
      </h2>
      <p className="mt-1 text-base text-stone-800">
        {restore
          ? '上次编辑的内容没有全部保存到服务器。请比较两份内容，选择要继续使用的一份；另一份将被替换。'
          : '在另一个窗口或设备上保存过更新的内容。请比较两份内容，选择要保留的一份；另一份将被替换。'}
      </p>
      <div className="mt-3 grid gap-3 md:grid-cols-2">
        <Copy
          heading={restore ? '本机保存的版本' : '本页的版本'}
          at={mineAt}
          title={mine.title}
          body={mine.body}
          newer={mineAt > server.updatedAt}
          today={today}
        />
        <Copy
          heading="服务器上的版本"
          at={server.updatedAt}
          title={server.title}
          body={server.body}
          newer={server.updatedAt > mineAt}
          today={today}
        />
      </div>
      <div className="mt-3 flex flex-wrap gap-2">
        <button type="button" className={buttonClass('primary')} onClick={onKeepMine}>
          {restore ? '使用本机保存的版本' : '保留本页的版本'}
        </button>
        <button type="button" className={buttonClass('secondary')} onClick={onTakeServer}>
          使用服务器上的版本
        </button>
      </div>
    </section>
  );
}
