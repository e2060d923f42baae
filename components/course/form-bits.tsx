import { useId } from 'react';
import { inputClass } from '@/components/ui/field';

// Form pieces the ui kit lacks: a labelled textarea, a labelled checkbox, and the 学习篇目
// checkboxes. No hooks beyond useId, so they render in server and client components alike.

export function TextAreaField({
  label,
  name,
  errors,
  hint,
  ...rest
}: React.TextareaHTMLAttributes<HTMLTextAreaElement> & { label: string; name: string; errors?: string[]; hint?: string }) {
  const id = useId();
  const describedBy = [errors?.length ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ');
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-stone-800">
        {label}
      </label>
      <textarea
        id={id}
        name={name}
        rows={4}
        className={`${inputClass} leading-relaxed`}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...rest}
      />
      {hint ? (
        <p id={`${id}-hint`} className="text-sm text-stone-600">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {errors.join('；')}
        </p>
      ) : null}
    </div>
  );
}

export function CheckboxField({
  label,
  name,
  hint,
  ...rest
}: React.InputHTMLAttributes<HTMLInputElement> & { label: string; name: string; hint?: string }) {
  const id = useId();
  return (
    <div className="flex items-start gap-3">
      <input
        id={id}
        name={name}
        type="checkbox"
        className="mt-1 size-5 shrink-0 accent-brand-600"
        aria-describedby={hint ? `${id}-hint` : undefined}
        {...rest}
      />
      <div>
        <label htmlFor={id} className="text-base font-medium text-stone-800">
          {label}
        </label>
        {hint ? (
          <p id={`${id}-hint`} className="text-sm text-stone-600">
            {hint}
          </p>
        ) : null}
      </div>
    </div>
  );
}

export interface ReadingChoice {
  id: number;
  title: string;
  source: string;
}

/** 学习篇目 as checkboxes, each labelled by its 篇名; the 出处 describes it. */
export function ReadingCheckboxes({
  choices,
  selected,
  errors,
  name = 'readingIds',
}: {
  choices: ReadingChoice[];
  selected: Set<number>;
  errors?: string[];
  name?: string;
}) {
  const id = useId();
  return (
    <fieldset className="space-y-2" aria-describedby={errors?.length ? `${id}-error` : undefined}>
      <legend className="text-sm font-medium text-stone-800">学习篇目</legend>
      {choices.length === 0 ? (
        <p className="text-sm text-stone-600">篇目库还是空的。</p>
      ) : (
        <ul className="max-h-72 space-y-1 overflow-y-auto rounded-md border border-stone-200 bg-white p-2">
          {choices.map((r) => (
            <li key={r.id} className="flex items-start gap-3 rounded px-1 py-1.5 hover:bg-stone-50">
              <input
                id={`${id}-${r.id}`}
                type="checkbox"
                name={name}
                value={r.id}
                defaultChecked={selected.has(r.id)}
                className="mt-1 size-5 shrink-0 accent-brand-600"
                aria-describedby={r.source ? `${id}-${r.id}-src` : undefined}
              />
              <span className="min-w-0">
                <label htmlFor={`${id}-${r.id}`} className="break-words text-base text-stone-900">
                  {r.title}
                </label>
                {r.source ? (
                  <span id={`${id}-${r.id}-src`} className="block text-sm text-stone-600">
                    {r.source}
                  </span>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      )}
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {errors.join('；')}
        </p>
      ) : null}
    </fieldset>
  );
}

/** The ids a refused form had ticked (echoed as "1,2,3"), or the stored ones. */
export function selectedIds(echoed: string | undefined, fallback: number[]): Set<number> {
  if (echoed === undefined) return new Set(fallback);
  return new Set(echoed.split(',').filter(Boolean).map(Number));
}

/** The success or failure of the last submission, announced. */
export function FormStatus({ state }: { state: { ok: boolean; message: string } | null }) {
  if (!state) return null;
  return (
    <div
      role={state.ok ? 'status' : 'alert'}
      className={`rounded-md border px-4 py-3 text-base ${
        state.ok ? 'border-green-300 bg-green-50 text-green-800' : 'border-red-300 bg-red-50 text-red-800'
      }`}
    >
      {state.message}
    </div>
  );
}
