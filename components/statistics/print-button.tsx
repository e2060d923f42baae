'use client';

import { buttonClass } from '@/components/ui/button-class';

export function PrintButton({ label = '打印' }: { label?: string }) {
  return (
    <button type="button" className={`${buttonClass('secondary')} print:hidden`} onClick={() => window.print()}>
      {label}
    </button>
  );
}
