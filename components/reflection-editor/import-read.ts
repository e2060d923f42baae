import { importReflectionFileAction } from '@/app/(cadre)/my/actions';
import { SIGNED_OUT_MESSAGE } from '@/lib/reflection/messages';
import { IMPORT_EXTENSIONS, IMPORT_KINDS_TEXT, MAX_IMPORT_BYTES } from '@/lib/reflection/limits';
import type { ImportedText } from './import-control';

/**
 * A chosen file checked here (type, size, empty) so that a wrong one is refused before it is
 * sent, then read on the server; the text, or what to tell the cadre. Loaded by import-control.tsx.
 */
export async function readImportFile(file: File): Promise<{ text: ImportedText } | { error: string }> {
  const lower = file.name.toLowerCase();
  if (!IMPORT_EXTENSIONS.some((ext) => lower.endsWith(ext))) return { error: `只能导入 ${IMPORT_KINDS_TEXT} 文件，“${file.name}”不是` };
  if (file.size > MAX_IMPORT_BYTES) return { error: `文件“${file.name}”超过 5 MB，请只保留心得正文后再导入` };
  if (file.size === 0) return { error: `文件“${file.name}”是空的` };
  const form = new FormData();
  form.set('file', file);
  let r: Awaited<ReturnType<typeof importReflectionFileAction>>;
  try {
    r = await importReflectionFileAction(form);
  } catch {
    return { error: '网络中断，文件没有读取成功，请稍后重试' };
  }
  if (!r.ok) return { error: r.code === 'unauthenticated' ? SIGNED_OUT_MESSAGE : r.message };
  if (!('body' in r)) return { error: '文件没有读取成功，请稍后重试' };
  return { text: { body: r.body, fileName: r.fileName, paragraphs: r.paragraphs, charCount: r.charCount, title: r.title, byline: r.byline, fullBody: r.fullBody } };
}
