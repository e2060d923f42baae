'use client';

import { useId, useRef, useState } from 'react';
import type { CommitDto } from '@/db/queries/roster/commit';
import type { RosterPreviewDto } from '@/db/queries/roster/preview';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button';
import { formatDateTime } from '@/lib/time';

// 上传并预览 → 确认导入 → 下载初始密码表. The file goes up as the raw body of an XMLHttpRequest so
// that the upload can show its progress; the commit's answer streams progress while one-time
// passwords are hashed. Nothing is written before 确认导入, and the server re-reads the stored file
// then, trusting nothing the page sends back but the preview's id and fingerprint.

/** The commit's answer as JSON carries it: its date as a string. */
type CommitDone = Omit<CommitDto, 'expiresAt'> & { expiresAt: string };

type Phase =
  | { kind: 'idle' }
  | { kind: 'uploading'; loaded: number; total: number }
  | { kind: 'checking' }
  | { kind: 'preview'; preview: RosterPreviewDto }
  | { kind: 'committing'; preview: RosterPreviewDto; done: number; total: number }
  | { kind: 'done'; result: CommitDone; fileName: string };

interface ErrorBody {
  ok: false;
  code?: string;
  message?: string;
}

const FALLBACK_ERROR = '操作没有成功，请稍后再试';

function messageOf(body: unknown): string {
  return (body as ErrorBody | null)?.message ?? FALLBACK_ERROR;
}

function uploadFile(file: File, allowCreateUnits: boolean, onProgress: (loaded: number, total: number) => void): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    const q = new URLSearchParams({ name: file.name, allowCreateUnits: allowCreateUnits ? '1' : '0' });
    xhr.open('POST', `/api/admin/roster/preview?${q.toString()}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.response as unknown });
    xhr.onerror = () => resolve({ status: 0, body: { ok: false, message: '网络连接中断，文件没有上传成功' } });
    xhr.send(file);
  });
}

async function postJson(url: string, body: unknown, accept = 'application/json'): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: accept }, body: JSON.stringify(body) });
}

function Counts({ preview }: { preview: RosterPreviewDto }) {
  const c = preview.counts;
  const items = [
    { label: '新增', value: `${c.add} 人` },
    { label: '修改', value: `${c.change} 人` },
    { label: '未变', value: `${c.unchanged} 人` },
    { label: '错误', value: `${c.errors} 处`, bad: c.errors > 0 },
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" aria-label="预览统计">
      {items.map((i) => (
        <div key={i.label} className={`rounded-lg border bg-white px-4 py-3 ${i.bad ? 'border-red-300' : 'border-stone-200'}`}>
          <dt className="text-sm text-stone-600">{i.label}</dt>
          <dd className={`mt-1 text-2xl font-semibold ${i.bad ? 'text-red-700' : 'text-stone-900'}`}>{i.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Table({ caption, head, rows, total }: { caption: string; head: string[]; rows: React.ReactNode[][]; total: number }) {
  if (total === 0) return null;
  return (
    <section className="space-y-2">
      {/* Focusable, so that a keyboard can scroll a wide table on a phone. */}
      <div tabIndex={0} role="region" aria-label={`${caption}（可滚动）`} className="max-h-[32rem] overflow-auto rounded-lg border border-stone-200 bg-white">
        <table className="w-full min-w-[40rem] border-collapse text-left text-sm">
          <caption className="bg-stone-50 px-3 py-2 text-left text-base font-semibold text-stone-900">
            {caption}
            <span className="ml-2 text-sm font-normal text-stone-600">{total} 条</span>
          </caption>
          <thead className="sticky top-0 bg-stone-100 text-stone-700">
            <tr>
              {head.map((h) => (
                <th key={h} scope="col" className="px-3 py-2 font-medium whitespace-nowrap">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i} className="border-t border-stone-200 align-top">
                {r.map((cell, j) => (
                  <td key={j} className={`px-3 py-2 ${j === 0 ? 'whitespace-nowrap tabular-nums' : ''}`}>
                    {cell === '' ? <span className="text-stone-400">—</span> : cell}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {total > rows.length ? <p className="text-sm text-stone-600">只列出前 {rows.length} 条，共 {total} 条。</p> : null}
    </section>
  );
}

function PreviewTables({ preview }: { preview: RosterPreviewDto }) {
  const c = preview.counts;
  return (
    <div className="space-y-5">
      <Table
        caption="错误"
        head={['行号', '列', '原因']}
        total={c.errors}
        rows={preview.errors.map((e) => [String(e.row), e.column, e.message])}
      />
      <Table
        caption="新增"
        head={['行号', '账号', '姓名', '职务', '单位', '角色', '手机', '读书班']}
        total={c.add}
        rows={preview.add.map((a) => [String(a.row), a.username, a.name, a.title, a.unitPath, a.role, a.phone, a.course])}
      />
      <Table
        caption="修改（旧 → 新）"
        head={['行号', '账号', '姓名', '修改内容']}
        total={c.change}
        rows={preview.change.map((ch) => [
          String(ch.row),
          ch.username,
          ch.name,
          <ul key="changes" className="space-y-0.5">
            {ch.changes.map((x) => (
              <li key={x.field} className="break-words">
                <span className="text-stone-600">{x.label}:</span>
                {x.from || '（空）'} → {x.to || '（空）'}
              </li>
            ))}
          </ul>,
        ])}
      />
      <Table
        caption="未变"
        head={['行号', '账号', '姓名']}
        total={c.unchanged}
        rows={preview.unchanged.map((u) => [String(u.row), u.username, u.name])}
      />
    </div>
  );
}

type CourseDetails = Record<string, { columnName: string; publisher: string }>;

function detailsOf(preview: RosterPreviewDto): CourseDetails {
  return Object.fromEntries(preview.coursesToCreate.map((c) => [c.name, { columnName: c.columnName, publisher: c.publisher }]));
}

/**
 * What the import creates besides accounts, each marked 将新建. A new 读书班's 栏目 and 编印单位
 * come from the file when it has those columns; here they can be given or corrected once.
 */
function ToCreate({
  preview,
  details,
  onDetails,
  disabled,
}: {
  preview: RosterPreviewDto;
  details: CourseDetails;
  onDetails: (d: CourseDetails) => void;
  disabled: boolean;
}) {
  const { coursesToCreate, groupsToCreate, unitsToCreate } = preview;
  if (coursesToCreate.length + groupsToCreate.length + unitsToCreate.length === 0) return null;
  const tag = <span className="mr-2 rounded bg-sky-100 px-1.5 py-0.5 text-xs font-medium text-sky-900">将新建</span>;
  return (
    <section aria-labelledby="to-create-heading" className="space-y-3 rounded-lg border border-sky-200 bg-sky-50/50 p-4">
      <h3 id="to-create-heading" className="text-base font-semibold text-stone-900">
        导入时将新建
      </h3>
      {coursesToCreate.length > 0 ? (
        <ul aria-label="将新建的读书班" className="space-y-3">
          {coursesToCreate.map((c, i) => {
            const d = details[c.name] ?? { columnName: '', publisher: '' };
            const set = (k: 'columnName' | 'publisher', v: string) => onDetails({ ...details, [c.name]: { ...d, [k]: v } });
            return (
              <li key={c.name} className="space-y-2 rounded-md border border-stone-200 bg-white p-3">
                <p className="break-words font-medium">
                  {tag}读书班：{c.name}
                </p>
                <p className="text-sm text-stone-600">栏目印在简报标题里（如“书记读书班”），编印单位印在报头；文件里没有的，可在这里填写，以后也可在读书班页面修改。</p>
                <div className="grid gap-3 sm:grid-cols-2">
                  <label className="block text-sm text-stone-800">
                    栏目<span className="sr-only">（{c.name}）</span>
                    <input
                      name={`course-${i}-columnName`}
                      value={d.columnName}
                      maxLength={30}
                      disabled={disabled}
                      onChange={(e) => set('columnName', e.target.value)}
                      className="mt-1 block w-full rounded-md border border-stone-300 px-3 py-2 text-base"
                    />
                  </label>
                  <label className="block text-sm text-stone-800">
                    编印单位<span className="sr-only">（{c.name}）</span>
                    <input
                      name={`course-${i}-publisher`}
                      value={d.publisher}
                      maxLength={100}
                      disabled={disabled}
                      onChange={(e) => set('publisher', e.target.value)}
                      className="mt-1 block w-full rounded-md border border-stone-300 px-3 py-2 text-base"
                    />
                  </label>
                </div>
              </li>
            );
          })}
        </ul>
      ) : null}
      {groupsToCreate.length > 0 ? (
        <ul aria-label="将新建的小组" className="space-y-1 text-sm text-stone-800">
          {groupsToCreate.map((g) => (
            <li key={`${g.courseName}/${g.name}`} className="break-words">
              {tag}小组：{g.courseName} / {g.name}
              {g.leader ? `，组长 ${g.leader}` : '，暂无组长'}
            </li>
          ))}
        </ul>
      ) : null}
      {unitsToCreate.length > 0 ? (
        <ul aria-label="将新建的单位" className="space-y-1 text-sm text-stone-800">
          {unitsToCreate.map((u) => (
            <li key={u} className="break-words">
              {tag}单位：{u}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

export function RosterImport() {
  const inputId = useId();
  const allowId = useId();
  const progressId = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [error, setError] = useState<{ message: string; importId?: string } | null>(null);
  const [downloaded, setDownloaded] = useState(false);
  const [details, setDetails] = useState<CourseDetails>({});

  const busy = phase.kind === 'uploading' || phase.kind === 'checking' || phase.kind === 'committing';

  async function onUpload(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const file = fileRef.current?.files?.[0];
    if (!file) {
      setError({ message: '请先选择花名册文件' });
      return;
    }
    const allow = (form.elements.namedItem('allowCreateUnits') as HTMLInputElement | null)?.checked ?? false;
    setError(null);
    setDownloaded(false);
    setPhase({ kind: 'uploading', loaded: 0, total: file.size });
    const { status, body } = await uploadFile(file, allow, (loaded, total) => {
      setPhase(loaded >= total ? { kind: 'checking' } : { kind: 'uploading', loaded, total });
    });
    if (status === 200 && (body as { ok?: boolean } | null)?.ok) {
      const preview = (body as { preview: RosterPreviewDto }).preview;
      setDetails(detailsOf(preview));
      setPhase({ kind: 'preview', preview });
    } else {
      setPhase({ kind: 'idle' });
      setError({ message: messageOf(body) });
    }
  }

  async function onRepreview(importId: string) {
    setError(null);
    setPhase({ kind: 'checking' });
    const res = await postJson('/api/admin/roster/preview', { importId });
    const body = (await res.json().catch(() => null)) as unknown;
    if (res.ok && (body as { ok?: boolean } | null)?.ok) {
      const preview = (body as { preview: RosterPreviewDto }).preview;
      setDetails((d) => ({ ...detailsOf(preview), ...d }));
      setPhase({ kind: 'preview', preview });
    } else {
      setPhase({ kind: 'idle' });
      setError({ message: messageOf(body) });
    }
  }

  async function onCancel(preview: RosterPreviewDto) {
    setPhase({ kind: 'idle' });
    setError(null);
    if (fileRef.current) fileRef.current.value = '';
    await postJson('/api/admin/roster/cancel', { importId: preview.importId }).catch(() => undefined);
  }

  async function onCommit(preview: RosterPreviewDto) {
    setError(null);
    setPhase({ kind: 'committing', preview, done: 0, total: preview.counts.add });
    let res: Response;
    try {
      // Asking for JSON lines gets progress while the one-time passwords are hashed.
      const courses = preview.coursesToCreate.map((c) => ({ name: c.name, ...(details[c.name] ?? { columnName: '', publisher: '' }) }));
      res = await postJson(
        '/api/admin/roster/commit',
        { importId: preview.importId, digest: preview.digest, ...(courses.length ? { courses } : {}) },
        'application/x-ndjson',
      );
    } catch {
      setPhase({ kind: 'preview', preview });
      setError({ message: '网络连接中断；如果导入已完成，可在本页“尚未下载的初始密码表”中下载密码表' });
      return;
    }
    let final: unknown = null;
    if ((res.headers.get('content-type') ?? '').includes('ndjson') && res.body) {
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffered = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffered += value;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          if (!line) continue;
          const msg = JSON.parse(line) as { type: string; done?: number; total?: number };
          if (msg.type === 'progress') {
            setPhase({ kind: 'committing', preview, done: msg.done ?? 0, total: msg.total ?? preview.counts.add });
          } else if (msg.type === 'result') {
            final = msg;
          }
        }
      }
    } else {
      final = await res.json().catch(() => null);
    }
    const ok = (final as { ok?: boolean } | null)?.ok;
    if (ok) {
      setPhase({ kind: 'done', result: final as CommitDone, fileName: preview.fileName });
      if (fileRef.current) fileRef.current.value = '';
    } else {
      setPhase({ kind: 'preview', preview });
      const code = (final as ErrorBody | null)?.code;
      setError({ message: messageOf(final), importId: code === 'stale' || code === 'invalid' ? preview.importId : undefined });
    }
  }

  return (
    <div className="space-y-5">
      <form onSubmit={(e) => void onUpload(e)} className="space-y-4 rounded-lg border border-stone-200 bg-white p-5" aria-label="导入花名册">
        <div className="space-y-1">
          <label htmlFor={inputId} className="block text-sm font-medium text-stone-800">
            花名册文件（.xlsx / .csv）
          </label>
          <input
            id={inputId}
            ref={fileRef}
            name="file"
            type="file"
            accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            required
            disabled={busy}
            aria-describedby={`${inputId}-hint`}
            className="block w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-base file:mr-3 file:rounded file:border-0 file:bg-stone-100 file:px-3 file:py-1"
          />
          <p id={`${inputId}-hint`} className="text-sm text-stone-600">
            第一行为表头：账号、姓名、职务、单位、角色、手机、读书班、小组、组长、栏目、编印单位（顺序不限，账号和姓名必填）。单位写完整路径，如“樊城区/牛首镇”；角色写学员、组织者或管理员，空着为学员；组长一栏填“是”。文件中的读书班、小组和单位不存在时，预览会列为“将新建”，确认导入时一并建好。空白单元格不会清除已有内容。最大 5 MB、20,000 行；CSV 可为 UTF-8 或 GBK。
          </p>
        </div>
        <div className="flex items-center gap-2">
          <input id={allowId} name="allowCreateUnits" type="checkbox" defaultChecked disabled={busy} className="size-5" />
          <label htmlFor={allowId} className="text-base text-stone-800">
            允许新建不存在的单位
          </label>
        </div>
        <button type="submit" disabled={busy} className={buttonClass('primary')}>
          上传并预览
        </button>
        {phase.kind === 'uploading' || phase.kind === 'checking' ? (
          <div className="space-y-1" aria-live="polite">
            <label htmlFor={progressId} className="block text-sm text-stone-700">
              {phase.kind === 'uploading' ? '上传进度' : '正在检查文件…'}
            </label>
            {phase.kind === 'uploading' ? (
              <progress id={progressId} max={phase.total || 1} value={phase.loaded} className="h-3 w-full" />
            ) : (
              <progress id={progressId} className="h-3 w-full" />
            )}
          </div>
        ) : null}
      </form>

      {error ? (
        <div className="space-y-2">
          <Alert kind="error">{error.message}</Alert>
          {error.importId ? (
            <button type="button" className={buttonClass('secondary')} onClick={() => void onRepreview(error.importId as string)}>
              重新预览
            </button>
          ) : null}
        </div>
      ) : null}

      {phase.kind === 'preview' || phase.kind === 'committing' ? (
        <section aria-labelledby="preview-heading" className="space-y-4">
          <h2 id="preview-heading" className="text-xl font-semibold">
            预览：{phase.preview.fileName}
          </h2>
          <p className="text-sm text-stone-600">
            共 {phase.preview.counts.rows} 行
            {phase.preview.encoding ? `，编码 ${phase.preview.encoding}` : ''}。识别到的列：{phase.preview.columns.join('、')}
            。确认前不会写入任何数据。
          </p>
          <Counts preview={phase.preview} />
          {phase.preview.unknownColumns.length > 0 ? (
            <Alert kind="info">以下列不是花名册的列，已忽略：{phase.preview.unknownColumns.join('、')}</Alert>
          ) : null}
          <ToCreate preview={phase.preview} details={details} onDetails={setDetails} disabled={phase.kind === 'committing'} />
          {phase.preview.notes.length > 0 ? (
            <div className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950">
              <p className="font-medium">提示</p>
              <ul className="mt-1 list-disc space-y-0.5 pl-5">
                {phase.preview.notes.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            </div>
          ) : null}
          {phase.preview.counts.errors > 0 ? (
            <Alert kind="error">
              有 {phase.preview.counts.errorRows} 行共 {phase.preview.counts.errors} 处错误。请按下面的行号和原因修改文件，再重新上传；有错误时不能导入。
            </Alert>
          ) : null}
          {phase.preview.counts.errors > 0 ? (
            <p>
              <a href={`/api/admin/roster/errors?importId=${phase.preview.importId}`} download className={buttonClass('secondary')}>
                下载错误清单（.xlsx）
              </a>
              <span className="ml-2 text-sm text-stone-600">每行的错误写在该行旁边，改好后可直接重新上传。</span>
            </p>
          ) : null}
          <div className="flex flex-wrap items-center gap-3">
            <button
              type="button"
              className={buttonClass('primary')}
              disabled={phase.kind === 'committing' || phase.preview.counts.errors > 0}
              onClick={() => void onCommit(phase.preview)}
            >
              {phase.kind === 'committing' ? '正在导入…' : '确认导入'}
            </button>
            <button type="button" className={buttonClass('secondary')} disabled={phase.kind === 'committing'} onClick={() => void onCancel(phase.preview)}>
              取消
            </button>
          </div>
          {phase.kind === 'committing' ? (
            <div className="space-y-1" aria-live="polite">
              <label htmlFor={`${progressId}-commit`} className="block text-sm text-stone-700">
                导入进度{phase.total > 0 ? `：正在生成初始密码 ${phase.done} / ${phase.total}` : ''}
              </label>
              {phase.total > 0 ? (
                <progress id={`${progressId}-commit`} max={phase.total} value={phase.done} className="h-3 w-full" />
              ) : (
                <progress id={`${progressId}-commit`} className="h-3 w-full" />
              )}
            </div>
          ) : null}
          <PreviewTables preview={phase.preview} />
        </section>
      ) : null}

      {phase.kind === 'done' ? (
        <section aria-labelledby="done-heading" className="space-y-3">
          <h2 id="done-heading" className="text-xl font-semibold">
            导入完成
          </h2>
          <Alert kind="success">
            已导入 {phase.fileName}：新增 {phase.result.counts.added} 人，修改 {phase.result.counts.changed} 人，未变{' '}
            {phase.result.counts.unchanged} 人
            {phase.result.counts.coursesCreated ? `，新建读书班 ${phase.result.counts.coursesCreated} 个` : ''}
            {phase.result.counts.groupsCreated ? `，新建小组 ${phase.result.counts.groupsCreated} 个` : ''}
            {phase.result.counts.unitsCreated ? `，新建单位 ${phase.result.counts.unitsCreated} 个` : ''}
            {phase.result.counts.enrolled ? `，加入读书班 ${phase.result.counts.enrolled} 人次` : ''}。
          </Alert>
          {phase.result.passwordToken ? (
            <div className="space-y-2 rounded-md border-2 border-amber-400 bg-amber-50 p-4 text-stone-900">
              <p className="text-base font-medium">
                {phase.result.passwordCount} 个新账号的一次性密码在初始密码表里，有效期至 {formatDateTime(new Date(phase.result.expiresAt))}
                ，首次登录后须修改。
              </p>
              <p className="text-sm text-stone-700">密码表只能下载一次，服务器不保留密码；请妥善保管，分发后删除。如遗失，请在账号页面逐个重置密码。</p>
              {downloaded ? (
                <p className="text-base font-medium text-green-800" role="status">
                  初始密码表已下载，服务器上已删除。
                </p>
              ) : (
                <a
                  href={`/api/admin/roster/passwords/${phase.result.passwordToken}`}
                  download
                  className={buttonClass('primary')}
                  onClick={() => setTimeout(() => setDownloaded(true), 0)}
                >
                  下载初始密码表
                </a>
              )}
            </div>
          ) : (
            <p className="text-base text-stone-700">没有新账号，不需要初始密码表。</p>
          )}
        </section>
      ) : null}
    </div>
  );
}
