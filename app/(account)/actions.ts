'use server';

import { revalidatePath } from 'next/cache';
import { setLargeUi } from '@/db/queries/users/large-ui';
import { formSubmit } from '@/lib/server-action';

/** 大字模式 on or off for the viewer; every page is drawn again in the new size. */
export const setLargeUiAction = formSubmit(setLargeUi, { then: () => revalidatePath('/', 'layout') });
