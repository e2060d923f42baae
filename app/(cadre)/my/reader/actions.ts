'use server';

import { setReaderTextSize } from '@/db/queries/reading-texts';
import { callAction } from '@/lib/server-action';

/** The reader's 字号, remembered for the user. */
export const setReaderTextSizeAction = callAction(setReaderTextSize, {
  message: '字号已记住',
});
