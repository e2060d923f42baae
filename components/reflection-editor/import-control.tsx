'use client';

import { useEffect, useId, useState, useTransition } from 'react';
import { IMPORT_EXTENSIONS } from '@/lib/reflection/limits';

// The checks and the upload (import-read.ts) are fetched as soon as the editor is up, not with its
// first scripts (issue 15); only the button is needed to paint the page.
const loadReader = () => import('./import-read');

export interface ImportedText {
  body: string;
  fileName: string;
  paragraphs: number;
  charCount: number;
  /** A recognised title and byline (lib/reflection/heading.ts) and the file's whole text. */
  title?: string;
  byline?: string;
  fullBody?: string;
}

const ACCEPT = [
  ...IMPORT_EXTENSIONS,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/msword',
  'text/plain',
].join(',');

/**
 * 导入文件(.docx / .doc / .wps / .txt): the file is read on the server (.docx via mammoth, .doc
 * and .wps via word-extractor after an OLE check, text in UTF-8 or GB18030) and comes back as paragraphs. The size and the type are checked here first, so a
 * wrong file is refused before it is sent.
 */
export function ImportControl({ onText, disabled }: { onText: (t: ImportedText) => void; disabled?: boolean }) {
  const id = useId();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void loadReader().catch(() => undefined);
  }, []);

  function chosen(e: React.ChangeEvent<HTMLInputElement>) {
    const file = e.currentTarget.files?.[0];
    // Cleared so that choosing the same file again (after fixing it) fires again.
    e.currentTarget.value = '';
    if (!file) return;
    setError(null);
    startTransition(async () => {
      const outcome = await loadReader()
        .then((m) => m.readImportFile(file))
        .catch(() => ({ error: '网络中断，文件没有读取成功，请稍后重试' }));
      if ('error' in outcome) setError(outcome.error);
      else onText(outcome.text);
    });
  }

  return (
    <div className="flex flex-col items-end gap-1">
      <input
        id={id}
        type="file"
        accept={ACCEPT}
        onChange={chosen}
        disabled={disabled || pending}
        aria-describedby={error ? `${id}-error` : undefined}
        className="peer sr-only"
      />
      <label
        htmlFor={id}
        className={`inline-flex min-h-11 cursor-pointer items-center rounded-md border border-stone-300 bg-white px-3 py-2 text-sm font-medium text-stone-800 hover:bg-stone-100 peer-focus-visible:outline-3 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-blue-700 peer-disabled:cursor-not-allowed peer-disabled:text-stone-400`}
      >
        {pending ? '正在读取文件…' : '导入文件（Word / WPS / .txt）'}
      </label>
      {error ? (
        <p id={`${id}-error`} role="alert" className="max-w-full text-right text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
