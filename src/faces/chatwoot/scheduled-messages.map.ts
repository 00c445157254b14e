import { z } from 'zod';
import type { BlobStorage } from '../../platform/storage/blob-storage.js';
import { fileTypeOf } from '../../core/conversations/attachments.js';
import {
  scheduledMessageStatuses,
  type ScheduledMessageAuthor,
  type ScheduledMessageRow,
} from '../../core/scheduled-messages/index.js';
import { ATTACHMENT_URL_TTL_SECONDS } from './serializers/message.js';

/** Seed `scheduled_message`: times are Unix seconds; fields without a value are left out, never null. */
export const scheduledMessageSchema = z.object({
  id: z.number().int(),
  content: z.string(),
  inbox_id: z.number().int(),
  conversation_id: z.number().int(),
  account_id: z.number().int(),
  status: z.enum(scheduledMessageStatuses),
  scheduled_at: z.number().int().optional(),
  template_params: z.record(z.string(), z.unknown()),
  author_id: z.number().int().optional(),
  author_type: z.string().optional(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
  author: z.record(z.string(), z.unknown()).optional(),
  attachment: z
    .object({
      scheduled_message_id: z.number().int(),
      file_type: z.string(),
      account_id: z.number().int(),
      file_url: z.string(),
      filename: z.string(),
    })
    .optional(),
});
export type ChatwootScheduledMessage = z.infer<typeof scheduledMessageSchema>;

function unix(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

const authorTypes = { user: 'User', agent_bot: 'AgentBot' } as const;

function authorOf(row: ScheduledMessageRow, authors: Map<number, ScheduledMessageAuthor>) {
  if (row.authorType === null || row.authorId === null) return {};
  const user = row.authorType === 'user' ? authors.get(row.authorId) : undefined;
  const author: Record<string, unknown> = user
    ? {
        id: user.id,
        name: user.name,
        available_name: user.name,
        email: user.email,
        avatar_url: user.avatarUrl ?? '',
        thumbnail: user.avatarUrl ?? '',
        type: 'user',
      }
    : { id: row.authorId, type: row.authorType };
  return { author_id: row.authorId, author_type: authorTypes[row.authorType], author };
}

export function toChatwootScheduledMessage(
  row: ScheduledMessageRow,
  context: {
    displayId: number;
    authors: Map<number, ScheduledMessageAuthor>;
    storage: Pick<BlobStorage, 'signedUrl'>;
  },
): ChatwootScheduledMessage {
  return {
    id: row.id,
    content: row.content,
    inbox_id: row.inboxId,
    conversation_id: context.displayId,
    account_id: row.accountId,
    status: row.status,
    ...(row.scheduledAt && { scheduled_at: unix(row.scheduledAt) }),
    template_params: row.templateParams,
    ...authorOf(row, context.authors),
    created_at: unix(row.createdAt),
    updated_at: unix(row.updatedAt),
    ...(row.attachment && {
      attachment: {
        scheduled_message_id: row.id,
        file_type: fileTypeOf(row.attachment.contentType),
        account_id: row.accountId,
        file_url: context.storage.signedUrl(row.attachment.blobKey, {
          expiresInSeconds: ATTACHMENT_URL_TTL_SECONDS,
        }),
        filename: row.attachment.fileName,
      },
    }),
  };
}
