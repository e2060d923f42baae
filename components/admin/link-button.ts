import { buttonClass } from '@/components/ui/button-class';

export const primaryButtonClass = buttonClass('primary');
export const secondaryButtonClass = buttonClass('secondary');
