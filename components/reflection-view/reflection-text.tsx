/** A reflection's text as it reads on paper: one paragraph a line, first line indented. */
export function ReflectionText({ body, className = '' }: { body: string; className?: string }) {
  const paragraphs = body.split('\n').filter((p) => p.trim() !== '');
  if (paragraphs.length === 0) return <p className="text-stone-500">（没有正文）</p>;
  return (
    <div className={`space-y-2 text-base leading-8 break-words text-stone-900 ${className}`}>
      {paragraphs.map((p, i) => (
        <p key={i} className="indent-[2em]">
          {p.trim()}
        </p>
      ))}
    </div>
  );
}
