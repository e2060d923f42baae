'use client';

import { useId, useMemo, useState } from 'react';
import type { BulletinDraftsDto } from '@/db/queries/bulletins/drafting';
import s from './composer.module.css';
import { outlineOf } from './text-memo';

// Drafts for the routine parts of a 简报, offered beside the compose form and never forced: the
// organizer reads a draft and takes it with one click, then edits it like anything typed.

export type DraftField = 'lead' | 'summary' | 'transition' | 'headline';

/** 起草导语 / 小结建议 / 默认过渡语 / 印刷标题: each shows its draft and a button to take it. */
export function BulletinDraftHelpers({
  drafts,
  onUse,
  current,
}: {
  drafts: BulletinDraftsDto;
  /** Puts the draft into the field (the composer marks it unsaved and autosaves). */
  onUse: (field: DraftField, value: string) => void;
  /** The fields as they stand, to say when a draft would replace typed text. */
  current: Partial<Record<DraftField, string>>;
}) {
  const id = useId();
  const [meetingId, setMeetingId] = useState<number | null>(drafts.defaultMeetingId);
  const meeting = drafts.meetings.find((m) => m.id === meetingId) ?? drafts.meetings[0] ?? null;
  const use = (field: DraftField, value: string) => {
    const typed = current[field]?.trim();
    if (typed && typed !== value && !window.confirm('这会替换已填写的内容，确定吗？')) return;
    onUse(field, value);
  };
  return (
    <section aria-labelledby={`${id}-h`} className={s.drafts}>
      <h2 id={`${id}-h`} className="font-semibold">
        起草常规部分
      </h2>
      {meeting ? (
        <div className="space-y-2">
          {drafts.meetings.length > 1 ? (
            <div className="space-y-1">
              <label htmlFor={`${id}-meeting`} className={s.label}>
                按哪次集中学习起草导语
              </label>
              <select id={`${id}-meeting`} className={s.input} value={meeting.id} onChange={(e) => setMeetingId(Number(e.target.value))}>
                {drafts.meetings.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.title}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <p className={s.hint}>导语草稿（按{meeting.title}的时间、主持人、讲话和学习篇目）：</p>
          <p className={s.draftText}>{meeting.lead}</p>
          <div className="flex flex-wrap gap-2">
            <button type="button" className={s.b} onClick={() => use('lead', meeting.lead)}>
              用作导语
            </button>
            <button type="button" className={s.b} onClick={() => use('headline', meeting.headline)}>
              印刷标题用“{meeting.headline}”
            </button>
          </div>
        </div>
      ) : (
        <p className={s.hint}>这个读书班还没有集中学习，添加后可以按它起草导语。</p>
      )}
      <div className={s.draftsMore}>
        {drafts.summary ? (
          <>
            <p className={s.hint}>小结建议（出现最多的主题：{drafts.themes.join('、')}）：</p>
            <p className={s.draftText}>{drafts.summary}</p>
          </>
        ) : (
          <p className={s.hint}>加入发言并保存后，这里按发言的标签和关键词给出小结建议。</p>
        )}
        <div className="flex flex-wrap gap-2">
          {drafts.summary ? (
            <button type="button" className={s.b} onClick={() => use('summary', drafts.summary)}>
              用作小结
            </button>
          ) : null}
          <button type="button" className={s.b} onClick={() => use('transition', drafts.transition)}>
            过渡语用“{drafts.transition}”
          </button>
        </div>
      </div>
    </section>
  );
}

export type ExcerptMode = 'full' | 'outline' | 'custom';

/** Which excerpt an item's text is now: the reflection's full text, its 要点, or the organizer's own. */
export function excerptModeOf(body: string, fullText: string): ExcerptMode {
  if (body.trim() === fullText.trim()) return 'full';
  const outline = outlineOf(fullText);
  if (outline && body.trim() === outline.trim()) return 'outline';
  return 'custom';
}

/**
 * Per item: 全文 / 要点 / 自定义. 要点 takes the reflection's points (一是……二是……) with their lead
 * sentences; 自定义 keeps what the organizer has written. The reflection itself never changes.
 */
export function ExcerptChoice({
  label,
  fullText,
  body,
  onChange,
}: {
  /** The item's heading, so that each group is named apart (第3条 职务 姓名). */
  label: string;
  fullText: string;
  body: string;
  onChange: (body: string) => void;
}) {
  const id = useId();
  const outline = useMemo(() => outlineOf(fullText), [fullText]);
  const textMode = body.trim() === fullText.trim() ? 'full' : outline && body.trim() === outline.trim() ? 'outline' : 'custom';
  // 自定义 chosen before anything is typed: the text stays as it is, ready to be edited.
  const [wantsCustom, setWantsCustom] = useState(false);
  const mode = wantsCustom ? 'custom' : textMode;
  const [custom, setCustom] = useState(textMode === 'custom' ? body : '');
  const pick = (m: ExcerptMode) => {
    if (textMode === 'custom') setCustom(body);
    setWantsCustom(m === 'custom');
    if (m === 'full') onChange(fullText);
    else if (m === 'outline' && outline) onChange(outline);
    else if (m === 'custom' && custom) onChange(custom);
  };
  const options: { value: ExcerptMode; text: string; disabled?: boolean }[] = [
    { value: 'full', text: '全文' },
    { value: 'outline', text: outline ? '要点' : '要点（未找到分点）', disabled: !outline },
    { value: 'custom', text: '自定义' },
  ];
  return (
    <fieldset className={s.excerpt}>
      <legend className="sr-only">{label}的摘编方式</legend>
      {options.map((o) => (
        <label key={o.value} className={o.disabled ? s.off : undefined}>
          <input
            type="radio"
            name={`${id}-excerpt`}
            checked={mode === o.value}
            disabled={o.disabled}
            onChange={() => pick(o.value)}
          />
          {o.text}
        </label>
      ))}
    </fieldset>
  );
}
