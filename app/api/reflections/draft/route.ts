import { saveDraft } from '@/db/queries/reflections/drafts';
import { SIGNED_OUT_MESSAGE } from '@/lib/reflection/messages';
import { routeMutation } from '@/lib/route-mutation';

// The editor's autosave. A route handler rather than a server action so that the same request
// can be sent with fetch(…, { keepalive: true }) while the page is being hidden or closed.
// It answers JSON and never redirects: a signed-out editor keeps its text and says so. A stale
// base answers 409 with the server's copy, a handed-in or approved reflection 423.

export const dynamic = 'force-dynamic';

/** A draft is at most 50,000 characters of UTF-8 (3 bytes each) plus a little JSON. */
const MAX_REQUEST_BYTES = 256 * 1024;

export const POST = routeMutation(saveDraft, {
  maxBytes: MAX_REQUEST_BYTES,
  messages: { unauthenticated: SIGNED_OUT_MESSAGE },
});
