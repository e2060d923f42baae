'use client';

import { buttonClass } from '@/components/ui/button-class';

// What an import did with the file's title and byline (lib/reflection/heading.ts), shown to the
// cadre with a way back: 撤销 puts every line of the file into the 正文 and empties 标题 again.

export interface HeadingChoice {
  /** The title put into 标题 ('' when 标题 already had one and the line stayed in the 正文). */
  title: string;
  byline: string;
  /** The 正文 and 标题 as they would be without the recognition. */
  undoBody: string;
  undoTitle: string;
}

/** A file read while the 正文 already holds text: replace it, add to it, or leave it. */
export function ImportChoice({
  id,
  imported,
  onReplace,
  onAppend,
  onCancel,
}: {
  id: string;
  imported: { fileName: string; paragraphs: number; charCount: number };
  onReplace: () => void;
  onAppend: () => void;
  onCancel: () => void;
}) {
  return (
    <div role="group" aria-labelledby={id} className="rounded-md border border-sky-300 bg-sky-50 p-3">
      <p id={id} className="text-base">
        已读取“{imported.fileName}”：{imported.paragraphs} 段，字数 {imported.charCount}。正文里已经有内容，要怎样处理？
      </p>
      <div className="mt-2 flex flex-wrap gap-2">
        <button type="button" className={buttonClass('primary')} onClick={onReplace}>
          替换正文
        </button>
        <button type="button" className={buttonClass('secondary')} onClick={onAppend}>
          追加到正文末尾
        </button>
        <button type="button" className={buttonClass('secondary')} onClick={onCancel}>
          取消
        </button>
      </div>
    </div>
  );
}

/** The body and title an import gives, and the choice to show; null when nothing was recognised. */
export function headingOf(
  t: { body: string; title?: string; byline?: string; fullBody?: string },
  currentTitle: string,
  bodyBefore: string | null,
): { body: string; title: string | null; choice: HeadingChoice | null } {
  const full = t.fullBody ?? t.body;
  const join = (b: string) => (bodyBefore === null || !bodyBefore.trim() ? b : `${bodyBefore.replace(/\s+$/u, '')}\n${b}`);
  if (!t.title && !t.byline) return { body: join(t.body), title: null, choice: null };
  const titleFree = !currentTitle.trim();
  // With 标题 already filled the title line stays in the 正文: nothing of the file is lost unseen.
  const body = titleFree || !t.title ? t.body : `${t.title}\n${t.body}`;
  const useTitle = titleFree && t.title ? t.title : '';
  if (!useTitle && !t.byline) return { body: join(t.body), title: null, choice: null };
  return {
    body: join(body),
    title: useTitle || null,
    choice: { title: useTitle, byline: t.byline ?? '', undoBody: join(full), undoTitle: currentTitle },
  };
}

export function ImportHeadingNotice({ choice, onUndo, onDismiss }: { choice: HeadingChoice; onUndo: () => void; onDismiss: () => void }) {
  const parts = [choice.title ? `第一行“${choice.title}”已填入标题` : null, choice.byline ? `署名“${choice.byline}”已从正文中去掉` : null].filter(Boolean);
  return (
    <div role="status" className="rounded-md border border-sky-300 bg-sky-50 p-3 text-base">
      <p>{parts.join('，')}。</p>
      <div className="mt-2 flex flex-wrap gap-2">
        <button type="button" className={buttonClass('secondary')} onClick={onUndo}>
          撤销，保留原样
        </button>
        <button type="button" className={buttonClass('secondary')} onClick={onDismiss}>
          知道了
        </button>
      </div>
    </div>
  );
}
