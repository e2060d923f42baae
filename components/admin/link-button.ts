// components/ui/button.tsx is a client module, so its buttonClass() cannot be called while a
// server component renders; these are the same classes for links and GET-form buttons there.
const BASE =
  'inline-flex min-h-11 items-center justify-center gap-1 rounded-md px-4 py-2 text-base font-medium transition-colors';

export const primaryButtonClass = `${BASE} bg-brand-600 text-white hover:bg-brand-700`;
export const secondaryButtonClass = `${BASE} border border-stone-300 bg-white text-stone-800 hover:bg-stone-100`;
