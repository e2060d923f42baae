import { forbidden } from 'next/navigation';
import type { Role } from '@/db/schema';
import type { Viewer } from './viewer-type';

/**
 * First line of every data-access function that takes a viewer: the wrong role, or a viewer
 * who has yet to change a one-time password, gets 403.
 */
export function assertRole(viewer: Viewer, ...roles: Role[]): void {
  if (!roles.includes(viewer.role) || viewer.mustChangePassword) forbidden();
}
