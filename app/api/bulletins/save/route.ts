import { saveBulletin } from '@/db/queries/bulletins/compose';
import { routeMutation } from '@/lib/route-mutation';

// The 简报 composer's autosave. A route handler rather than the 保存 server action so that the
// same request can go out with fetch(…, { keepalive: true }) while the page is hidden or closed.
// JSON only, never a redirect: a stale revision answers 409 with the copy the other organizer
// saved (nothing is written), a signed-out composer 401 and keeps what is on its screen.

export const dynamic = 'force-dynamic';

/** 300 items of up to 50,000 characters would be more; a real 简报 is far below 4 MiB of JSON. */
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

export const POST = routeMutation(saveBulletin, { maxBytes: MAX_REQUEST_BYTES });
