import type { Viewer } from '@/lib/auth/viewer-type';

declare module 'next-auth' {
  interface Session {
    viewer?: Viewer;
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    uid?: number;
    sid?: string;
    role?: string;
    revoked?: boolean;
  }
}
