'use client';

import { useFormStatus } from 'react-dom';
import s from './detail.module.css';

/**
 * components/ui/submit-button with the review detail's short classes (detail.module.css): it
 * disables itself while its form is being sent, so a double click sends once.
 */
export function DetailSubmit({
  children,
  pendingText,
  primary = false,
  ...rest
}: Omit<React.ButtonHTMLAttributes<HTMLButtonElement>, 'className'> & { pendingText?: string; primary?: boolean }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" {...rest} disabled={pending || rest.disabled} aria-disabled={pending || rest.disabled} className={primary ? s.p : s.b}>
      {pending ? (pendingText ?? children) : children}
    </button>
  );
}
