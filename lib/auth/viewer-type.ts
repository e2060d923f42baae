import type { Role } from '@/db/schema';

declare const viewerBrand: unique symbol;

/**
 * Who is asking. Only loadViewer (from a live sign-in row) makes one, so a query that takes a
 * Viewer can trust that it was checked against the database on this request.
 */
export type Viewer = {
  id: number;
  username: string;
  name: string;
  title: string;
  unitId: number | null;
  role: Role;
  mustChangePassword: boolean;
  sessionId: string;
} & { readonly [viewerBrand]: true };
