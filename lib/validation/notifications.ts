import { z } from 'zod';
import { idSchema } from './common';

/** 标为已读: one notification (id), or every unread one of the viewer's when no id is given. */
export const markNotificationsSchema = z.strictObject({ id: idSchema.optional() });
