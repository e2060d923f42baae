import type { Role } from '@/db/schema';

// Authorization predicates: pure, so that they can be unit-tested and shared by queries.

export interface ViewerLike {
  id: number;
  role: Role;
  mustChangePassword: boolean;
}

export const HOME_BY_ROLE: Record<Role, string> = {
  cadre: '/my',
  organizer: '/review',
  admin: '/admin',
  auditor: '/audit',
};

export function homeFor(role: Role): string {
  return HOME_BY_ROLE[role];
}

/** An admin may not demote or deactivate themself: a portal must keep a working admin. */
export function canChangeOwnAccess(viewer: ViewerLike, targetUserId: number): boolean {
  return viewer.id !== targetUserId;
}

/**
 * Where to send someone after sign-in: the page they asked for when it is a local path
 * their role may open, otherwise their home.
 */
export function landingPath(role: Role, callbackUrl: string | undefined | null): string {
  const home = homeFor(role);
  if (!callbackUrl || !callbackUrl.startsWith('/') || callbackUrl.startsWith('//') || callbackUrl.includes('\\')) {
    return home;
  }
  const allowed: Record<Role, string[]> = {
    cadre: ['/my'],
    organizer: ['/review', '/courses', '/bulletins'],
    admin: ['/admin', '/courses'],
    auditor: ['/audit'],
  };
  const pathOnly = callbackUrl.split(/[?#]/u)[0] ?? '';
  return allowed[role].some((p) => pathOnly === p || pathOnly.startsWith(`${p}/`)) ? callbackUrl : home;
}
