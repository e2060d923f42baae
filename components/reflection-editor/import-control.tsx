'use client';

import { useId, useState, useTransition } from 'react';
import { importReflectionFileAction } from '@/app/(cadre)/my/actions';
import { SIGNED_OUT_MESSAGE } from '@/lib/reflection/messages';
import { IMPORT_EXTENSIONS, IMPORT_KINDS_TEXT, MAX_IMPORT_BYTES } from '@/lib/reflection/limits';

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

  function chosen(e: React.ChangeEvent<HTMLInputElement>) {
    const file = e.currentTarget.files?.[0];
    // Cleared so that choosing the same file again (after fixing it) fires again.
    e.currentTarget.value = '';
    if (!file) return;
    setError(null);
    const lower = file.name.toLowerCase();
    if (!IMPORT_EXTENSIONS.some((ext) => lower.endsWith(ext))) {
      setError(`只能导入 ${IMPORT_KINDS_TEXT} 文件，“${file.name}”不是`);
      return;
    }
    if (file.size > MAX_IMPORT_BYTES) {
      setError(`文件“${file.name}”超过 5 MB，请只保留心得正文后再导入`);
      return;
    }
    if (file.size === 0) {
      setError(`文件“${file.name}”是空的`);
      return;
    }
    const form = new FormData();
    form.set('file', file);
    startTransition(async () => {
      try {
        const r = await importReflectionFileAction(form);
        if (!r.ok) {
          setError(r.code === 'unauthenticated' ? SIGNED_OUT_MESSAGE : r.message);
          return;
        }
        if ('body' in r) {
          onText({ body: r.body, fileName: r.fileName, paragraphs: r.paragraphs, charCount: r.charCount, title: r.title, byline: r.byline, fullBody: r.fullBody });
        }
      } catch {
        setError('网络中断，文件没有读取成功，请稍后重试');
      }
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
