'use client';

import { useActionState, useState, useTransition } from 'react';
import { commitImportAction, previewImportAction } from '@/app/(organizer)/bulletins/actions';
import { NormaliseOffer, punctuationFindings } from '@/components/wording/normalise-offer';
import { normalisePunctuation } from '@/lib/wording/engine';
import { TextAreaField } from '@/components/course/form-bits';
import { Alert } from '@/components/ui/alert';
import { buttonClass, SubmitButton } from '@/components/ui/button';
import { Field, inputClass } from '@/components/ui/field';
import type { ImportPreviewDto } from '@/db/queries/bulletins/import';
import type { FieldErrors } from '@/lib/action-result';
import { formatIssuedOn } from '@/lib/bulletin/format';
import { MAX_IMPORT_BYTES } from '@/lib/reflection/limits';
import { countChars } from '@/lib/text/char-count';

export function BulletinImport({ courseId }: { courseId: number }) {
  const [state, action] = useActionState(previewImportAction, null);
  const [tooLarge, setTooLarge] = useState<string | null>(null);
  // A file over the limit is refused here, before it is sent: the server would refuse the body.
  const checkSize = (e: React.FormEvent<HTMLFormElement>) => {
    const file = (e.currentTarget.elements.namedItem('file') as HTMLInputElement | null)?.files?.[0];
    if (file && file.size > MAX_IMPORT_BYTES) {
      e.preventDefault();
      setTooLarge(`文件“${file.name}”超过 5 MB，请只保留简报正文后再上传`);
    } else setTooLarge(null);
  };
  return (
    <div className="space-y-6">
      <form action={action} onSubmit={checkSize} className="space-y-4 rounded-lg border border-stone-200 bg-white p-4">
        <input type="hidden" name="courseId" value={courseId} />
        {tooLarge ? <Alert kind="error">{tooLarge}</Alert> : state && !state.ok ? <Alert kind="error">{state.message}</Alert> : null}
        <TextAreaField label="粘贴简报全文" name="text" rows={10} defaultValue={state?.text ?? ''} errors={state && !state.ok ? state.fieldErrors?.text : undefined} />
        <div className="space-y-1">
          <label htmlFor="bulletin-file" className="block text-sm font-medium text-stone-800">
            上传简报文件（.docx / .txt）
          </label>
          <input id="bulletin-file" name="file" type="file" accept=".docx,.txt" className="block w-full text-base" />
        </div>
        <SubmitButton pendingText="正在解析…">解析</SubmitButton>
      </form>
      {state?.ok ? <ImportReview key={JSON.stringify(state.preview.parsed.items.length) + state.preview.parsed.title} preview={state.preview} /> : null}
    </div>
  );
}

type Match = number | 'new' | null;

function ImportReview({ preview }: { preview: ImportPreviewDto }) {
  const p = preview.parsed;
  const [f, setF] = useState({
    number: String(preview.numberTaken ? preview.suggestedNumber : (p.number ?? preview.suggestedNumber)),
    title: p.title,
    editor: p.editor,
    // Never a silent today: without a recognised date the field stays empty and must be filled.
    issuedOn: p.issuedOn ?? '',
    publisher: p.publisher || preview.course.publisher,
    lead: p.lead,
    summary: p.summary,
    transition: p.transition,
  });
  const [matches, setMatches] = useState<Match[]>(preview.matches);
  const [withReflections, setWithReflections] = useState(false);
  const [assignmentId, setAssignmentId] = useState<string>('');
  const [error, setError] = useState<{ message: string; fieldErrors?: FieldErrors } | null>(null);
  const [pending, start] = useTransition();
  const [normalise, setNormalise] = useState(false);
  const fixPunct = (t: string) => (normalise ? normalisePunctuation(t) : t);
  const set = (k: keyof typeof f) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setF((o) => ({ ...o, [k]: e.target.value }));

  const submit = () =>
    start(async () => {
      if (!f.issuedOn) {
        setError({ message: '没有识别出简报日期，请填写日期后再生成草稿。', fieldErrors: { issuedOn: ['请填写简报日期'] } });
        return;
      }
      const r = await commitImportAction({
        courseId: preview.course.id,
        ...f,
        lead: fixPunct(f.lead),
        summary: fixPunct(f.summary),
        reportTo: p.reportTo,
        sendTo: p.sendTo,
        issueTo: p.issueTo,
        copies: String(p.copies),
        importReflections: withReflections,
        assignmentId: assignmentId ? Number(assignmentId) : null,
        items: p.items.map((it, i) => ({ ...it, body: fixPunct(it.body), match: matches[i] ?? null })),
      });
      if (r && !r.ok) setError(r);
    });

  const unmatched = matches.filter((m) => m === null).length;
  return (
    <section aria-labelledby="review-heading" className="space-y-4 rounded-lg border border-stone-200 bg-white p-4">
      <h2 id="review-heading" className="text-lg font-semibold">
        核对识别结果
      </h2>
      {error ? <Alert kind="error">{error.message}</Alert> : null}
      {preview.numberTaken && p.number ? <Alert kind="info">第{p.number}期已存在，已改为第{preview.suggestedNumber}期，可修改。</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="期号" name="number" type="number" min={1} value={f.number} onChange={set('number')} errors={error?.fieldErrors?.number} />
        <Field
          label="日期"
          name="issuedOn"
          type="date"
          value={f.issuedOn}
          onChange={set('issuedOn')}
          required
          errors={error?.fieldErrors?.issuedOn}
          hint={
            p.issuedOn
              ? p.issuedOnFrom === 'lead'
                ? `取自导语中的日期 ${formatIssuedOn(p.issuedOn)}，请核对`
                : `识别为 ${formatIssuedOn(p.issuedOn)}`
              : '没有识别出日期，请填写'
          }
        />
        <div className="sm:col-span-2">
          <Field label="标题" name="title" value={f.title} onChange={set('title')} errors={error?.fieldErrors?.title} />
        </div>
        <Field label="编辑" name="editor" value={f.editor} onChange={set('editor')} />
        <Field label="编印单位" name="publisher" value={f.publisher} onChange={set('publisher')} />
        <div className="sm:col-span-2">
          <TextAreaField label="导语" name="lead" rows={3} value={f.lead} onChange={set('lead')} />
        </div>
        <div className="sm:col-span-2">
          <TextAreaField label="小结" name="summary" rows={2} value={f.summary} onChange={set('summary')} />
        </div>
        <div className="sm:col-span-2">
          <Field label="过渡语" name="transition" value={f.transition} onChange={set('transition')} />
        </div>
      </div>
      <NormaliseOffer count={punctuationFindings([f.lead, f.summary, ...p.items.map((it) => it.body)])} checked={normalise} onChange={setNormalise} />
      <h3 className="font-semibold">
        发言 {p.items.length} 条{unmatched ? `，${unmatched} 条未匹配` : '，全部已匹配'}
      </h3>
      <ol className="space-y-3">
        {p.items.map((it, i) => (
          <li key={i} className="rounded-md border border-stone-200 p-3">
            <p className="font-medium">{it.heading}</p>
            <p className="text-sm text-stone-600">
              {preview.matchNotes[i]} · {countChars(it.body)} 字
            </p>
            <p className="mt-1 line-clamp-3 break-words text-sm text-stone-800">{it.body}</p>
            <div className="mt-2 space-y-1">
              <label htmlFor={`match-${i}`} className="block text-sm font-medium text-stone-800">
                对应学员（第 {i + 1} 条）
              </label>
              <select
                id={`match-${i}`}
                className={inputClass}
                value={matches[i] === null ? '' : String(matches[i])}
                onChange={(e) => {
                  const v = e.target.value;
                  setMatches((m) => m.map((x, j) => (j === i ? (v === '' ? null : v === 'new' ? 'new' : Number(v)) : x)));
                }}
              >
                <option value="">未匹配：选择学员</option>
                {preview.members.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                    {m.title ? `（${m.title}）` : ''}
                  </option>
                ))}
                {it.authorName ? <option value="new">新建学员：{it.authorName}</option> : null}
              </select>
            </div>
          </li>
        ))}
      </ol>
      {p.dropped.length ? (
        <details className="text-sm text-stone-600">
          <summary>已去掉的网页文字（{p.dropped.length} 行）</summary>
          <ul className="mt-1 list-disc pl-5">
            {p.dropped.map((d, i) => (
              <li key={i} className="break-words">
                {d}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <div className="space-y-2 border-t border-stone-200 pt-3">
        <label className="flex items-center gap-2">
          <input type="checkbox" className="size-5 accent-brand-600" checked={withReflections} onChange={(e) => setWithReflections(e.target.checked)} />
          同时导入为学习心得
        </label>
        {withReflections ? (
          <div className="space-y-1">
            <label htmlFor="import-assignment" className="block text-sm font-medium text-stone-800">
              导入到心得任务
            </label>
            <select id="import-assignment" className={inputClass} value={assignmentId} onChange={(e) => setAssignmentId(e.target.value)}>
              <option value="">请选择</option>
              {preview.assignments.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.meetingTitle} · {a.title}
                </option>
              ))}
            </select>
            <p className="text-sm text-stone-600">只为已对应学员的发言建立心得（标记为“导入”、状态“已通过”）；该任务下已有心得的学员跳过。</p>
          </div>
        ) : null}
      </div>
      <button type="button" className={buttonClass()} disabled={pending} onClick={submit}>
        {pending ? '正在生成…' : '生成草稿'}
      </button>
    </section>
  );
}
