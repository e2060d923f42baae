'use client';

import { buttonClass } from '@/components/ui/button-class';

export function PrintButton() {
  return (
    <button type="button" className={buttonClass()} onClick={() => window.print()}>
      打印
    </button>
  );
}
