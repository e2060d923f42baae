'use client';

import { useRouter } from 'next/navigation';
import { lazy, Suspense, useEffect, useId, useLayoutEffect, useRef, useState, useSyncExternalStore, useTransition, type RefObject } from 'react';
import { submitReflectionAction } from '@/app/(cadre)/my/actions';
import type { ConflictFailure, ServerCopy } from '@/db/queries/reflections/working-copy';
import { SubmittedBar, SubmittedOutcome } from '@/components/reflection-view/submitted-outcome';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button-class';
import { inputClass } from '@/components/ui/field';
import type { FieldErrors } from '@/lib/action-result';
import { charLimitProblem, finalBody, finalTitle, MAX_BODY_CHARS, MAX_TITLE_CHARS, type DraftContent } from '@/lib/reflection/limits';
import { DECLARATION_LABEL, OFFLINE_MESSAGE, SIGNED_OUT_MESSAGE } from '@/lib/reflection/messages';
import { countChars } from '@/lib/text/char-count';
import { CharCounter } from './char-counter';
import { DraftSync, type Divergence, type SaveStatus } from './draft-sync';
import { clockLabel } from './format';
import { ImportControl, type ImportedText } from './import-control';
import type { HeadingChoice } from './import-heading';
import { clearPendingQuotes, peekPendingQuotes, withQuotedReadings, withQuotes } from './pending-quotes';
import { browserStorage, decideRestore, readLocal, storageKey, type ServerSnapshot } from './local-copy';
import { useCaretGuard } from './caret-guard';
import { PlainEditorForm } from './plain-form';
import { newSubmitKey } from './submit-key';
import { typedBeforeScripts } from './typed-before-scripts';

export interface ReflectionEditorProps {
  userId: number;
  assignmentId: number;
  minChars: number;
  maxChars: number;
  readings: { id: number; title: string }[];
  /** The working copy on the server when the page was rendered; null when there is none yet. */
  server: ServerSnapshot | null;
  /** A warning to show by the submit button, e.g. that a submission now counts as late. */
  submitNote: string | null;
  /** Today in Asia/Shanghai (yyyy-m-d), so that times of today read as 14:05. */
  today: string;
  loginHref: string;
  /** The assignment's name, which an empty title becomes on submitting. */
  assignmentTitle: string;
  /** A fresh key for the plain form's submit (the scripted editor makes its own). */
  plainSubmitKey: string;
}

const subscribeNothing = () => () => undefined;

// What the editor shows only later (the choice between two copies, the notice after an import,
// the wording advice) is not in the page's first scripts (issue 15: the editor's scripts within
// 1.15× a bare page). Each is fetched as soon as the editor is up, so that it is at hand before it
// is needed, also when the connection drops afterwards; until then its place stays empty or says
// so. The wording advisor showed nothing until its checker arrived before as well.
const loadChoicePanel = () => import('./choice-panel');
const loadImportHeading = () => import('./import-heading');
const loadWordingAdvisor = () => import('@/components/wording/wording-advisor');
const ChoicePanel = lazy(() => loadChoicePanel().then((m) => ({ default: m.ChoicePanel })));
const ImportChoice = lazy(() => loadImportHeading().then((m) => ({ default: m.ImportChoice })));
const ImportHeadingNotice = lazy(() => loadImportHeading().then((m) => ({ default: m.ImportHeadingNotice })));
const WordingAdvisor = lazy(() => loadWordingAdvisor().then((m) => ({ default: m.WordingAdvisor })));

function preloadLaterParts(): void {
  void Promise.all([loadChoicePanel(), loadImportHeading(), loadWordingAdvisor()]).catch(() => undefined);
}

/**
 * The editor reads the browser's copy of the draft when it starts, which the server cannot see:
 * it renders only in the browser, with the server's text shown read-only until then.
 */
export function ReflectionEditor(props: ReflectionEditorProps) {
  const inBrowser = useSyncExternalStore(
    subscribeNothing,
    () => true,
    () => false,
  );
  // Until scripts run (and for good when they do not) the editor is a plain form that posts. What
  // was typed into it meanwhile is read when the editor takes its place (typed-before-scripts.ts).
  const plainForm = useRef<HTMLFormElement | null>(null);
  if (!inBrowser) return <PlainEditorForm {...props} formRef={plainForm} />;
  return <EditorBody {...props} plainForm={plainForm} />;
}

/** A submit refused because the server's copy moved on carries that copy for the choice. */
function isConflict(r: { ok: boolean; code?: string }): r is ConflictFailure {
  return !r.ok && r.code === 'conflict' && 'server' in r;
}

function toServerCopy(s: ServerSnapshot): ServerCopy {
  return { ...s, status: 'draft' };
}

function statusText(s: SaveStatus, today: string): string {
  switch (s.kind) {
    case 'idle':
      return '尚未保存';
    case 'pending':
      return '有修改，稍后自动保存';
    case 'saving':
      return '正在保存…';
    case 'saved':
      return `已保存 ${clockLabel(s.at, today)}`;
    case 'offline':
      return s.local ? OFFLINE_MESSAGE : '未连接，内容还没有保存，请不要关闭本页，联网后自动保存';
    case 'unauthenticated':
      return SIGNED_OUT_MESSAGE;
    case 'conflict':
      return '与服务器上的版本不一致，请在上方选择保留哪一份';
    case 'locked':
    case 'error':
      return s.message;
  }
}

/** What the editor shows once handed in, from the submit action's result. */
interface Submitted {
  version: number;
  when: string;
  late: boolean;
  canWithdraw: boolean;
  repeated: boolean;
}

type Notice = { kind: 'error' | 'success' | 'info'; text: string } | null;

function EditorBody({
  userId,
  assignmentId,
  minChars,
  maxChars,
  readings,
  server,
  submitNote,
  today,
  loginHref,
  assignmentTitle,
  plainForm,
}: ReflectionEditorProps & { plainForm: RefObject<HTMLFormElement | null> }) {
  const router = useRouter();
  const ids = { title: useId(), body: useId(), counter: useId(), declaration: useId() };

  const [start] = useState(() => {
    const key = storageKey(userId, assignmentId);
    const storage = browserStorage();
    const decision = decideRestore(readLocal(storage, key), server);
    const fromServer: DraftContent = server
      ? { title: server.title, body: server.body, readingIds: server.readingIds }
      : { title: '', body: '', readingIds: [] };
    // Read while the plain form is still in the page (this runs in the render that replaces it).
    const typed = typedBeforeScripts(plainForm.current);
    const content = { ...(decision.kind === 'local' ? decision.local : fromServer), ...typed?.content };
    const divergence: Divergence | null =
      decision.kind === 'choose' && server
        ? {
            reason: 'restore',
            server: toServerCopy(server),
            mine: { title: decision.local.title, body: decision.local.body, readingIds: decision.local.readingIds, ...typed?.content },
            mineAt: decision.local.editedAt,
          }
        : null;
    return { key, storage, decision, content: { title: content.title, body: content.body, readingIds: content.readingIds }, fromServer, divergence, typed };
  });

  const [quoted] = useState(() => (start.divergence ? [] : peekPendingQuotes(userId, assignmentId)));
  const [title, setTitle] = useState(start.content.title);
  const [body, setBody] = useState(() => (quoted.length > 0 ? withQuotes(start.content.body, quoted) : start.content.body));
  const [readingIds, setReadingIds] = useState<number[]>(() => withQuotedReadings(start.content.readingIds, quoted, readings));
  const [declared, setDeclared] = useState(start.typed?.declared ?? false);
  const [divergence, setDivergence] = useState<Divergence | null>(start.divergence);
  const [saveStatus, setSaveStatus] = useState<SaveStatus>(() =>
    start.divergence ? { kind: 'conflict' } : server ? { kind: 'saved', at: server.updatedAt } : { kind: 'idle' },
  );
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [notice, setNotice] = useState<Notice>(
    quoted.length > 0
      ? { kind: 'success', text: `已把 ${quoted.length} 段引文加到正文末尾，请接着写。` }
      : start.decision.kind === 'local'
      ? { kind: 'info', text: `已恢复本机保存的内容（修改于 ${clockLabel(start.decision.local.editedAt, today)}）。` }
      : null,
  );
  const [pendingImport, setPendingImport] = useState<ImportedText | null>(null);
  const [headingChoice, setHeadingChoice] = useState<HeadingChoice | null>(null);
  const [submitting, startSubmit] = useTransition();
  const [done, setDone] = useState<Submitted | null>(null);
  const submitKey = useRef<string | null>(null);
  // The button is disabled once React re-renders; this stops clicks that land before that.
  const submitInFlight = useRef(false);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const barRef = useRef<HTMLDivElement>(null);
  const barLift = useCaretGuard(barRef, bodyRef);

  const [sync] = useState(
    () =>
      new DraftSync({
        assignmentId,
        storageKey: start.key,
        storage: start.storage,
        base: server?.revision ?? 0,
        saved: server ? start.fromServer : null,
        content: start.content,
        editedAt: start.decision.kind === 'local' ? start.decision.local.editedAt : (server?.updatedAt ?? 0),
        savedAt: server?.updatedAt ?? null,
        onStatus: setSaveStatus,
        onDivergence: setDivergence,
      }),
  );

  useEffect(preloadLaterParts, []);

  useEffect(() => {
    if (start.divergence) sync.holdForChoice(start.divergence);
    else if (start.decision.kind === 'local') sync.restored();
    const online = () => sync.resume();
    const visibility = () => {
      if (document.visibilityState === 'hidden') void sync.saveNow(true);
      else sync.resume();
    };
    const leaving = () => sync.leaving();
    window.addEventListener('online', online);
    window.addEventListener('focus', online);
    document.addEventListener('visibilitychange', visibility);
    window.addEventListener('pagehide', leaving);
    return () => {
      window.removeEventListener('online', online);
      window.removeEventListener('focus', online);
      document.removeEventListener('visibilitychange', visibility);
      window.removeEventListener('pagehide', leaving);
      // Leaving by a link inside the app unmounts the editor without a pagehide.
      sync.leaving();
      sync.dispose();
    };
  }, [sync, start]);

  // Quotations chosen in the reader (引用到心得) join the 正文 when the editor opens; the draft
  // sync is told of them as of any edit, so autosave keeps them.
  useEffect(() => {
    if (quoted.length === 0) return;
    clearPendingQuotes(userId, assignmentId);
    sync.edited({ title, body, readingIds });
    const el = bodyRef.current;
    if (el) {
      el.focus();
      el.setSelectionRange(el.value.length, el.value.length);
    }
    // Once, when the editor opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [quoted, sync]);

  // Typed into the plain form before the scripts ran: saved like any edit, the caret put back.
  useEffect(() => {
    const typed = start.typed;
    if (!typed) return;
    if (Object.keys(typed.content).length > 0 && !start.divergence) sync.edited(start.content);
    if (typed.focus) {
      const el = typed.focus.field === 'body' ? bodyRef.current : document.getElementById(ids.title);
      if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
        el.focus();
        el.setSelectionRange(typed.focus.start, typed.focus.end);
      }
    }
    // Once, when the editor takes the plain form's place.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [start, sync]);

  // The 正文 grows with its text, so the page scrolls rather than a small box inside it.
  useLayoutEffect(() => {
    const el = bodyRef.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${el.scrollHeight + 2}px`;
  }, [body, divergence]);

  const count = countChars(body);

  function edit(next: Partial<DraftContent>) {
    const content = { title, body, readingIds, ...next };
    if (next.title !== undefined) setTitle(next.title);
    if (next.body !== undefined) setBody(next.body);
    if (next.readingIds !== undefined) setReadingIds(next.readingIds);
    const cleared = { ...fieldErrors };
    for (const k of Object.keys(next)) delete cleared[k];
    setFieldErrors(cleared);
    sync.edited(content);
  }

  function toggleReading(id: number, on: boolean) {
    edit({ readingIds: on ? [...readingIds, id].sort((a, b) => a - b) : readingIds.filter((r) => r !== id) });
  }

  async function applyImport(t: ImportedText, how: 'replace' | 'append') {
    // Loaded with the editor (preloadLaterParts): this await settles in a microtask, before any keystroke.
    const { headingOf } = await loadImportHeading();
    const h = headingOf(t, title, how === 'replace' ? null : body);
    edit(h.title ? { body: h.body, title: h.title } : { body: h.body });
    setHeadingChoice(h.choice);
    setPendingImport(null);
    setNotice({
      kind: 'success',
      text: `已${how === 'append' && body.trim() ? '追加' : '导入'}“${t.fileName}”的 ${t.paragraphs} 段文字（字数 ${t.charCount}）。请核对后再提交。`,
    });
  }

  function imported(t: ImportedText) {
    if (!body.trim()) void applyImport(t, 'replace');
    else setPendingImport(t);
  }

  function keepMine() {
    if (!divergence) return;
    const mine = divergence.mine;
    setTitle(mine.title);
    setBody(mine.body);
    setReadingIds(mine.readingIds);
    sync.keepMine(divergence.server, mine);
    setNotice(null);
  }

  function takeServer() {
    if (!divergence) return;
    const s = divergence.server;
    setTitle(s.title);
    setBody(s.body);
    setReadingIds(s.readingIds);
    sync.takeServer(s);
    setNotice(null);
  }

  function saveDraftNow() {
    setNotice(null);
    sync.resume();
    void sync.saveNow();
  }

  function focusField(name: string) {
    const id = name === 'title' ? ids.title : name === 'body' ? ids.body : name === 'declaration' ? ids.declaration : null;
    if (id) document.getElementById(id)?.focus();
  }

  function submit() {
    if (submitInFlight.current) return;
    const errors: FieldErrors = {};
    const t = finalTitle(title);
    const b = finalBody(body);
    if (t.length > MAX_TITLE_CHARS) errors.title = [`标题最多 ${MAX_TITLE_CHARS} 个字`];
    if (!b) errors.body = ['请填写正文'];
    else if (b.length > MAX_BODY_CHARS) errors.body = [`正文过长，最多 ${MAX_BODY_CHARS} 个字符`];
    if (b && !errors.body) {
      const problem = charLimitProblem(countChars(b), minChars, maxChars);
      if (problem) errors.body = [problem];
    }
    if (!declared) errors.declaration = [`请勾选“${DECLARATION_LABEL}”`];
    const problems = Object.entries(errors);
    if (problems.length > 0) {
      setFieldErrors(errors);
      setNotice({ kind: 'error', text: `未能提交：${problems.map(([, m]) => m?.join('；')).join('；')}` });
      focusField(problems[0]?.[0] ?? '');
      return;
    }
    setFieldErrors({});
    setNotice(null);
    // One key per intent to submit: a retry after a timeout reuses it, so the server makes one version.
    submitKey.current ??= newSubmitKey();
    const key = submitKey.current;
    submitInFlight.current = true;
    startSubmit(async () => {
      try {
        await send(key);
      } finally {
        submitInFlight.current = false;
      }
    });
  }

  async function send(key: string) {
    await sync.settle();
    if (divergence || sync.currentStatus.kind === 'conflict') {
      setNotice({ kind: 'error', text: '请先在上方选择保留哪一份内容，再提交。' });
      return;
    }
    let r: Awaited<ReturnType<typeof submitReflectionAction>>;
    try {
      r = await submitReflectionAction({
        assignmentId,
        title,
        body,
        readingIds,
        baseRevision: sync.baseRevision,
        submitKey: key,
        declaration: declared,
      });
    } catch {
      setNotice({
        kind: 'error',
        text: '网络中断，提交没有完成。内容已保存在本机；联网后请再点“提交”，不会重复提交。',
      });
      return;
    }
    if (r.ok) {
      submitKey.current = null;
      sync.submitted(r.revision, { title: finalTitle(title), body: finalBody(body), readingIds });
      setNotice(null);
      // The editor turns into the outcome from the action's small result, scrolled to and focused;
      // the server renders nothing more (the next visit to the page or to /my shows the new state).
      setDone({ version: r.version, when: r.when, late: r.late, canWithdraw: r.status === 'submitted', repeated: r.repeated });
      return;
    }
    if (isConflict(r)) {
      sync.conflictFrom(r.server);
      setNotice({ kind: 'error', text: `${r.message}。选好后再点“提交”。` });
      return;
    }
    if (r.code === 'unauthenticated') {
      sync.signedOut();
      setNotice({ kind: 'error', text: SIGNED_OUT_MESSAGE });
      return;
    }
    if (r.code === 'locked') {
      sync.locked(r.message);
      submitKey.current = null;
      setNotice({ kind: 'error', text: `${r.message}。编辑器里的文字仍在，需要的话请复制留存。` });
      return;
    }
    if (r.fieldErrors) {
      setFieldErrors(r.fieldErrors);
      const first = Object.keys(r.fieldErrors)[0];
      if (first) focusField(first);
    }
    setNotice({ kind: 'error', text: r.message });
  }

  const locked = saveStatus.kind === 'locked';
  const statusTone =
    saveStatus.kind === 'offline' || saveStatus.kind === 'unauthenticated' || saveStatus.kind === 'error' || saveStatus.kind === 'conflict' || locked
      ? 'text-red-700 font-medium'
      : 'text-stone-600';

  if (done) {
    return (
      <div data-just-submitted="">
        <SubmittedOutcome assignmentId={assignmentId} version={done.version} when={done.when} late={done.late} canWithdraw={done.canWithdraw} justSubmitted />
        {done.repeated ? <p className="mb-5 text-base text-stone-700">这篇心得已经提交过，没有重复提交。</p> : null}
        <p className="text-base">
          {/* Plain links, as in the shell: next/link would add a script file to the editor (issue 15). */}
          <a href={`/my/assignments/${assignmentId}/versions/${done.version}`} className="inline-flex min-h-11 items-center text-brand-700 underline underline-offset-2">
            查看提交的第 {done.version} 版
          </a>
        </p>
        <SubmittedBar version={done.version} when={done.when} />
      </div>
    );
  }

  if (divergence) {
    return (
      <Suspense fallback={<p className="text-base text-stone-700">正在载入两份内容的对比…</p>}>
        <ChoicePanel divergence={divergence} today={today} onKeepMine={keepMine} onTakeServer={takeServer} />
      </Suspense>
    );
  }

  const describe = (id: string, field: string, extra?: string) =>
    [fieldErrors[field]?.length ? `${id}-error` : null, extra ?? null].filter(Boolean).join(' ') || undefined;

  return (
    <div className="space-y-5">
      <div className="space-y-1">
        <label htmlFor={ids.title} className="block text-base font-medium text-stone-900">
          标题<span className="ml-2 text-sm font-normal text-stone-600">可不填，不填时用“{assignmentTitle}”</span>
        </label>
        <input
          id={ids.title}
          className={inputClass}
          value={title}
          onChange={(e) => edit({ title: e.target.value })}
          onBlur={() => void sync.saveNow()}
          aria-invalid={fieldErrors.title?.length ? true : undefined}
          aria-describedby={describe(ids.title, 'title')}
          readOnly={locked}
          autoComplete="off"
        />
        {fieldErrors.title?.length ? (
          <p id={`${ids.title}-error`} className="text-sm text-red-700">
            {fieldErrors.title.join('；')}
          </p>
        ) : null}
      </div>

      {readings.length > 0 ? (
        <fieldset className="space-y-2">
          <legend className="text-base font-medium text-stone-900">学习篇目（选择心得涉及的篇目）</legend>
          <div className="flex flex-col gap-1">
            {readings.map((r) => (
              <label key={r.id} className="flex min-h-11 items-center gap-3 rounded-md px-1 text-base hover:bg-stone-50">
                <input
                  type="checkbox"
                  className="size-5 shrink-0 accent-brand-600"
                  checked={readingIds.includes(r.id)}
                  onChange={(e) => toggleReading(r.id, e.target.checked)}
                  disabled={locked}
                />
                <span className="break-words">{r.title}</span>
              </label>
            ))}
          </div>
        </fieldset>
      ) : null}

      <div className="space-y-1">
        <div className="flex flex-wrap items-end justify-between gap-2">
          <label htmlFor={ids.body} className="block text-base font-medium text-stone-900">
            正文
          </label>
          <ImportControl onText={imported} disabled={locked} />
        </div>
        {pendingImport ? (
          <Suspense fallback={null}>
            <ImportChoice
              id={`${ids.body}-import`}
              imported={pendingImport}
              onReplace={() => void applyImport(pendingImport, 'replace')}
              onAppend={() => void applyImport(pendingImport, 'append')}
              onCancel={() => setPendingImport(null)}
            />
          </Suspense>
        ) : null}
        {headingChoice ? (
          <Suspense fallback={null}>
            <ImportHeadingNotice
              choice={headingChoice}
              onUndo={() => {
                edit({ body: headingChoice.undoBody, title: headingChoice.undoTitle });
                setHeadingChoice(null);
              }}
              onDismiss={() => setHeadingChoice(null)}
            />
          </Suspense>
        ) : null}
        <textarea
          id={ids.body}
          ref={bodyRef}
          className={`${inputClass} min-h-[50vh] resize-none leading-8 md:min-h-80`}
          rows={14}
          value={body}
          onChange={(e) => edit({ body: e.target.value })}
          onBlur={() => void sync.saveNow()}
          aria-invalid={fieldErrors.body?.length ? true : undefined}
          aria-describedby={describe(ids.body, 'body', ids.counter)}
          readOnly={locked}
          placeholder="每段一行。可以从 Word 中复制粘贴，或用右上角的“导入文件”读取 Word、WPS 或文本文件。"
        />
        {fieldErrors.body?.length ? (
          <p id={`${ids.body}-error`} className="text-sm text-red-700">
            {fieldErrors.body.join('；')}
          </p>
        ) : null}
        <Suspense fallback={null}>
          <WordingAdvisor text={body} onChange={(next) => edit({ body: next })} disabled={locked} />
        </Suspense>
      </div>

      <div className="space-y-1">
        <label htmlFor={ids.declaration} className="flex min-h-11 items-center gap-3 text-base">
          <input
            id={ids.declaration}
            type="checkbox"
            className="size-5 shrink-0 accent-brand-600"
            checked={declared}
            onChange={(e) => {
              setDeclared(e.target.checked);
              if (e.target.checked) setFieldErrors((f) => ({ ...f, declaration: undefined }));
            }}
            aria-invalid={fieldErrors.declaration?.length ? true : undefined}
            aria-describedby={fieldErrors.declaration?.length ? `${ids.declaration}-error` : undefined}
            disabled={locked}
          />
          {DECLARATION_LABEL}
        </label>
        {fieldErrors.declaration?.length ? (
          <p id={`${ids.declaration}-error`} className="text-sm text-red-700">
            {fieldErrors.declaration.join('；')}
          </p>
        ) : null}
      </div>

      {notice ? <Alert kind={notice.kind}>{notice.text}</Alert> : null}
      {locked ? (
        <p className="text-base">
          <button type="button" className="text-brand-700 underline underline-offset-2" onClick={() => router.refresh()}>
            刷新页面，查看服务器上的内容
          </button>
        </p>
      ) : null}

      {submitNote ? <p className="text-sm text-amber-800">{submitNote}</p> : null}
      <div ref={barRef} style={barLift ? { bottom: barLift } : undefined} className="sticky bottom-0 z-10 -mx-4 border-t border-stone-200 bg-white/95 px-4 py-2 backdrop-blur md:mx-0 md:rounded-lg md:border">
        <div className="flex items-center justify-between gap-2">
          <div className="min-w-0 flex-1 leading-snug">
            <CharCounter id={ids.counter} count={count} min={minChars} max={maxChars} />
            <p role="status" aria-live="polite" className={`text-sm ${statusTone}`}>
              {statusText(saveStatus, today)}
            </p>
            {saveStatus.kind === 'unauthenticated' ? (
              // A full page load: the sign-in page starts from a fresh session.
              <a href={loginHref} className="inline-flex min-h-11 items-center text-sm text-brand-700 underline underline-offset-2">
                重新登录
              </a>
            ) : null}
          </div>
          <div className="flex shrink-0 gap-2">
            <button type="button" className={buttonClass('secondary')} onClick={saveDraftNow} disabled={locked || submitting}>
              保存草稿
            </button>
            <button
              type="button"
              className={buttonClass('primary')}
              onClick={submit}
              disabled={locked || submitting}
              aria-disabled={locked || submitting}
            >
              {submitting ? '正在提交…' : '提交'}
            </button>
          </div>
        </div>
      </div>
    </div>
  );
}
