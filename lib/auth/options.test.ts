import { describe, expect, it, vi } from 'vitest';
import { loadViewer } from '@/db/queries/auth';
import { makeUser, useTestDatabase, viewerFor } from '@/test/db';
import { authOptions } from './options';

// Finding 5 of the security review: next-auth's own POST /api/auth/signout cleared the cookie but
// left the sign-in row open, so a copied cookie still opened pages. next-auth calls its signOut
// event with the decoded token before it clears the cookie; the row must be revoked there.

vi.mock('next/headers', () => ({ headers: () => Promise.resolve(new Headers({ 'user-agent': 'vitest' })) }));

describe("next-auth's sign-out", () => {
  useTestDatabase();

  it('revokes the sign-in row the token names', async () => {
    const id = await makeUser('cadre');
    const v = await viewerFor(id);
    expect(await loadViewer(id, v.sessionId)).not.toBeNull();
    const events = authOptions().events;
    await events?.signOut?.({ token: { uid: id, sid: v.sessionId }, session: undefined as never });
    expect(await loadViewer(id, v.sessionId)).toBeNull();
  });
});
