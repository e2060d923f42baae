// The list itself is components/admin/users-panel.tsx; these badges are also the account page's.

export function StatusBadges({ active, mustChangePassword }: { active: boolean; mustChangePassword: boolean }) {
  return (
    <span className="inline-flex flex-wrap gap-1">
      {active ? (
        <span className="rounded bg-green-100 px-1.5 py-0.5 text-green-800">正常</span>
      ) : (
        <span className="rounded bg-stone-200 px-1.5 py-0.5 text-stone-700">已停用</span>
      )}
      {mustChangePassword ? <span className="rounded bg-amber-100 px-1.5 py-0.5 text-amber-900">须改密</span> : null}
    </span>
  );
}
