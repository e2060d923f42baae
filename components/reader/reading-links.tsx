
/**
 * The assignment's readings, each with 阅读原文 when its text has been entered. Plain links, as in
 * the shell: next/link would add a script file to the editor and prefetch each reading (issue 15).
 */
export function ReadingLinks({ assignmentId, readings, withText }: { assignmentId: number; readings: { id: number; title: string }[]; withText: number[] }) {
  return (
    <ul className="space-y-1">
      {readings.map((x) => (
        <li key={x.id} className="break-words">
          {x.title}
          {withText.includes(x.id) ? (
            <a
              href={`/my/assignments/${assignmentId}/readings/${x.id}`}
              className="ml-2 inline-flex min-h-11 items-center rounded-md border border-brand-600 px-3 text-base font-medium text-brand-700 hover:bg-brand-50"
            >
              阅读原文<span className="sr-only">{x.title}</span>
            </a>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
