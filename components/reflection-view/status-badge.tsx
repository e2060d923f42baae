import type { DisplayStatus } from '@/db/queries/reflections/reads';
import { STATUS_LABELS } from '@/lib/reflection/state';

const STYLES: Record<DisplayStatus, string> = {
  not_started: 'bg-stone-100 text-stone-700 ring-stone-300',
  not_required: 'bg-white text-stone-700 ring-stone-300',
  missed: 'bg-red-50 text-red-800 ring-red-300',
  draft: 'bg-sky-50 text-sky-900 ring-sky-300',
  submitted: 'bg-amber-50 text-amber-900 ring-amber-300',
  returned: 'bg-red-50 text-red-800 ring-red-300',
  approved: 'bg-green-50 text-green-800 ring-green-300',
};

/** 未开始 / 未交 / 无需提交 / 草稿 / 已提交 / 退回修改 / 已通过, with colour and words (never colour alone). */
export function StatusBadge({ status }: { status: DisplayStatus }) {
  return (
    <span className={`inline-flex shrink-0 items-center rounded-full px-2.5 py-0.5 text-sm font-medium ring-1 ring-inset ${STYLES[status]}`}>
      {STATUS_LABELS[status]}
    </span>
  );
}
