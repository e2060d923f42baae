'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useActionState, useEffect, useId, useReducer, useRef, useState, useTransition } from 'react';
import { publishBulletinAction, saveBulletinAction, searchCandidatesAction, startCorrectionAction, unpublishBulletinAction } from '@/app/(organizer)/bulletins/actions';
import { TextAreaField } from '@/components/course/form-bits';
import { Alert } from '@/components/ui/alert';
import { buttonClass, SubmitButton } from '@/components/ui/button';
import { Field, inputClass } from '@/components/ui/field';
import type { StaleSave } from '@/db/queries/bulletins/compose';
import type { CandidateDto, CandidateFiltersDto } from '@/db/queries/bulletins/list';
import type { BulletinEditDto } from '@/db/queries/bulletins/shared';
import type { ActionResult, FieldErrors } from '@/lib/action-result';
import {
  canMove,
  composerReducer,
  freshCandidates,
  initComposer,
  savePayload,
  type ComposerAction,
  type ComposerFieldName,
  type ComposerItem,
} from '@/lib/bulletin/composer-state';
import { bulletinCharCounts } from '@/lib/bulletin/format';
import { countChars } from '@/lib/text/char-count';

export function BulletinComposer({ bulletin, filters }: { bulletin: BulletinEditDto; filters: CandidateFiltersDto }) {
  const router = useRouter();
  const [state, dispatch] = useReducer(composerReducer, bulletin, initComposer);
  const { fields, items, revision, dirty } = state;
  const [message, setMessage] = useState<{ kind: 'error' | 'success' | 'info'; text: string } | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [conflict, setConflict] = useState<BulletinEditDto | null>(null);
  const [saving, startSaving] = useTransition();
  const [announce, setAnnounce] = useState('');
  const readOnly = bulletin.status === 'published';

  // A fresh server copy (after publish, correction, reload) replaces the screen's state only when
  // nothing typed is waiting to be saved (state adjusted while rendering, not in an effect).
  const [server, setServer] = useState(bulletin);
  if (server !== bulletin) {
    setServer(bulletin);
    dispatch({ type: 'serverCopy', source: bulletin });
  }

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const set = (name: ComposerFieldName, value: string) => dispatch({ type: 'setField', name, value });
  const move = (index: number, delta: number) => {
    if (!canMove(state, index, delta)) return;
    dispatch({ type: 'move', index, delta });
    setAnnounce(`已移到第 ${index + delta + 1} 条`);
    requestAnimationFrame(() => document.getElementById(`item-${items[index]?.key}`)?.focus());
  };

  const counts = bulletinCharCounts({
    lead: fields.lead,
    summary: fields.summary,
    transition: fields.transition,
    items: items.map((i) => ({ heading: i.heading, body: i.body, authorName: i.authorName, authorTitle: '' })),
  });

  function save(expected = revision) {
    startSaving(async () => {
      setMessage(null);
      const result = await saveBulletinAction(savePayload(state, bulletin.id, expected));
      if (result.ok) {
        dispatch({ type: 'saved', source: result.bulletin });
        setErrors({});
        setConflict(null);
        setMessage({ kind: 'success', text: '已保存' });
        router.refresh();
      } else {
        setErrors(result.fieldErrors ?? {});
        setMessage({ kind: 'error', text: result.message });
        // A stale save carries the copy the other organizer saved.
        if (result.code === 'stale' && 'current' in result) setConflict((result as StaleSave).current);
      }
    });
  }

  function loadTheirs() {
    if (!conflict) return;
    dispatch({ type: 'load', source: conflict });
    setConflict(null);
    setMessage({ kind: 'info', text: '已载入最新内容。你的修改已被替换;如需要,可从“你的版本”里复制。' });
  }

  const [mine, setMine] = useState<string | null>(null);

  function addCandidates(chosen: CandidateDto[]) {
    const fresh = freshCandidates(state, chosen);
    if (!fresh.length) return;
    dispatch({ type: 'add', candidates: fresh });
    setMessage({ kind: 'info', text: `已加入 ${fresh.length} 条发言,记得保存` });
  }

  return (
    <div className="space-y-6">
      <p aria-live="polite" className="sr-only">
        {announce}
      </p>
      {readOnly ? (
        <Alert kind="info">这期简报已发布,是只读的。要修改,请点“更正”;改好后“发布更正”会发布新的一版,旧版仍可查阅。</Alert>
      ) : null}
      {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
      {conflict ? (
        <div className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-4" role="group" aria-label="保存冲突">
          <p className="text-amber-900">
            另一位组织者保存的版本有 {conflict.items.length} 条发言,标题“{conflict.title}”。你在本页的修改还在,没有丢失。
          </p>
          <div className="flex flex-wrap gap-2">
            <button type="button" className={buttonClass('secondary')} onClick={() => setMine(JSON.stringify(savePayload(state, bulletin.id), null, 2))}>
              复制我的版本
            </button>
            <button type="button" className={buttonClass('secondary')} onClick={loadTheirs}>
              载入对方的版本
            </button>
            <button type="button" className={buttonClass('danger')} onClick={() => save(conflict.revision)}>
              以我的版本覆盖
            </button>
          </div>
          {mine ? <TextAreaField label="你的版本" name="mine" readOnly rows={6} defaultValue={mine} /> : null}
        </div>
      ) : null}

      <fieldset disabled={readOnly} className="grid gap-4 rounded-lg border border-stone-200 bg-white p-4 sm:grid-cols-2">
        <legend className="px-1 text-lg font-semibold">简报信息</legend>
        <Field label="期号" name="number" type="number" min={1} value={fields.number} onChange={(e) => set('number', e.target.value)} errors={errors.number} />
        <Field label="日期" name="issuedOn" type="date" value={fields.issuedOn} onChange={(e) => set('issuedOn', e.target.value)} errors={errors.issuedOn} />
        <div className="sm:col-span-2">
          <Field label="标题" name="title" value={fields.title} onChange={(e) => set('title', e.target.value)} errors={errors.title} maxLength={200} />
        </div>
        <Field label="编辑" name="editor" value={fields.editor} onChange={(e) => set('editor', e.target.value)} errors={errors.editor} maxLength={50} />
        <Field label="编印单位" name="publisher" value={fields.publisher} onChange={(e) => set('publisher', e.target.value)} errors={errors.publisher} maxLength={100} />
        <div className="sm:col-span-2">
          <TextAreaField label="导语" name="lead" rows={4} value={fields.lead} onChange={(e) => set('lead', e.target.value)} errors={errors.lead} hint="这次集中学习的情况:时间、内容、谁作了讲话。一段一行。" />
        </div>
        <div className="sm:col-span-2">
          <TextAreaField label="小结" name="summary" rows={2} value={fields.summary} onChange={(e) => set('summary', e.target.value)} errors={errors.summary} />
        </div>
        <div className="sm:col-span-2">
          <Field label="过渡语" name="transition" value={fields.transition} onChange={(e) => set('transition', e.target.value)} errors={errors.transition} />
        </div>
      </fieldset>

      <section aria-labelledby="items-heading" className="rounded-lg border border-stone-200 bg-white p-4">
        <h2 id="items-heading" className="text-lg font-semibold">
          发言({items.length} 条,发言 {counts.itemsTotal} 字,全文 {counts.total} 字)
        </h2>
        <p className="mt-1 text-sm text-stone-600">拖动调整顺序;也可以选中一条后按 Alt+↑ / Alt+↓,或用“上移”“下移”。摘编只改简报里的文字,不改学员的原文。</p>
        {items.length === 0 ? <p className="mt-3 rounded-md border border-dashed border-stone-300 p-4 text-stone-600">还没有发言。在下面的“选择学习心得”里勾选后点“加入简报”。</p> : null}
        <ol className="mt-3 space-y-3">
          {items.map((item, index) => (
            <ComposerItemCard
              key={item.key}
              item={item}
              index={index}
              total={items.length}
              readOnly={readOnly}
              chars={counts.items[index] ?? 0}
              onChange={(patch) => dispatch({ type: 'setItem', key: item.key, patch })}
              onMove={(d) => move(index, d)}
              onDrop={(from) => dispatch({ type: 'moveTo', from, to: index })}
              onRemove={() => dispatch({ type: 'remove', key: item.key })}
            />
          ))}
        </ol>
      </section>

      {!readOnly ? <CandidatePicker courseId={bulletin.course.id} filters={filters} taken={new Set(items.map((i) => i.reflectionId ?? 0))} onAdd={addCandidates} /> : null}

      <fieldset disabled={readOnly} className="grid gap-4 rounded-lg border border-stone-200 bg-white p-4 sm:grid-cols-2">
        <legend className="px-1 text-lg font-semibold">报尾</legend>
        <Field label="报" name="reportTo" value={fields.reportTo} onChange={(e) => set('reportTo', e.target.value)} errors={errors.reportTo} />
        <Field label="送" name="sendTo" value={fields.sendTo} onChange={(e) => set('sendTo', e.target.value)} errors={errors.sendTo} />
        <Field label="发" name="issueTo" value={fields.issueTo} onChange={(e) => set('issueTo', e.target.value)} errors={errors.issueTo} />
        <Field label="共印份数" name="copies" type="number" min={0} value={fields.copies} onChange={(e) => set('copies', e.target.value)} errors={errors.copies} hint="0 表示不印“共印N份”" />
      </fieldset>

      <div className="sticky bottom-0 z-10 -mx-4 flex flex-wrap items-center gap-2 border-t border-stone-200 bg-white/95 px-4 py-3">
        {!readOnly ? (
          <button type="button" className={buttonClass()} onClick={() => save()} disabled={saving}>
            {saving ? '正在保存…' : '保存'}
          </button>
        ) : null}
        <Link href={`/bulletins/${bulletin.id}/preview`} className={buttonClass('secondary')}>
          预览
        </Link>
        <Link href={`/bulletins/${bulletin.id}/print`} className={buttonClass('secondary')}>
          打印版
        </Link>
        <a href={`/api/bulletins/${bulletin.id}/export?format=docx`} download className={buttonClass('secondary')}>
          导出Word
        </a>
        <a href={`/api/bulletins/${bulletin.id}/export?format=txt`} download className={buttonClass('secondary')}>
          纯文本
        </a>
        <a href={`/api/bulletins/${bulletin.id}/export?format=html`} download className={buttonClass('secondary')}>
          公众号格式
        </a>
        <span className="text-sm text-stone-600">{dirty ? '有未保存的修改;预览和导出使用已保存的内容' : `已保存 · 第 ${revision} 次修改`}</span>
      </div>

      <PublishControls bulletin={bulletin} revision={revision} dirty={dirty} />
    </div>
  );
}

type ItemPatch = Extract<ComposerAction, { type: 'setItem' }>['patch'];

function ComposerItemCard({
  item,
  index,
  total,
  readOnly,
  chars,
  onChange,
  onMove,
  onDrop,
  onRemove,
}: {
  item: ComposerItem;
  index: number;
  total: number;
  readOnly: boolean;
  chars: number;
  onChange: (patch: ItemPatch) => void;
  onMove: (delta: number) => void;
  onDrop: (from: number) => void;
  onRemove: () => void;
}) {
  const id = useId();
  const [over, setOver] = useState(false);
  return (
    <li
      id={`item-${item.key}`}
      tabIndex={0}
      aria-label={`第 ${index + 1} 条:${item.heading}`}
      draggable={!readOnly}
      onDragStart={(e) => e.dataTransfer.setData('text/x-bulletin-item', String(index))}
      onDragOver={(e) => {
        if (readOnly) return;
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const from = Number(e.dataTransfer.getData('text/x-bulletin-item'));
        if (Number.isInteger(from)) onDrop(from);
      }}
      onKeyDown={(e) => {
        if (readOnly || !e.altKey) return;
        if (e.key === 'ArrowUp') {
          e.preventDefault();
          onMove(-1);
        } else if (e.key === 'ArrowDown') {
          e.preventDefault();
          onMove(1);
        }
      }}
      className={`rounded-md border p-3 focus:outline-2 focus:outline-brand-600 ${over ? 'border-brand-600 bg-brand-50' : 'border-stone-200'}`}
    >
      <div className="flex flex-wrap items-center gap-2">
        <span aria-hidden="true" className="cursor-grab select-none text-stone-400" title="拖动排序">
          ⋮⋮
        </span>
        <span className="font-medium">第 {index + 1} 条</span>
        <span className="text-sm text-stone-600">{chars} 字</span>
        <div className="ml-auto flex flex-wrap gap-1">
          <button type="button" className={buttonClass('secondary')} disabled={readOnly || index === 0} onClick={() => onMove(-1)} aria-label={`上移 第 ${index + 1} 条`}>
            上移
          </button>
          <button type="button" className={buttonClass('secondary')} disabled={readOnly || index === total - 1} onClick={() => onMove(1)} aria-label={`下移 第 ${index + 1} 条`}>
            下移
          </button>
          <button type="button" className={buttonClass('danger')} disabled={readOnly} onClick={onRemove} aria-label={`移除 第 ${index + 1} 条`}>
            移除
          </button>
        </div>
      </div>
      {item.changed ? (
        <div className="mt-2 flex flex-wrap items-center gap-2 rounded-md bg-amber-50 p-2 text-sm text-amber-900" role="status">
          原文在加入后有修改。
          {item.currentBody !== null && !readOnly ? (
            <button
              type="button"
              className={buttonClass('secondary')}
              onClick={() => onChange({ body: item.currentBody ?? item.body, changed: false, refreshed: true })}
            >
              用最新原文替换
            </button>
          ) : null}
        </div>
      ) : null}
      <div className="mt-2 space-y-2">
        <label htmlFor={`${id}-h`} className="block text-sm font-medium text-stone-800">
          发言人(第 {index + 1} 条)
        </label>
        <input id={`${id}-h`} className={inputClass} value={item.heading} readOnly={readOnly} onChange={(e) => onChange({ heading: e.target.value })} maxLength={200} />
        <label htmlFor={`${id}-b`} className="block text-sm font-medium text-stone-800">
          摘编内容(第 {index + 1} 条)
        </label>
        <textarea id={`${id}-b`} className={`${inputClass} leading-relaxed`} rows={5} value={item.body} readOnly={readOnly} onChange={(e) => onChange({ body: e.target.value })} />
      </div>
    </li>
  );
}

function CandidatePicker({
  courseId,
  filters,
  taken,
  onAdd,
}: {
  courseId: number;
  filters: CandidateFiltersDto;
  taken: Set<number>;
  onAdd: (chosen: CandidateDto[]) => void;
}) {
  const [list, setList] = useState<{ items: CandidateDto[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [pending, start] = useTransition();
  const form = useRef<HTMLFormElement>(null);

  const search = () => {
    const f = new FormData(form.current ?? undefined);
    start(async () => {
      const r = await searchCandidatesAction({
        courseId,
        meetingId: f.get('meetingId') || undefined,
        tagId: f.get('tagId') || undefined,
        excellent: f.get('excellent') === 'on',
        q: (f.get('q') as string) || undefined,
      });
      if (r.ok) {
        setList(r);
        setError(null);
      } else setError(r.message);
    });
  };
  useEffect(search, [courseId]);

  return (
    <section aria-labelledby="picker-heading" className="rounded-lg border border-stone-200 bg-white p-4">
      <h2 id="picker-heading" className="text-lg font-semibold">
        选择学习心得
      </h2>
      <form
        ref={form}
        role="search"
        aria-label="查找已通过的学习心得"
        className="mt-3 grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          search();
        }}
      >
        <div className="space-y-1">
          <label htmlFor="pick-meeting" className="block text-sm font-medium text-stone-800">
            集中学习
          </label>
          <select id="pick-meeting" name="meetingId" className={inputClass} defaultValue="" onChange={search}>
            <option value="">全部</option>
            {filters.meetings.map((m) => (
              <option key={m.id} value={m.id}>
                {m.title}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="pick-tag" className="block text-sm font-medium text-stone-800">
            标签
          </label>
          <select id="pick-tag" name="tagId" className={inputClass} defaultValue="" onChange={search}>
            <option value="">全部</option>
            {filters.tags.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        <label className="flex min-h-11 items-center gap-2">
          <input type="checkbox" name="excellent" className="size-5 accent-brand-600" onChange={search} />
          只看优秀
        </label>
        <div className="space-y-1 sm:col-span-2">
          <label htmlFor="pick-q" className="block text-sm font-medium text-stone-800">
            搜索
          </label>
          <input id="pick-q" name="q" type="search" maxLength={50} placeholder="标题、正文或姓名" className={inputClass} />
        </div>
        <button type="submit" className={buttonClass('secondary')} disabled={pending}>
          {pending ? '正在查找…' : '查找'}
        </button>
      </form>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {list ? (
        <>
          <p className="mt-3 text-sm text-stone-600" aria-live="polite">
            {list.total} 篇已通过的心得{list.total > list.items.length ? `,显示前 ${list.items.length} 篇` : ''}
          </p>
          <ul className="mt-2 divide-y divide-stone-100">
            {list.items.map((c) => {
              const already = taken.has(c.reflectionId);
              const boxId = `cand-${c.reflectionId}`;
              return (
                <li key={c.reflectionId} className="flex items-start gap-3 py-2">
                  <input
                    id={boxId}
                    type="checkbox"
                    className="mt-1 size-5 shrink-0 accent-brand-600"
                    disabled={already}
                    checked={already || chosen.has(c.reflectionId)}
                    aria-label={`${c.authorName} ${c.title || '(无标题)'}`}
                    onChange={(e) =>
                      setChosen((s) => {
                        const n = new Set(s);
                        if (e.target.checked) n.add(c.reflectionId);
                        else n.delete(c.reflectionId);
                        return n;
                      })
                    }
                  />
                  <label htmlFor={boxId} className="min-w-0 flex-1 break-words">
                    <span className="font-medium">
                      {c.authorName} {c.title || '(无标题)'}
                    </span>
                    {c.excellent ? <span className="ml-2 rounded bg-amber-100 px-1.5 text-xs text-amber-900">优秀</span> : null}
                    {already ? <span className="ml-2 text-xs text-stone-500">已在简报中</span> : null}
                    <span className="block text-sm text-stone-600">
                      {c.authorTitle} · {c.meetingTitle} · {countChars(c.body)} 字{c.tags.length ? ` · ${c.tags.join('、')}` : ''}
                    </span>
                  </label>
                </li>
              );
            })}
          </ul>
          <button
            type="button"
            className={`${buttonClass()} mt-3`}
            disabled={chosen.size === 0}
            onClick={() => {
              onAdd(list.items.filter((c) => chosen.has(c.reflectionId)));
              setChosen(new Set());
            }}
          >
            加入简报
          </button>
        </>
      ) : null}
    </section>
  );
}

function PublishControls({ bulletin, revision, dirty }: { bulletin: BulletinEditDto; revision: number; dirty: boolean }) {
  const [pubState, publish] = useActionState(publishBulletinAction, null);
  const [corState, correct] = useActionState(startCorrectionAction, null);
  const [unState, unpublish] = useActionState(unpublishBulletinAction, null);
  const correcting = bulletin.status !== 'published' && bulletin.publishedRevision > 0;
  const show = (s: ActionResult | null) => (s ? <Alert kind={s.ok ? 'success' : 'error'}>{s.message}</Alert> : null);
  return (
    <section aria-labelledby="publish-heading" className="space-y-4 rounded-lg border border-stone-200 bg-white p-4">
      <h2 id="publish-heading" className="text-lg font-semibold">
        发布
      </h2>
      {show(pubState)}
      {show(corState)}
      {show(unState)}
      {bulletin.status !== 'published' ? (
        <form action={publish} className="space-y-3">
          <input type="hidden" name="id" value={bulletin.id} />
          <input type="hidden" name="expectedRevision" value={revision} />
          {correcting ? <Field label="更正说明" name="note" maxLength={200} placeholder="例如:更正第3条发言人职务" /> : null}
          <p className="text-sm text-stone-600">
            {dirty ? '请先保存修改再发布。' : '发布后简报变为只读,本读书班的学员会在“我的学习 › 简报”里看到并收到通知。'}
          </p>
          <SubmitButton disabled={dirty} pendingText="正在发布…">
            {correcting ? '发布更正' : '发布'}
          </SubmitButton>
        </form>
      ) : (
        <form action={correct}>
          <input type="hidden" name="id" value={bulletin.id} />
          <SubmitButton variant="secondary">更正</SubmitButton>
        </form>
      )}
      {bulletin.publishedRevision > 0 && bulletin.status !== 'unpublished' ? (
        <form action={unpublish} className="space-y-2 border-t border-stone-200 pt-4">
          <input type="hidden" name="id" value={bulletin.id} />
          <TextAreaField
            label="撤回原因"
            name="reason"
            rows={2}
            maxLength={500}
            defaultValue={!unState?.ok ? (unState?.values?.reason ?? '') : ''}
            errors={!unState?.ok ? unState?.fieldErrors?.reason : undefined}
            hint="撤回后学员不再能看到这期简报;原因记入审计日志。"
          />
          <SubmitButton variant="danger" pendingText="正在撤回…">
            撤回发布
          </SubmitButton>
        </form>
      ) : null}
      {bulletin.revisions.length ? (
        <div>
          <h3 className="font-medium">已发布的版本</h3>
          <ul className="mt-1 text-sm text-stone-700">
            {bulletin.revisions.map((r) => (
              <li key={r.revisionNo}>
                第 {r.revisionNo} 版 · {r.publishedBy ?? ''} {r.note ? `· ${r.note}` : ''}{' '}
                <a className="text-brand-700 underline" href={`/api/bulletins/${bulletin.id}/export?format=docx&revision=${r.revisionNo}`} download>
                  下载此版 Word
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
