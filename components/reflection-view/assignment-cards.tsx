'use client';

// The /my list's cards, laid out from the rows cardOf (assignment-card.tsx) works out on the server.

import type { DisplayStatus } from '@/db/queries/reflections/reads';
import s from './assignment-card.module.css';
import { StatusBadge } from './status-badge';

export type Card = [
  id: number,
  title: string,
  status: DisplayStatus,
  due: string,
  deadline: string | null,
  deadlineUrgent: boolean,
  strong: string | null,
  limits: string | null,
  notRequired: boolean,
  submitted: [string, string, boolean] | null,
  draft: string | null,
  comment: [string, string] | null,
  label: string,
  secondary: boolean,
];
export type Meeting = [id: number, title: string, date: string | null, cards: Card[]];
export type Course = [id: number, name: string, archived: boolean, meetings: Meeting[]];

function CardView({ c }: { c: Card }) {
  const [id, title, status, due, deadline, urgent, strong, limits, notRequired, submitted, draft, comment, label, secondary] = c;
  const href = `/my/assignments/${id}`;
  return (
    <article className={s.card}>
      <div>
        <p>
          <a href={href}>{title}</a>
        </p>
        <StatusBadge status={status} />
      </div>
      <p className={s.meta}>
        <span>{due}</span>
        {deadline === null ? null : <span className={urgent ? s.urgent : undefined}>{deadline}</span>}
        {strong === null ? null : <span className={s.strong}>{strong}</span>}
        {limits === null ? null : <span>{limits}</span>}
      </p>
      {notRequired ? <p>你加入读书班时已截止，无需提交。</p> : null}
      {submitted ? (
        <p className={s.meta}>
          <span>{submitted[0]}</span>
          <span>{submitted[1]}</span>
          {submitted[2] ? <span className={s.urgent}>逾期提交</span> : null}
        </p>
      ) : draft !== null ? (
        <p className={s.draft}>{draft}</p>
      ) : null}
      {comment ? (
        <figure>
          <figcaption>{comment[0]}</figcaption>
          <blockquote>{comment[1]}</blockquote>
        </figure>
      ) : null}
      <div>
        <a href={href} className={secondary ? s.secondary : undefined}>
          {label}
          <span className="sr-only">{`：${title}`}</span>
        </a>
      </div>
    </article>
  );
}

export function AssignmentCourses({ courses, className }: { courses: Course[]; className: string }) {
  return (
    <div className={className}>
      {courses.map(([courseId, name, archived, meetings]) => (
        <section key={courseId} aria-labelledby={`course-${courseId}`}>
          <h3 id={`course-${courseId}`}>
            {name}
            {archived ? <span>已结束</span> : null}
          </h3>
          {meetings.map(([meetingId, title, date, cards]) => (
            <section key={meetingId} aria-labelledby={`meeting-${meetingId}`}>
              <h4 id={`meeting-${meetingId}`}>
                {title}
                {date ? <span>{date}</span> : null}
              </h4>
              <ul>
                {cards.map((c) => (
                  <li key={c[0]}>
                    <CardView c={c} />
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </section>
      ))}
    </div>
  );
}
