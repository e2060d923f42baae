import type { VersionSummary } from '@/db/queries/reflections/reads';
import { formatDateTime } from '@/lib/time';

/** 历史版本: every submitted version, newest first, each readable on its own page. */
export function VersionList({ assignmentId, versions }: { assignmentId: number; versions: VersionSummary[] }) {
  return (
    <ol className="divide-y divide-stone-200 rounded-md border border-stone-200">
      {versions.map((v) => (
        <li key={v.version} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2">
          <span className="min-w-0">
            <a href={`/my/assignments/${assignmentId}/versions/${v.version}`} className="inline-flex min-h-11 items-center font-medium text-brand-700 underline-offset-2 hover:underline">
              第 {v.version} 版
            </a>
            <span className="ml-2 break-words text-stone-700">{v.title}</span>
          </span>
          <span className="flex flex-wrap gap-x-3 text-sm text-stone-600">
            <span>{formatDateTime(v.submittedAt)} 提交</span>
            <span>字数 {v.charCount}</span>
            {v.late ? <span className="font-medium text-red-700">逾期提交</span> : null}
          </span>
        </li>
      ))}
    </ol>
  );
}
