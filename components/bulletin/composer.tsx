'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useActionState, useEffect, useId, useLayoutEffect, useMemo, useReducer, useRef, useState, useTransition } from 'react';
import { publishBulletinAction, searchCandidatesAction, startCorrectionAction, unpublishBulletinAction } from '@/app/(organizer)/bulletins/actions';
import { Alert } from '@/components/ui/alert';
import { SubmitButton } from '@/components/ui/button';
import type { BulletinDraftsDto } from '@/db/queries/bulletins/drafting';
import type { CandidateDto, CandidateFiltersDto, OrderKeyDto } from '@/db/queries/bulletins/list';
import type { ActionResult } from '@/lib/action-result';
import { BulletinAutosave, type AutosaveStatus, type ServerBulletin, type Snapshot } from '@/lib/bulletin/autosave';
import {
  canMove,
  COMPOSER_FIELDS,
  composerReducer,
  contentKey,
  excerptPatch,
  freshCandidates,
  initComposer,
  savePayload,
  type ComposerAction,
  type ComposerFieldName,
  type ComposerItem,
  type ComposerState,
} from '@/lib/bulletin/composer-state';
import { publishPreflight } from '@/lib/bulletin/preflight';
import { PreflightWording } from '@/components/wording/preflight-wording';
import { useComposerWording } from '@/components/wording/use-composer-wording';
import { countChars } from '@/lib/text/char-count';
import { ComposerDialog } from './composer-dialog';
import { unpackForComposer, type ComposerBulletin, type WireBulletin } from './composer-wire';
import { composerCharCounts } from './text-memo';
import { takeTypedEarly } from './typed-early';
import { BulletinDraftHelpers, ExcerptChoice } from './draft-helpers';
import s from './composer.module.css';

// The labelled fields of components/ui/field and course/form-bits, with the looks of
// composer.module.css (one class on the field, not a utility list on every element).
function describedBy(id: string, errors?: string[], hint?: string): string | undefined {
  return [errors?.length ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
}

function FieldNotes({ id, errors, hint }: { id: string; errors?: string[]; hint?: string }) {
  return (
    <>
      {hint ? <p id={`${id}-hint`}>{hint}</p> : null}
      {errors?.length ? (
        <p id={`${id}-error`} className={s.error}>
          {errors.join('；')}
        </p>
      ) : null}
    </>
  );
}

function Field({ label, name, errors, hint, ...rest }: React.InputHTMLAttributes<HTMLInputElement> & { label: string; name: string; errors?: string[]; hint?: string }) {
  const id = useId();
  return (
    <div className={s.field}>
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} data-typed={name} className={s.input} aria-invalid={errors?.length ? true : undefined} aria-describedby={describedBy(id, errors, hint)} {...rest} />
      <FieldNotes id={id} errors={errors} hint={hint} />
    </div>
  );
}

function TextAreaField({ label, name, errors, hint, ...rest }: React.TextareaHTMLAttributes<HTMLTextAreaElement> & { label: string; name: string; errors?: string[]; hint?: string }) {
  const id = useId();
  return (
    <div className={s.field}>
      <label htmlFor={id}>{label}</label>
      <textarea id={id} name={name} data-typed={name} rows={4} className={s.input} aria-invalid={errors?.length ? true : undefined} aria-describedby={describedBy(id, errors, hint)} {...rest} />
      <FieldNotes id={id} errors={errors} hint={hint} />
    </div>
  );
}

type Conflict = {
  /** What the other organizer saved. */
  theirs: ServerBulletin;
  /** What was on this screen when the save was refused. */
  mine: ComposerState;
  /** After a choice: which copy the editor holds now; the other stays shown until closed. */
  chosen: 'theirs' | 'mine' | null;
};

function snapshotOf(s: ComposerState, id: number): Snapshot | null {
  if (!s.dirty) return null;
  return { payload: savePayload(s, id), keys: s.items.map((i) => i.key), key: contentKey(s), state: s };
}

function statusText(s: AutosaveStatus, dirty: boolean): string {
  switch (s.kind) {
    case 'idle':
      return dirty ? '有未保存的修改，稍后自动保存' : '修改会自动保存';
    case 'pending':
      return '有未保存的修改，稍后自动保存';
    case 'saving':
      return '正在保存…';
    case 'saved':
      return dirty ? '有未保存的修改，稍后自动保存' : `已保存（${new Date(s.at).toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit' })}）`;
    case 'offline':
      return '没有连上服务器，修改还在本页，恢复后自动保存；请不要关闭页面';
    case 'unauthenticated':
      return '登录已过期，修改还在本页：请在新标签页重新登录，回到本页后自动保存';
    case 'conflict':
      return '另一位组织者保存了这期简报，请在上方选择';
    case 'invalid':
      return `没有保存：${s.message}`;
    case 'error':
      return s.message;
  }
}

/** Plain text of one copy, for comparing two side by side. */
function copyText(c: { fields: ComposerState['fields']; items: readonly { heading: string; body: string }[] }): string {
  const f = c.fields;
  return [
    f.title,
    f.headline,
    f.lead,
    f.summary,
    f.transition,
    ...c.items.flatMap((i) => [i.heading, i.body]),
    [f.reportTo && `报：${f.reportTo}`, f.sendTo && `送：${f.sendTo}`, f.issueTo && `发：${f.issueTo}`].filter(Boolean).join('\n'),
  ]
    .filter((s) => s.trim())
    .join('\n\n');
}

function isPlainLeftClick(e: MouseEvent): boolean {
  return e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey;
}

export function BulletinComposer({
  bulletin: sent,
  filters,
  orderKeys,
  drafts,
}: {
  /** packForComposer's copy (composer-wire.ts): each source text only where it differs. */
  bulletin: WireBulletin;
  filters: CandidateFiltersDto;
  orderKeys: Record<number, OrderKeyDto>;
  /** Drafts of the routine parts, offered beside the form; nothing changes until one is taken. */
  drafts: BulletinDraftsDto;
}) {
  const router = useRouter();
  // The same object until the server sends a fresh copy (the check for one below compares them).
  const bulletin = useMemo(() => unpackForComposer(sent), [sent]);
  const [state, dispatch] = useReducer(composerReducer, bulletin, initComposer);
  const { fields, items, dirty } = state;
  const [message, setMessage] = useState<{ kind: 'error' | 'success' | 'info'; text: string } | null>(null);
  const [status, setStatus] = useState<AutosaveStatus>({ kind: 'idle' });
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [leaving, setLeaving] = useState<{ href: string; error: string | null } | null>(null);
  const [keys, setKeys] = useState(orderKeys);
  const [announce, setAnnounce] = useState('');
  const [urgent, setUrgent] = useState(0);
  const readOnly = bulletin.status === 'published';

  const [sync] = useState(
    () =>
      new BulletinAutosave({
        base: bulletin.revision,
        onSaved: (server, sent) => dispatch({ type: 'saved', source: server, sentKeys: sent.keys, sentKey: sent.key }),
        onConflict: (theirs, mine) => setConflict({ theirs, mine: mine.state, chosen: null }),
        onStatus: setStatus,
      }),
  );
  // The autosave sees the screen's content after every render.
  useLayoutEffect(() => {
    sync.track(snapshotOf(state, bulletin.id));
  }, [state, sync, bulletin.id]);
  const unsaved = dirty || status.kind === 'saving' || status.kind === 'conflict';
  const unsavedRef = useRef(unsaved);
  useLayoutEffect(() => {
    unsavedRef.current = unsaved;
  }, [unsaved]);

  // A fresh server copy (after publish, correction, reload) replaces the screen's state only when
  // nothing typed is waiting to be saved (state adjusted while rendering, not in an effect).
  const [server, setServer] = useState(bulletin);
  if (server !== bulletin) {
    setServer(bulletin);
    if (!dirty) dispatch({ type: 'serverCopy', source: bulletin });
  }
  useEffect(() => {
    if (readOnly) sync.stop();
    else if (!sync.unsaved) sync.rebase(server.revision);
  }, [server, readOnly, sync]);

  // 加入简报 and reorders are saved at once: after the render that holds them.
  useEffect(() => {
    if (urgent > 0) void sync.saveNow();
  }, [urgent, sync]);

  useEffect(() => {
    const hidden = () => {
      if (document.visibilityState === 'hidden') void sync.saveNow(true);
    };
    const pagehide = () => sync.leaving();
    const resume = () => sync.resume();
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (unsavedRef.current) e.preventDefault();
    };
    // In-app links (the breadcrumb, the menu, 预览): asked in the page while anything is unsaved.
    const click = (e: MouseEvent) => {
      if (!unsavedRef.current || e.defaultPrevented || !isPlainLeftClick(e)) return;
      const a = (e.target as Element | null)?.closest?.('a[href]');
      if (!(a instanceof HTMLAnchorElement) || a.hasAttribute('download') || (a.target && a.target !== '_self')) return;
      const url = new URL(a.href, location.href);
      if (url.origin !== location.origin || (url.pathname === location.pathname && url.search === location.search)) return;
      e.preventDefault();
      e.stopPropagation();
      setLeaving({ href: url.pathname + url.search + url.hash, error: null });
    };
    document.addEventListener('visibilitychange', hidden);
    window.addEventListener('pagehide', pagehide);
    window.addEventListener('online', resume);
    window.addEventListener('focus', resume);
    window.addEventListener('beforeunload', beforeUnload);
    document.addEventListener('click', click, true);
    return () => {
      document.removeEventListener('visibilitychange', hidden);
      window.removeEventListener('pagehide', pagehide);
      window.removeEventListener('online', resume);
      window.removeEventListener('focus', resume);
      window.removeEventListener('beforeunload', beforeUnload);
      document.removeEventListener('click', click, true);
      sync.dispose();
    };
  }, [sync]);

  /** Every change goes through here: typed text waits for a pause, structural changes save at once. */
  const act = (action: ComposerAction, now = false) => {
    dispatch(action);
    if (readOnly) return;
    if (now) setUrgent((n) => n + 1);
    else sync.changed();
  };

  const set = (name: ComposerFieldName, value: string) => act({ type: 'setField', name, value });

  // Typed before the scripts ran (a page opened by a plain link on a slow connection): the field
  // keeps what it shows (or, for a textarea that had text, React put it back: typed-early.ts noted
  // it), but the state does not have it and would never save it. Taken in once.
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = root.current;
    const noted = takeTypedEarly();
    if (!el || readOnly) return;
    const typed = (key: string, current: string): string | null => {
      const field = el.querySelector(`[data-typed="${key}"]`);
      const value = noted[key] ?? (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement ? field.value : undefined);
      return value !== undefined && value !== current ? value : null;
    };
    for (const name of COMPOSER_FIELDS) {
      const value = typed(name, fields[name]);
      if (value !== null) set(name, value);
    }
    // The items' 发言人 and 摘编内容 likewise.
    for (const item of items) {
      const heading = typed(`${item.key}:heading`, item.heading);
      const body = typed(`${item.key}:body`, item.body);
      const patch = { ...(heading !== null ? { heading } : {}), ...(body !== null ? { body } : {}) };
      if (heading !== null || body !== null) act({ type: 'setItem', key: item.key, patch });
    }
    // Once, when the composer starts.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const move = (index: number, delta: number) => {
    if (!canMove(state, index, delta)) return;
    act({ type: 'move', index, delta }, true);
    setAnnounce(`已移到第 ${index + delta + 1} 条`);
    requestAnimationFrame(() => document.getElementById(`item-${items[index]?.key}`)?.focus());
  };

  const sortBy = (how: 'spoken' | 'unit') => {
    const rank = new Map<number, (string | number)[]>();
    for (const [id, k] of Object.entries(keys)) {
      if (how === 'spoken' && k.spokenAt !== null) rank.set(Number(id), [k.spokenAt]);
      if (how === 'unit' && k.unit) rank.set(Number(id), [...k.unit, k.spokenAt ?? Number.MAX_SAFE_INTEGER]);
    }
    act({ type: 'sortBy', rank }, true);
    const text = how === 'spoken' ? '已按发言顺序排列' : '已按单位排列';
    setAnnounce(text);
    setMessage({ kind: 'info', text });
  };

  const counts = composerCharCounts({ lead: fields.lead, summary: fields.summary, transition: fields.transition, items });
  const errors = status.kind === 'invalid' ? status.fieldErrors : {};

  async function saveNow(): Promise<boolean> {
    await sync.saveNow();
    await sync.settle();
    return !sync.unsaved && !sync.halted;
  }

  function chooseTheirs() {
    if (!conflict) return;
    dispatch({ type: 'load', source: conflict.theirs });
    void sync.resolved(conflict.theirs.revision, false);
    setConflict({ ...conflict, chosen: 'theirs' });
    setMessage({ kind: 'info', text: '已载入对方保存的版本。你的版本仍显示在下面，需要的内容可以复制过来。' });
  }

  function chooseMine() {
    if (!conflict) return;
    void sync.resolved(conflict.theirs.revision, true);
    setConflict({ ...conflict, chosen: 'mine' });
    setMessage({ kind: 'info', text: '正在以你的版本保存。对方的版本仍显示在下面，需要的内容可以复制过来。' });
  }

  function addCandidates(chosen: CandidateDto[]) {
    const fresh = freshCandidates(state, chosen);
    if (!fresh.length) return;
    setKeys((k) => ({ ...k, ...Object.fromEntries(fresh.map((c) => [c.reflectionId, c.order])) }));
    act({ type: 'add', candidates: fresh }, true);
    setMessage({ kind: 'info', text: `已按勾选的顺序加入 ${fresh.length} 条发言` });
  }

  async function copyForWechat() {
    setMessage(null);
    if (unsaved && !(await saveNow())) {
      setMessage({ kind: 'error', text: '修改还没有保存，复制的会是上次保存的内容。请先处理保存问题后再复制。' });
      return;
    }
    const fetchText = async (format: 'html' | 'txt') => {
      const res = await fetch(`/api/bulletins/${bulletin.id}/export?format=${format}`, { credentials: 'same-origin', cache: 'no-store' });
      if (!res.ok) throw new Error(String(res.status));
      return (await res.text()).replace(/^\ufeff/u, '');
    };
    // The 公众号 editor takes pasted rich text: only the body of the exported page is wanted.
    const html = fetchText('html').then((t) => /<body>([\s\S]*)<\/body>/u.exec(t)?.[1] ?? t);
    const text = fetchText('txt');
    try {
      if (typeof ClipboardItem !== 'undefined' && navigator.clipboard?.write) {
        await navigator.clipboard.write([
          new ClipboardItem({
            'text/html': html.then((h) => new Blob([h], { type: 'text/html' })),
            'text/plain': text.then((t) => new Blob([t], { type: 'text/plain' })),
          }),
        ]);
        setMessage({ kind: 'success', text: '已复制到剪贴板：在公众号编辑器里粘贴即可，标题和发言人加粗等格式会一起带过去。' });
      } else {
        await navigator.clipboard.writeText(await text);
        setMessage({ kind: 'success', text: '已复制纯文本到剪贴板（这个浏览器不支持复制格式）；需要格式请用“公众号格式”下载。' });
      }
    } catch {
      setMessage({ kind: 'error', text: '没能复制到剪贴板，请用“公众号格式”下载后打开复制。' });
    }
  }

  return (
    <div
      ref={root}
      className="space-y-6"
      onBlur={(e) => {
        // Leaving a field (not moving between two of them inside the item list) saves at once.
        if (!readOnly && dirty && !e.currentTarget.contains(e.relatedTarget as Node | null)) void sync.saveNow();
      }}
    >
      <p aria-live="polite" className="sr-only">
        {announce}
      </p>
      {readOnly ? (
        <Alert kind="info">这期简报已发布，是只读的。要修改，请点“更正”；改好后“发布更正”会发布新的一版，旧版仍可查阅。</Alert>
      ) : null}
      {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
      {status.kind === 'invalid' ? <Alert kind="error">没有保存：{status.message}</Alert> : null}
      {conflict ? <ConflictPanel conflict={conflict} onTheirs={chooseTheirs} onMine={chooseMine} onClose={() => setConflict(null)} /> : null}

      <fieldset disabled={readOnly} className={s.grid}>
        <legend>简报信息</legend>
        <Field label="期号" name="number" type="number" min={1} value={fields.number} onChange={(e) => set('number', e.target.value)} errors={errors.number} />
        <Field label="日期" name="issuedOn" type="date" value={fields.issuedOn} onChange={(e) => set('issuedOn', e.target.value)} errors={errors.issuedOn} />
        <div className={s.wide}>
          <Field label="标题" name="title" value={fields.title} onChange={(e) => set('title', e.target.value)} errors={errors.title} maxLength={200} />
        </div>
        <div className={s.wide}>
          <Field
            label="印刷标题"
            name="headline"
            value={fields.headline}
            placeholder={drafts.headline}
            onChange={(e) => set('headline', e.target.value)}
            errors={errors.headline}
            maxLength={200}
            hint={`印在打印版和Word红色报头下的文章标题；留空则用“${drafts.headline}”。`}
          />
        </div>
        <Field label="编辑" name="editor" value={fields.editor} onChange={(e) => set('editor', e.target.value)} errors={errors.editor} maxLength={50} />
        <Field label="编印单位" name="publisher" value={fields.publisher} onChange={(e) => set('publisher', e.target.value)} errors={errors.publisher} maxLength={100} />
        <div className={s.wide}>
          <TextAreaField label="导语" name="lead" rows={4} value={fields.lead} onChange={(e) => set('lead', e.target.value)} errors={errors.lead} hint="这次集中学习的情况：时间、内容、谁作了讲话。一段一行。" />
        </div>
        <div className={s.wide}>
          <TextAreaField label="小结" name="summary" rows={2} value={fields.summary} onChange={(e) => set('summary', e.target.value)} errors={errors.summary} />
        </div>
        <div className={s.wide}>
          <Field label="过渡语" name="transition" value={fields.transition} onChange={(e) => set('transition', e.target.value)} errors={errors.transition} />
        </div>
      </fieldset>

      {!readOnly ? (
        <BulletinDraftHelpers
          drafts={drafts}
          current={{ lead: fields.lead, summary: fields.summary, transition: fields.transition, headline: fields.headline }}
          // A draft taken is an edit like any other: it goes through the reducer and is saved at once.
          onUse={(name, value) => act({ type: 'setField', name, value }, true)}
        />
      ) : null}

      <section aria-labelledby="items-heading" className={s.card}>
        <h2 id="items-heading" className={s.heading}>
          发言（{items.length} 条，发言 {counts.itemsTotal} 字，全文 {counts.total} 字）
        </h2>
        <p className={s.note}>拖动调整顺序；也可以选中一条后按 Alt+↑ / Alt+↓，或用“上移”“下移”。摘编只改简报里的文字，不改学员的原文。</p>
        {!readOnly && items.length > 1 ? (
          <div className={s.row} role="group" aria-label="一键排序">
            <button type="button" className={s.b} onClick={() => sortBy('spoken')}>
              按发言顺序
            </button>
            <button type="button" className={s.b} onClick={() => sortBy('unit')}>
              按单位
            </button>
          </div>
        ) : null}
        {items.length === 0 ? <p className="mt-3 rounded-md border border-dashed border-stone-300 p-4 text-stone-600">还没有发言。在下面的“选择学习心得”里按发言顺序勾选后点“加入简报”。</p> : null}
        <ol className={s.items}>
          {items.map((item, index) => (
            <ComposerItemCard
              key={item.key}
              item={item}
              index={index}
              total={items.length}
              readOnly={readOnly}
              chars={counts.items[index] ?? 0}
              onChange={(patch) => act({ type: 'setItem', key: item.key, patch }, patch.refreshed === true)}
              onExcerpt={(body) => act({ type: 'setItem', key: item.key, patch: excerptPatch(item, body) }, true)}
              onMove={(d) => move(index, d)}
              onDrop={(from) => act({ type: 'moveTo', from, to: index }, true)}
              onRemove={() => act({ type: 'remove', key: item.key }, true)}
            />
          ))}
        </ol>
      </section>

      {!readOnly ? <CandidatePicker courseId={bulletin.course.id} filters={filters} taken={new Set(items.map((i) => i.reflectionId ?? 0))} onAdd={addCandidates} /> : null}

      <fieldset disabled={readOnly} className={s.grid}>
        <legend>报尾</legend>
        <Field label="报" name="reportTo" value={fields.reportTo} onChange={(e) => set('reportTo', e.target.value)} errors={errors.reportTo} />
        <Field label="送" name="sendTo" value={fields.sendTo} onChange={(e) => set('sendTo', e.target.value)} errors={errors.sendTo} />
        <Field label="发" name="issueTo" value={fields.issueTo} onChange={(e) => set('issueTo', e.target.value)} errors={errors.issueTo} />
        <Field label="共印份数" name="copies" type="number" min={0} value={fields.copies} onChange={(e) => set('copies', e.target.value)} errors={errors.copies} hint="0 表示不印“共印N份”" />
      </fieldset>

      {/* What is saved stays in sight while working; the views and exports sit below, off the small screen's bottom edge. */}
      <div className={s.saveBar}>
        {!readOnly ? (
          <button type="button" className={s.p} onClick={() => void saveNow()} disabled={status.kind === 'saving' || status.kind === 'conflict'}>
            {status.kind === 'saving' ? '正在保存…' : '保存'}
          </button>
        ) : null}
        <span role="status">
          {readOnly ? '已发布' : statusText(status, dirty)}
        </span>
      </div>

      <section aria-labelledby="views-heading" className={s.card}>
        <h2 id="views-heading" className={s.heading}>
          预览与导出
        </h2>
        <p className={s.note}>预览、导出和复制用已保存的内容；有修改时“复制到公众号”会先保存。</p>
        <div className={s.row}>
          <Link href={`/bulletins/${bulletin.id}/preview`} className={s.b}>
            预览
          </Link>
          <Link href={`/bulletins/${bulletin.id}/print`} className={s.b}>
            打印版
          </Link>
          <a href={`/api/bulletins/${bulletin.id}/export?format=docx`} download className={s.b}>
            导出Word
          </a>
          <a href={`/api/bulletins/${bulletin.id}/export?format=txt`} download className={s.b}>
            纯文本
          </a>
          <a href={`/api/bulletins/${bulletin.id}/export?format=html`} download className={s.b}>
            公众号格式
          </a>
          <button type="button" className={s.b} onClick={() => void copyForWechat()}>
            复制到公众号
          </button>
        </div>
      </section>

      <PublishControls bulletin={bulletin} state={state} unsaved={unsaved} saveNow={saveNow} revision={() => sync.revision} onFixItem={(key, body) => act({ type: 'setItem', key, patch: { body } }, true)} onFixField={(name, value) => act({ type: 'setField', name, value }, true)} />

      <ComposerDialog open={leaving !== null} title="还有没保存的修改" onClose={() => setLeaving(null)}>
        {({ descriptionId }) => (
          <>
            <p id={descriptionId}>这期简报有修改还没有保存到服务器。离开前先保存吗？</p>
            {leaving?.error ? <Alert kind="error">{leaving.error}</Alert> : null}
            <div className="flex flex-wrap gap-2">
              <button
                type="button"
                data-autofocus
                className={s.p}
                onClick={() =>
                  void saveNow().then((ok) => {
                    if (!leaving) return;
                    if (ok) {
                      unsavedRef.current = false;
                      router.push(leaving.href);
                    } else setLeaving({ ...leaving, error: '没有保存成功，修改还在本页。请看页面上的提示，处理后再离开。' });
                  })
                }
              >
                保存后离开
              </button>
              <button type="button" className={s.b} onClick={() => setLeaving(null)}>
                留在本页
              </button>
              <button
                type="button"
                className={s.d}
                onClick={() => {
                  if (!leaving) return;
                  unsavedRef.current = false;
                  sync.dispose();
                  router.push(leaving.href);
                }}
              >
                不保存，离开
              </button>
            </div>
          </>
        )}
      </ComposerDialog>
    </div>
  );
}

function ConflictPanel({ conflict, onTheirs, onMine, onClose }: { conflict: Conflict; onTheirs: () => void; onMine: () => void; onClose: () => void }) {
  const theirs = initComposer(conflict.theirs);
  const panels = [
    { label: conflict.chosen === 'mine' ? '你的版本（已保存）' : '你的版本（没有保存）', text: copyText(conflict.mine) },
    { label: conflict.chosen === 'theirs' ? '另一位组织者的版本（已载入）' : '另一位组织者保存的版本', text: copyText(theirs) },
  ];
  return (
    <section className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-4" aria-labelledby="conflict-heading">
      <h2 id="conflict-heading" className="font-semibold text-amber-900">
        保存冲突：另一位组织者在你编辑时保存了这期简报
      </h2>
      <p className="text-amber-900">
        {conflict.chosen
          ? '两份内容都在下面，可以对照后把需要的部分复制到编辑区。'
          : `对方的版本有 ${conflict.theirs.items.length} 条发言，标题“${conflict.theirs.title}”。没有覆盖任何一方：你的修改还在本页，对方的也还在服务器上。请选择以哪一份为准继续编辑，另一份会留在这里供复制。`}
      </p>
      {!conflict.chosen ? (
        <div className="flex flex-wrap gap-2">
          <button type="button" className={s.b} onClick={onTheirs}>
            载入对方的版本
          </button>
          <button type="button" className={s.b} onClick={onMine}>
            以我的版本为准
          </button>
        </div>
      ) : (
        <button type="button" className={s.b} onClick={onClose}>
          关闭对照
        </button>
      )}
      <div className="grid gap-3 lg:grid-cols-2">
        {panels.map((p) => (
          <TextAreaField key={p.label} label={p.label} name={p.label} readOnly rows={10} value={p.text} />
        ))}
      </div>
    </section>
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
  onExcerpt,
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
  /** 全文 / 要点 / 自定义 chosen: the item's text becomes that excerpt (saved at once). */
  onExcerpt: (body: string) => void;
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
      aria-label={`第 ${index + 1} 条：${item.heading}`}
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
      className={over ? `${s.item} ${s.over}` : s.item}
    >
      <div className={s.itemBar}>
        <span aria-hidden="true" className={s.grip} title="拖动排序">
          ⋮⋮
        </span>
        <span className={s.num}>第 {index + 1} 条</span>
        <span className={s.chars}>{chars} 字</span>
        <div className={s.itemTools}>
          <button type="button" className={s.b} disabled={readOnly || index === 0} onClick={() => onMove(-1)} aria-label={`上移 第 ${index + 1} 条`}>
            上移
          </button>
          <button type="button" className={s.b} disabled={readOnly || index === total - 1} onClick={() => onMove(1)} aria-label={`下移 第 ${index + 1} 条`}>
            下移
          </button>
          <button type="button" className={s.d} disabled={readOnly} onClick={onRemove} aria-label={`移除 第 ${index + 1} 条`}>
            移除
          </button>
        </div>
      </div>
      {item.changed ? (
        <div className={s.changed} role="status">
          原文在加入后有修改。
          {item.currentBody !== null && !readOnly ? (
            <button
              type="button"
              className={s.b}
              onClick={() => onChange({ body: item.currentBody ?? item.body, changed: false, refreshed: true })}
            >
              用最新原文替换
            </button>
          ) : null}
        </div>
      ) : null}
      <div className={s.itemFields}>
        <label htmlFor={`${id}-h`} className={s.label}>
          发言人（第 {index + 1} 条）
        </label>
        <input id={`${id}-h`} data-typed={`${item.key}:heading`} className={s.input} value={item.heading} readOnly={readOnly} onChange={(e) => onChange({ heading: e.target.value })} maxLength={200} />
        <label htmlFor={`${id}-b`} className={s.label}>
          摘编内容（第 {index + 1} 条）
        </label>
        {item.sourceBody !== null && !readOnly ? <ExcerptChoice label={`第 ${index + 1} 条 ${item.heading}`} fullText={item.sourceBody} body={item.body} onChange={onExcerpt} /> : null}
        <textarea id={`${id}-b`} data-typed={`${item.key}:body`} className={s.input} rows={5} value={item.body} readOnly={readOnly} onChange={(e) => onChange({ body: e.target.value })} />
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
  // Ticked candidates in the order ticked (a Map keeps insertion order), across searches.
  const [chosen, setChosen] = useState<Map<number, CandidateDto>>(new Map());
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
    <section aria-labelledby="picker-heading" className={s.card}>
      <h2 id="picker-heading" className={s.heading}>
        选择学习心得
      </h2>
      <form
        ref={form}
        role="search"
        aria-label="查找已通过的学习心得"
        className={s.pick}
        onSubmit={(e) => {
          e.preventDefault();
          search();
        }}
      >
        <div className="space-y-1">
          <label htmlFor="pick-meeting" className={s.label}>
            集中学习
          </label>
          <select id="pick-meeting" name="meetingId" className={s.input} defaultValue="" onChange={search}>
            <option value="">全部</option>
            {filters.meetings.map((m) => (
              <option key={m.id} value={m.id}>
                {m.title}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="pick-tag" className={s.label}>
            标签
          </label>
          <select id="pick-tag" name="tagId" className={s.input} defaultValue="" onChange={search}>
            <option value="">全部</option>
            {filters.tags.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        <label className={s.check}>
          <input type="checkbox" name="excellent" onChange={search} />
          只看优秀
        </label>
        <div className={s.wideField}>
          <label htmlFor="pick-q" className={s.label}>
            搜索
          </label>
          <input id="pick-q" name="q" type="search" maxLength={50} placeholder="标题、正文或姓名" className={s.input} />
        </div>
        <button type="submit" className={s.b} disabled={pending}>
          {pending ? '正在查找…' : '查找'}
        </button>
      </form>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {list ? (
        <>
          <p className="mt-3 text-sm text-stone-600" aria-live="polite">
            {list.total} 篇已通过的心得{list.total > list.items.length ? `，显示前 ${list.items.length} 篇` : ''}
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
                    aria-label={`${c.authorName} ${c.title || '（无标题）'}`}
                    onChange={(e) =>
                      setChosen((s) => {
                        const n = new Map(s);
                        if (e.target.checked) n.set(c.reflectionId, c);
                        else n.delete(c.reflectionId);
                        return n;
                      })
                    }
                  />
                  <label htmlFor={boxId} className="min-w-0 flex-1 break-words">
                    <span className="font-medium">
                      {c.authorName} {c.title || '（无标题）'}
                    </span>
                    {chosen.has(c.reflectionId) ? <span className="ml-2 rounded bg-brand-50 px-1.5 text-xs text-brand-700">第 {[...chosen.keys()].indexOf(c.reflectionId) + 1} 个勾选</span> : null}
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
          <div className="mt-3 flex flex-wrap items-center gap-3">
            <button
              type="button"
              className={s.p}
              disabled={chosen.size === 0}
              onClick={() => {
                onAdd([...chosen.values()]);
                setChosen(new Map());
              }}
            >
              加入简报
            </button>
            <span className={s.hint}>{chosen.size ? `已勾选 ${chosen.size} 篇，按勾选的顺序加入` : '按发言顺序勾选，加入后就是这个顺序'}</span>
          </div>
        </>
      ) : null}
    </section>
  );
}

const QUIET_FIELDS = Object.fromEntries(COMPOSER_FIELDS.map((f) => [f, ''])) as ComposerState['fields'];
const NO_ITEMS: ComposerItem[] = [];

function PublishControls({
  bulletin,
  state,
  unsaved,
  saveNow,
  revision,
  onFixItem,
  onFixField,
}: {
  bulletin: ComposerBulletin;
  state: ComposerState;
  unsaved: boolean;
  saveNow: () => Promise<boolean>;
  revision: () => number;
  onFixItem: (key: string, body: string) => void;
  onFixField: (name: ComposerFieldName, value: string) => void;
}) {
  const [pubState, publish] = useActionState(publishBulletinAction, null);
  const [corState, correct] = useActionState(startCorrectionAction, null);
  const [unState, unpublish] = useActionState(unpublishBulletinAction, null);
  const [checking, setChecking] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [publishing, startPublishing] = useTransition();
  const noteId = useId();
  const [note, setNote] = useState('');
  const correcting = bulletin.status !== 'published' && bulletin.publishedRevision > 0;
  const findings = publishPreflight({ fields: state.fields, items: state.items, dirty: unsaved });
  // 规范提法 is checked when the publish check opens, not on every render of the page (nor on the server).
  const wording = useComposerWording(checking ? state.fields : QUIET_FIELDS, checking ? state.items : NO_ITEMS, onFixItem, onFixField);
  const blocked = findings.some((f) => f.level === 'block');
  const show = (s: ActionResult | null) => (s ? <Alert kind={s.ok ? 'success' : 'error'}>{s.message}</Alert> : null);

  function confirm() {
    setProblem(null);
    startPublishing(async () => {
      if (unsaved && !(await saveNow())) {
        setProblem('修改没有保存成功，所以没有发布。请看页面上的保存提示。');
        return;
      }
      const form = new FormData();
      form.set('id', String(bulletin.id));
      form.set('expectedRevision', String(revision()));
      if (correcting) form.set('note', note);
      form.set('wordingKept', wording.payload());
      publish(form);
      setChecking(false);
    });
  }

  return (
    <section aria-labelledby="publish-heading" className={s.publish}>
      <h2 id="publish-heading" className={s.heading}>
        发布
      </h2>
      {show(pubState)}
      {show(corState)}
      {show(unState)}
      {bulletin.status !== 'published' ? (
        <div className="space-y-3">
          {correcting ? (
            <div className="space-y-1">
              <label htmlFor={noteId} className={s.label}>
                更正说明
              </label>
              <input id={noteId} className={s.input} maxLength={200} placeholder="例如：更正第3条发言人职务" value={note} onChange={(e) => setNote(e.target.value)} />
            </div>
          ) : null}
          <p className={s.hint}>发布前会先检查缺少或可能有误的地方。发布后简报变为只读，本读书班的学员会在“我的学习 › 简报”里看到并收到通知。</p>
          <button type="button" className={s.p} disabled={publishing} onClick={() => setChecking(true)}>
            {publishing ? '正在发布…' : correcting ? '发布更正' : '发布'}
          </button>
        </div>
      ) : (
        <form action={correct}>
          <input type="hidden" name="id" value={bulletin.id} />
          <SubmitButton variant="secondary">更正</SubmitButton>
        </form>
      )}
      <ComposerDialog open={checking} title={`发布前检查：第${state.fields.number}期`} onClose={() => setChecking(false)}>
        {({ descriptionId }) => (
          <>
            <div id={descriptionId} className="space-y-2">
              {findings.length === 0 ? (
                <p>没有发现缺少或可能有误的地方。确认发布吗？</p>
              ) : (
                <>
                  <p>{blocked ? '还不能发布：' : '请核对以下几处，确认无误再发布：'}</p>
                  <ul className="list-disc space-y-1 pl-5">
                    {findings.map((f) => (
                      <li key={f.text} className={f.level === 'block' ? 'text-red-800' : 'text-amber-900'}>
                        {f.text}
                      </li>
                    ))}
                  </ul>
                </>
              )}
              <PreflightWording {...wording.props} />
              {problem ? <Alert kind="error">{problem}</Alert> : null}
            </div>
            <div className="flex flex-wrap gap-2">
              {!blocked ? (
                <button type="button" className={s.p} disabled={publishing || !wording.complete} onClick={confirm} data-autofocus={findings.length === 0 ? true : undefined}>
                  {publishing ? '正在发布…' : findings.length || wording.count ? '仍然发布' : '确认发布'}
                </button>
              ) : null}
              <button type="button" className={s.b} onClick={() => setChecking(false)} data-autofocus={findings.length > 0 ? true : undefined}>
                返回修改
              </button>
            </div>
          </>
        )}
      </ComposerDialog>
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
            hint="撤回后学员不再能看到这期简报；原因记入审计日志。"
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
