'use client';

import { useFormStatus } from 'react-dom';
import { buttonClass, type ButtonVariant } from './button-class';

/** A submit button that disables itself while its form is being sent, so a double click sends once. */
export function SubmitButton({
  children,
  pendingText,
  variant = 'primary',
  className = '',
  ...rest
}: React.ButtonHTMLAttributes<HTMLButtonElement> & {
  pendingText?: string;
  variant?: ButtonVariant;
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
