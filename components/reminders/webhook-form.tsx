'use client';

import { useActionState } from 'react';
import { setCourseWebhookAction } from '@/app/(organizer)/courses/[id]/webhook/actions';
import { FormStatus } from '@/components/course/form-bits';
import { SubmitButton } from '@/components/ui/button';
import { Field, SelectField } from '@/components/ui/field';

/** 群机器人 of a course: the kind and the URL. The stored URL is never sent back to the browser. */
export function WebhookForm({ courseId, kind }: { courseId: number; kind: 'wecom' | 'dingtalk' | null }) {
  const [state, action] = useActionState(setCourseWebhookAction, null);
  const typed = state && !state.ok ? state.values : undefined;
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormStatus state={state} />
      <input type="hidden" name="courseId" value={courseId} />
      <SelectField label="机器人类型" name="kind" defaultValue={typed?.kind ?? kind ?? 'wecom'} errors={errors?.kind}>
        <option value="wecom">企业微信群机器人</option>
        <option value="dingtalk">钉钉群机器人</option>
      </SelectField>
      <Field
        label="机器人地址（Webhook）"
        name="url"
        type="url"
        autoComplete="off"
        defaultValue={typed?.url ?? ''}
        errors={errors?.url}
        maxLength={500}
        hint="在群设置中添加机器人后复制其 Webhook 地址。企业微信以 https://qyapi.weixin.qq.com/ 开头，钉钉以 https://oapi.dingtalk.com/ 开头。保存后只显示部分字符。"
      />
      <SubmitButton pendingText="正在保存…">{kind ? '更换机器人' : '保存'}</SubmitButton>
    </form>
  );
}
