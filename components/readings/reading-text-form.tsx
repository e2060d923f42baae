'use client';

import { useActionState, useId, useMemo, useState, useTransition } from 'react';
import { readReadingFileAction, setReadingTextAction } from '@/app/(organizer)/courses/readings/actions';
import { FormStatus } from '@/components/course/form-bits';
import { SubmitButton } from '@/components/ui/button';
import { Field, inputClass } from '@/components/ui/field';
import { splitSections } from '@/lib/readings/split';
import { IMPORT_EXTENSIONS, IMPORT_KINDS_TEXT, MAX_IMPORT_BYTES } from '@/lib/reflection/limits';

/**
 * 录入原文: paste the text, or read a Word/WPS/text file into the box; the 章/节 the text will be
 * split into are listed as it is typed, so the organizer sees the headings before saving.
 */
export function ReadingTextForm({ id, source, text }: { id: number; source: string; text: string }) {
  const [state, action] = useActionState(setReadingTextAction, null);
  const [value, setValue] = useState(text);
  const [fileError, setFileError] = useState<string | null>(null);
  const [fileNote, setFileNote] = useState<string | null>(null);
  const [reading, startReading] = useTransition();
  const ids = { text: useId(), file: useId(), preview: useId() };
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const sections = useMemo(() => splitSections(value), [value]);
  const headings = sections.filter((s) => s.heading).map((s) => s.heading);

  function chosen(e: React.ChangeEvent<HTMLInputElement>) {
    const file = e.currentTarget.files?.[0];
    e.currentTarget.value = '';
    if (!file) return;
    setFileError(null);
    setFileNote(null);
    if (!IMPORT_EXTENSIONS.some((ext) => file.name.toLowerCase().endsWith(ext))) {
      setFileError(`只能导入 ${IMPORT_KINDS_TEXT} 文件，“${file.name}”不是`);
      return;
    }
    if (file.size > MAX_IMPORT_BYTES) {
      setFileError(`文件“${file.name}”超过 5 MB`);
      return;
    }
    const form = new FormData();
    form.set('file', file);
    startReading(async () => {
      try {
        const r = await readReadingFileAction(form);
        if (!r.ok) {
          setFileError(r.message);
          return;
        }
        if ('fullBody' in r) {
          setValue(r.fullBody);
          setFileNote(`已读取“${r.fileName}”，请核对后保存。`);
        }
      } catch {
        setFileError('网络中断，文件没有读取成功，请稍后重试');
      }
    });
  }

  return (
    <form action={action} className="space-y-4" noValidate>
      <FormStatus state={state} />
      <input type="hidden" name="id" value={id} />
      <Field label="出处" name="source" defaultValue={state && !state.ok ? (state.values?.source ?? source) : source} errors={errors?.source} maxLength={200} hint="如：中央文献出版社 2023 年版，第 1—20 页" />
      <div className="space-y-1">
        <div className="flex flex-wrap items-end justify-between gap-2">
          <label htmlFor={ids.text} className="block text-sm font-medium text-stone-800">
            原文
          </label>
          <div>
            <input id={ids.file} type="file" accept={IMPORT_EXTENSIONS.join(',')} onChange={chosen} disabled={reading} className="peer sr-only" />
            <label
              htmlFor={ids.file}
              className="inline-flex min-h-11 cursor-pointer items-center rounded-md border border-stone-300 bg-white px-3 py-2 text-sm font-medium text-stone-800 hover:bg-stone-100 peer-focus-visible:outline-3 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-blue-700"
            >
              {reading ? '正在读取文件…' : '从文件导入（Word / WPS / .txt）'}
            </label>
          </div>
        </div>
        {fileError ? (
          <p role="alert" className="text-sm text-red-700">
            {fileError}
          </p>
        ) : null}
        {fileNote ? (
          <p role="status" className="text-sm text-green-800">
            {fileNote}
          </p>
        ) : null}
        <textarea
          id={ids.text}
          name="text"
          rows={16}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          className={`${inputClass} leading-relaxed`}
          aria-invalid={errors?.text?.length ? true : undefined}
          aria-describedby={`${ids.text}-hint ${ids.preview}`}
          placeholder="粘贴原文。“第一章”“第二节”“一、”这样单独成行的标题会分成章节。"
        />
        <p id={`${ids.text}-hint`} className="text-sm text-stone-600">
          每段一行。“第一章”“第三节”“一、……”等单独成行的短标题会把原文分成章节，便于学员按章节阅读。
        </p>
        {errors?.text?.length ? <p className="text-sm text-red-700">{errors.text.join('；')}</p> : null}
      </div>
      <div id={ids.preview} className="rounded-md border border-stone-200 bg-stone-50 p-3 text-sm text-stone-700">
        {sections.length === 0 ? (
          '还没有原文。'
        ) : (
          <>
            将保存为 {sections.length} 个章节{headings.length > 0 ? '：' : '（没有识别到章节标题）'}
            {headings.length > 0 ? (
              <ol className="mt-1 list-inside list-decimal">
                {headings.slice(0, 30).map((h, i) => (
                  <li key={i} className="break-words">
                    {h}
                  </li>
                ))}
                {headings.length > 30 ? <li className="list-none">……共 {headings.length} 个标题</li> : null}
              </ol>
            ) : null}
          </>
        )}
      </div>
      <SubmitButton pendingText="正在保存…">保存原文</SubmitButton>
    </form>
  );
}
