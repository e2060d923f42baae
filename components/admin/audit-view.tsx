import Link from 'next/link';
import type { AuditRowDto } from '@/db/queries/audit';
import { formatDateTime } from '@/lib/time';
import { ROLE_LABELS } from '@/lib/validation/users';

// How an audit row reads to an admin. Unknown keys and actions (added by other areas later) still
// show, as key: value, so nothing is hidden.

const TARGET_TYPES: Record<string, string> = {
  user: '账号',
  unit: '单位',
  course: '读书班',
  group: '讨论小组',
  meeting: '场次',
  reading: '学习篇目',
  assignment: '心得任务',
  reflection: '学习心得',
  comment: '评语',
  tag: '标签',
  bulletin: '简报',
};

const KEY_LABELS: Record<string, string> = {
  username: '账号',
  name: '姓名',
  title: '职务',
  unit: '单位',
  unitId: '单位',
  role: '角色',
  path: '单位',
  reason: '原因',
  by: '限制依据',
  expiresAt: '有效期至',
  passwordFrom: '密码来源',
  phone: '手机',
  course: '读书班',
  group: '小组',
  via: '方式',
  bulk: '批量操作人数',
  file: '文件',
  format: '格式',
  rows: '行数',
  added: '新增',
  changed: '修改',
  unchanged: '未变',
  unitsCreated: '新建单位',
  units: '新建的单位',
  enrolled: '加入读书班',
  count: '条数',
  filter: '条件',
  truncated: '已截断',
  q: '账号或姓名',
  status: '状态',
  actor: '操作人',
  action: '操作',
};

const VALUE_LABELS: Record<string, Record<string, string>> = {
  reason: { unknown: '账号不存在', password: '密码错误', inactive: '账号已停用', expired: '一次性密码已过期' },
  by: { account: '同一账号失败次数过多', address: '同一地址失败次数过多' },
  passwordFrom: { env: '环境变量指定', random: '随机生成' },
  via: { roster: '花名册导入' },
};

const FROM_TO_LABELS: Record<string, string> = {
  'user.role': '角色',
  'unit.rename': '名称',
  'unit.move': '上级单位',
};

// Ids are noise next to the names that the same detail already carries.
const HIDDEN_KEYS = new Set(['parentId']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') {
    return key === 'unit' || key === 'from' || key === 'to' || key === 'path' ? '无' : '（空）';
  }
  if (key === 'role' && typeof value === 'string' && value in ROLE_LABELS) {
    return ROLE_LABELS[value as keyof typeof ROLE_LABELS];
  }
  if (typeof value === 'string' && VALUE_LABELS[key]?.[value]) return VALUE_LABELS[key][value];
  if (key === 'expiresAt' && typeof value === 'string') {
    const d = new Date(value);
    if (!Number.isNaN(d.getTime())) return formatDateTime(d);
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function labelOf(key: string, action: string): string {
  if (key === 'name' && action.startsWith('unit.')) return '名称';
  return KEY_LABELS[key] ?? key;
}

/** The detail JSON as short lines: 键:值, and 旧 → 新 for changes. */
export function AuditDetail({ action, detail }: { action: string; detail: unknown }) {
  if (detail === null || detail === undefined) return <span className="text-stone-400">—</span>;
  if (!isRecord(detail)) return <span className="break-all">{show('', detail)}</span>;

  const lines: { key: string; label: string; text: string }[] = [];
  const hasFromTo = 'from' in detail || 'to' in detail;
  const roleChange = action === 'user.role';
  for (const [key, value] of Object.entries(detail)) {
    if (HIDDEN_KEYS.has(key) || key === 'from' || key === 'to') continue;
    if (key === 'changes' && isRecord(value)) {
      for (const [field, change] of Object.entries(value)) {
        if (isRecord(change) && ('from' in change || 'to' in change)) {
          lines.push({
            key: `changes.${field}`,
            label: labelOf(field, action),
            text: `${show(field, change.from)} → ${show(field, change.to)}`,
          });
        } else {
          lines.push({ key: `changes.${field}`, label: labelOf(field, action), text: show(field, change) });
        }
      }
      continue;
    }
    // An empty 职务 on a new account says nothing; an empty side of a change (below) does.
    if (value === '') continue;
    lines.push({ key, label: labelOf(key, action), text: show(key, value) });
  }
  if (hasFromTo) {
    const key = roleChange ? 'role' : 'from';
    const end = (v: unknown) => (action === 'unit.move' && v === null ? '（顶级）' : show(key, v));
    lines.push({
      key: 'from-to',
      label: FROM_TO_LABELS[action] ?? '变更',
      text: `${end(detail.from)} → ${end(detail.to)}`,
    });
  }
  if (lines.length === 0) return <span className="text-stone-400">—</span>;
  return (
    <ul className="space-y-0.5">
      {lines.map((l) => (
        <li key={l.key} className="break-words">
          <span className="text-stone-600">{l.label}:</span>
          {l.text}
        </li>
      ))}
    </ul>
  );
}

/** What the row was about, linked when it still exists. */
export function AuditTarget({ row }: { row: AuditRowDto }) {
  if (!row.targetType) return <span className="text-stone-400">—</span>;
  const type = TARGET_TYPES[row.targetType] ?? row.targetType;
  if (row.targetType === 'user' && row.targetLabel) {
    return (
      <Link href={`/admin/users/${row.targetId}`} className="text-brand-700 underline underline-offset-2">
        {row.targetLabel}
      </Link>
    );
  }
  if (row.targetType === 'unit' && row.targetLabel) {
    return (
      <Link href={`/admin/units?unit=${row.targetId}`} className="text-brand-700 underline underline-offset-2">
        {type} {row.targetLabel}
      </Link>
    );
  }
  const gone = row.targetType === 'user' || row.targetType === 'unit' ? '（已删除）' : '';
  return (
    <span>
      {type} #{row.targetId}
      {gone}
    </span>
  );
}

export function AuditActor({ row }: { row: AuditRowDto }) {
  const name = row.actorUsername ?? '—';
  if (row.actorId !== null) {
    return (
      <Link href={`/admin/users/${row.actorId}`} className="text-brand-700 underline underline-offset-2">
        {name}
      </Link>
    );
  }
  return <span>{name}</span>;
}

/** The audit rows as a table that scrolls sideways on a phone. */
export function AuditTable({ rows, caption }: { rows: AuditRowDto[]; caption: string }) {
  if (rows.length === 0) {
    return <p className="rounded-md border border-stone-200 bg-white p-4 text-stone-700">没有符合条件的记录。</p>;
  }
  return (
    <>
      {/* On a phone each row is a card; the table needs a wider screen. */}
      <ul className="space-y-2 md:hidden" aria-label={caption}>
        {rows.map((r) => (
          <li key={r.id} className="space-y-1 rounded-lg border border-stone-200 bg-white p-3 text-sm">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <span className={`text-base font-medium ${r.action === 'login.failure' || r.action === 'login.blocked' ? 'text-red-700' : ''}`}>
                {r.actionLabel}
              </span>
              <time dateTime={r.at.toISOString()} className="text-stone-600">
                {formatDateTime(r.at)}
              </time>
            </div>
            <p>
              <span className="text-stone-600">操作人：</span>
              <AuditActor row={r} />
            </p>
            {r.targetType ? (
              <p>
                <span className="text-stone-600">对象：</span>
                <AuditTarget row={r} />
              </p>
            ) : null}
            <AuditDetail action={r.action} detail={r.detail} />
            <p className="font-mono text-xs text-stone-600">来源地址 {r.ip ?? '—'}</p>
          </li>
        ))}
      </ul>
      <div className="hidden overflow-x-auto rounded-lg border border-stone-200 bg-white md:block">
        <table className="w-full min-w-[48rem] border-collapse text-left text-sm">
          <caption className="sr-only">{caption}</caption>
          <thead className="bg-stone-100 text-stone-700">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium whitespace-nowrap">时间</th>
              <th scope="col" className="px-3 py-2 font-medium whitespace-nowrap">操作人</th>
              <th scope="col" className="px-3 py-2 font-medium whitespace-nowrap">操作</th>
              <th scope="col" className="px-3 py-2 font-medium whitespace-nowrap">对象</th>
              <th scope="col" className="px-3 py-2 font-medium">详情</th>
              <th scope="col" className="px-3 py-2 font-medium whitespace-nowrap">来源地址</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className="border-t border-stone-200 align-top">
                <td className="px-3 py-2 whitespace-nowrap">
                  <time dateTime={r.at.toISOString()}>{formatDateTime(r.at)}</time>
                </td>
                <td className="px-3 py-2">
                  <AuditActor row={r} />
                </td>
                <td className={`px-3 py-2 whitespace-nowrap ${r.action === 'login.failure' || r.action === 'login.blocked' ? 'text-red-700' : ''}`}>
                  {r.actionLabel}
                </td>
                <td className="px-3 py-2">
                  <AuditTarget row={r} />
                </td>
                <td className="px-3 py-2">
                  <AuditDetail action={r.action} detail={r.detail} />
                </td>
                <td className="px-3 py-2 font-mono text-xs whitespace-nowrap">{r.ip ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
