'use server';

import { processCourseRecheck, queueCourseRecheck, setSimilarityThreshold } from '@/db/queries/originality/admin';
import { callAction } from '@/lib/server-action';

// 查重's settings and the admin's re-run over a course (queued, then processed batch by batch).

const paths = (courseId: number) => [`/review/originality/${courseId}`, '/review'];

export const setThresholdAction = callAction(setSimilarityThreshold, {
  revalidate: (input) => paths(input.courseId),
  message: '已保存查重阈值',
});

export const queueRecheckAction = callAction(queueCourseRecheck, {
  message: (r) => `已排队重新查重 ${r.queued} 篇`,
  success: (r) => ({ queued: r.queued }),
});

export const processRecheckAction = callAction(processCourseRecheck, {
  revalidate: (input) => paths(input.courseId),
  message: (r) => (r.left === 0 ? '重新查重完成' : `还剩 ${r.left} 篇`),
  success: (r) => ({ processed: r.processed, left: r.left }),
});
