import { DomainError, type ErrorDetail } from '../../platform/errors.js';
import type {
  ScheduledAttachment,
  ScheduledMessageRow,
  ScheduledMessageStatus,
} from './scheduled-messages.tables.js';

/** What a client sets on a scheduled message; anything left out keeps its value. */
export interface ScheduledMessageFields {
  content?: string | undefined;
  scheduledAt?: Date | undefined;
  /** Clients choose between these two; sent and failed are the job's to set. */
  status?: 'draft' | 'pending' | undefined;
  templateParams?: Record<string, unknown> | undefined;
  attachment?: ScheduledAttachment | undefined;
}

/** The state a create or an update leads to, before it is written. */
export interface ScheduledMessageDraft {
  content: string;
  status: ScheduledMessageStatus;
  scheduledAt: Date | null;
  templateParams: Record<string, unknown>;
  attachment: ScheduledAttachment | null;
}

const editableStatuses: readonly ScheduledMessageStatus[] = ['draft', 'pending'];

/** Chatwoot (seed): only draft and pending messages can be changed or deleted. */
export function assertEditable(row: ScheduledMessageRow): void {
  if (editableStatuses.includes(row.status)) return;
  throw new DomainError(
    'VALIDATION_FAILED',
    `This scheduled message is ${row.status}; only draft or pending messages can be changed or deleted`,
    [{ path: 'status', message: `is ${row.status}` }],
  );
}

/** Applies the fields to the current state (none for a create). */
export function draftOf(
  current: ScheduledMessageRow | null,
  fields: ScheduledMessageFields,
): ScheduledMessageDraft {
  const scheduledAt = fields.scheduledAt ?? current?.scheduledAt ?? null;
  return {
    content: fields.content ?? current?.content ?? '',
    // A new message with a time is scheduled unless the client asks for a draft.
    status: fields.status ?? current?.status ?? (scheduledAt ? 'pending' : 'draft'),
    scheduledAt,
    templateParams: fields.templateParams ?? current?.templateParams ?? {},
    attachment: fields.attachment ?? current?.attachment ?? null,
  };
}

/**
 * A pending message needs a time in the future (checked when it is set or when the message
 * becomes pending, so editing the text of a message due any second is still allowed) and
 * something to send. Drafts may be incomplete.
 */
export function assertValidDraft(
  draft: ScheduledMessageDraft,
  options: { isTimingChanged: boolean; now: Date },
): void {
  if (draft.status !== 'pending') return;
  const details: ErrorDetail[] = [];
  if (!draft.scheduledAt) details.push({ path: 'scheduled_at', message: "can't be blank" });
  else if (options.isTimingChanged && draft.scheduledAt.getTime() <= options.now.getTime()) {
    details.push({ path: 'scheduled_at', message: 'must be in the future' });
  }
  const hasTemplate = Object.keys(draft.templateParams).length > 0;
  if (draft.content.trim() === '' && !draft.attachment && !hasTemplate) {
    details.push({ path: 'content', message: "can't be blank" });
  }
  if (details.length === 0) return;
  throw new DomainError(
    'VALIDATION_FAILED',
    details.map((detail) => `${detail.path} ${detail.message}`).join(', '),
    details,
  );
}
