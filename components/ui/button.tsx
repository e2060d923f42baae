'use client';

import { useFormStatus } from 'react-dom';

const VARIANTS = {
  primary: 'bg-brand-600 text-white hover:bg-brand-700 disabled:bg-brand-600/60',
  secondary: 'border border-stone-300 bg-white text-stone-800 hover:bg-stone-100 disabled:text-stone-400',
  danger: 'border border-red-300 bg-white text-red-700 hover:bg-red-50 disabled:text-red-300',
} as const;

export function buttonClass(variant: keyof typeof VARIANTS = 'primary'): string {
  return `inline-flex min-h-11 items-center justify-center gap-1 rounded-md px-4 py-2 text-base font-medium transition-colors ${VARIANTS[variant]}`;
}

/** A submit button that disables itself while its form is being sent, so a double click sends once. */
export function SubmitButton({
  children,
  pendingText,
  variant = 'primary',
  className = '',
  ...rest
}: React.ButtonHTMLAttributes<HTMLButtonElement> & {
  pendingText?: string;
  variant?: keyof typeof VARIANTS;
}) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      {...rest}
      disabled={pending || rest.disabled}
      aria-disabled={pending || rest.disabled}
      className={`${buttonClass(variant)} ${className}`}
    >
      {pending ? (pendingText ?? children) : children}
    </button>
  );
}
