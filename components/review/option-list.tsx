'use client';

// The <option>s of a long select (200 courses, every unit) from [value, label] pairs: as a client
// component's props the choices travel once as data, where server-rendered <option> elements
// would travel twice, in the HTML and again in the page's payload (issue 15).
export function OptionList({ options }: { options: [value: number | string, label: string][] }) {
  return (
    <>
      {options.map(([value, label]) => (
        <option key={value} value={value}>
          {label}
        </option>
      ))}
    </>
  );
}
