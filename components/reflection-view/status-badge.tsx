import type { DisplayStatus } from '@/db/queries/reflections/reads';
import { STATUS_LABELS } from '@/lib/reflection/state';
import s from './status-badge.module.css';

/** 未开始 / 未交 / 无需提交 / 草稿 / 已提交 / 退回修改 / 已通过, with colour and words (never colour alone). */
export function StatusBadge({ status }: { status: DisplayStatus }) {
  return <span className={`${s.badge} ${s[status]}`}>{STATUS_LABELS[status]}</span>;
}
