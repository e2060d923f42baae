import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { AppShell } from '@/components/app-shell';
import { ReadingReader } from '@/components/reader/reading-reader';
import { getReaderReading } from '@/db/queries/reading-texts';
import { requireRole } from '@/lib/auth/viewer';
import { idSchema } from '@/lib/validation/common';

export const metadata: Metadata = { title: '阅读原文' };

const paramsSchema = z.object({ assignmentId: idSchema, readingId: idSchema });

/** An assigned reading's text, for members of the assignment's course. */
export default async function ReaderPage({ params }: { params: Promise<{ assignmentId: string; readingId: string }> }) {
  const viewer = await requireRole('cadre');
  const parsed = paramsSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const d = await getReaderReading(viewer, parsed.data);
  return (
    <AppShell viewer={viewer}>
      {d.sections.length === 0 ? (
        <div className="mx-auto max-w-3xl">
          <h1 className="text-2xl font-bold break-words">{d.reading.title}</h1>
          <p className="mt-3 rounded-lg border border-stone-200 bg-white p-5 text-base text-stone-700">组织者还没有录入这个篇目的原文。</p>
          <Link href={`/my/assignments/${d.assignment.id}`} className="mt-3 inline-flex min-h-11 items-center text-brand-700 underline underline-offset-2">
            ‹ 返回心得
          </Link>
        </div>
      ) : (
        <ReadingReader
          userId={viewer.id}
          assignmentId={d.assignment.id}
          readingId={d.reading.id}
          title={d.reading.title}
          source={d.reading.source}
          sections={d.sections}
          textSize={d.textSize}
        />
      )}
    </AppShell>
  );
}
