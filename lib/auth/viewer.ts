import 'server-only';
import { cache } from 'react';
import { getServerSession } from 'next-auth';
import { forbidden, redirect } from 'next/navigation';
import type { Role } from '@/db/schema';
import { authOptions } from './options';
import type { Viewer } from './viewer-type';

export type { Viewer };

/** The signed-in viewer for this request, or null. Cached per request. */
export const currentViewer = cache(async (): Promise<Viewer | null> => {
  const session = await getServerSession(authOptions());
  return session?.viewer ?? null;
});

/**
 * The signed-in viewer; a visitor who is not signed in is sent to the sign-in page, and one who
 * must change their password reaches nothing but the change-password page.
 */
export async function requireUser(opts: { allowPasswordChange?: boolean } = {}): Promise<Viewer> {
  const viewer = await currentViewer();
  if (!viewer) redirect('/login');
  if (viewer.mustChangePassword && !opts.allowPasswordChange) redirect('/change-password');
  return viewer;
}

/** The viewer when they hold one of these roles; anyone else gets 403. */
export async function requireRole(...roles: Role[]): Promise<Viewer> {
  const viewer = await requireUser();
  if (!roles.includes(viewer.role)) forbidden();
  return viewer;
}
