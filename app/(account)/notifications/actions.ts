'use server';

import { markNotificationsRead } from '@/db/queries/notifications';
import { formSubmit } from '@/lib/server-action';

/** Marks one notification (id) or all of the viewer's notifications read. */
export const markNotificationsReadAction = formSubmit(markNotificationsRead, { revalidate: ['/notifications'] });
