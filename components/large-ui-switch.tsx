import { setLargeUiAction } from '@/app/(account)/actions';
import styles from './large-ui-switch.module.css';

/** 大字模式 on or off, remembered for the user; a plain form, so it works without scripts. */
export function LargeUiSwitch({ on, className = '' }: { on: boolean; className?: string }) {
  return (
    <form action={setLargeUiAction} className={`${styles.switch} ${className}`}>
      <input type="hidden" name="largeUi" value={on ? '0' : '1'} />
      <button type="submit" aria-pressed={on}>
        大字模式
        <span>{on ? '开' : '关'}</span>
      </button>
    </form>
  );
}
