import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import { DomainError } from '../../platform/errors.js';
import { jsonObject } from '../../platform/http/bounded-json.js';
import { storeAttachment } from '../../core/conversations/attachments.js';
import { railsFormFromFields } from './rails-bodies.js';
import type { ScheduledAttachment, ScheduledMessageFields } from '../../core/scheduled-messages/index.js';

/** As for message attachments (Chatwoot's limit). */
const ATTACHMENT_MAX_BYTES = 40 * 1024 * 1024;

/**
 * `scheduled_at` as the seed documents it (ISO 8601), or Unix seconds as this API answers it, so a
 * client can send back what it read.
 */
const scheduledAt = z
  .union([z.string().trim().min(1).max(64), z.number()])
  .transform((value) => new Date(typeof value === 'number' ? value * 1000 : value))
  .refine((date) => !Number.isNaN(date.getTime()), { message: 'must be an ISO 8601 date-time' });

/** Seed `scheduled_message_create_update_payload` (the file comes as multipart `attachment`). */
export const scheduledMessageBody = z.object({
  content: z.string().max(150_000).optional(),
  scheduled_at: scheduledAt.optional(),
  status: z.enum(['draft', 'pending']).optional(),
  template_params: jsonObject().optional(),
});
export type ScheduledMessageBody = z.infer<typeof scheduledMessageBody>;

export interface ScheduledMessageRequest {
  fields: ScheduledMessageFields;
  /** The uploaded file, already stored; the caller removes it if the change does not commit. */
  stored: ScheduledAttachment | undefined;
}

export function fieldsOf(
  body: ScheduledMessageBody,
  attachment?: ScheduledAttachment,
): ScheduledMessageFields {
  return {
    content: body.content,
    scheduledAt: body.scheduled_at,
    status: body.status,
    templateParams: body.template_params,
    attachment,
  };
}

function invalid(message: string, path: string): DomainError {
  return new DomainError('VALIDATION_FAILED', message, [{ path, message }]);
}

async function readMultipart(ctx: AppContext, request: FastifyRequest, accountId: number) {
  const values: [string, string][] = [];
  let stored: ScheduledAttachment | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (stored) throw invalid('A scheduled message takes one attachment', 'attachment');
        const file = await storeAttachment(ctx.storage, {
          accountId,
          data: part.file,
          fileName: part.filename || 'file',
          contentType: part.mimetype,
          maxBytes: ATTACHMENT_MAX_BYTES,
        });
        if (!file.blobKey) throw new Error('stored attachment has no blob key');
        stored = {
          blobKey: file.blobKey,
          fileName: file.fileName ?? 'file',
          contentType: file.contentType ?? null,
          byteSize: file.byteSize ?? null,
        };
      } else {
        values.push([part.fieldname, String(part.value)]);
      }
    }
    const parsed = scheduledMessageBody.safeParse(withJsonTemplate(railsFormFromFields(values)));
    if (!parsed.success) {
      throw new DomainError(
        'VALIDATION_FAILED',
        'Invalid scheduled message',
        parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      );
    }
    return { fields: fieldsOf(parsed.data, stored), stored };
  } catch (error) {
    if (stored) await ctx.storage.delete(stored.blobKey).catch(() => false);
    throw error;
  }
}

/** `template_params` as nested form keys (Rails style) or as one JSON text field. */
function withJsonTemplate(fields: Record<string, unknown>): Record<string, unknown> {
  const template = fields.template_params;
  if (typeof template !== 'string') return fields;
  try {
    return { ...fields, template_params: JSON.parse(template) as unknown };
  } catch {
    throw invalid('template_params must be JSON', 'template_params');
  }
}

/** A JSON (or form) body, or a multipart one whose `attachment` file is streamed into storage. */
export async function readScheduledMessageRequest(
  ctx: AppContext,
  request: FastifyRequest,
  body: ScheduledMessageBody | null | undefined,
  accountId: number,
): Promise<ScheduledMessageRequest> {
  if (request.isMultipart()) return readMultipart(ctx, request, accountId);
  return { fields: fieldsOf(body ?? {}), stored: undefined };
}
