import { setLargeUiAction } from '@/app/(account)/actions';

/** 大字模式 on or off, remembered for the user; a plain form, so it works without scripts. */
export function LargeUiSwitch({ on, className = '' }: { on: boolean; className?: string }) {
  return (
    <form action={setLargeUiAction} className={className}>
      <input type="hidden" name="largeUi" value={on ? '0' : '1'} />
      <button
        type="submit"
        aria-pressed={on}
        className="inline-flex min-h-11 w-full items-center justify-between gap-2 rounded-md border border-stone-300 bg-white px-3 text-base text-stone-800 hover:bg-stone-100"
      >
        大字模式
        <span className={`rounded px-1.5 text-sm font-medium ${on ? 'bg-brand-600 text-white' : 'bg-stone-100 text-stone-700'}`}>{on ? '开' : '关'}</span>
      </button>
    </form>
  );
}
