import type { z } from 'zod';
import { DomainError } from '../../platform/errors.js';
import type { CampaignRow } from './campaigns.tables.js';
import type { campaignChangesSchema } from './campaign-settings.js';

/** Parses core input with a zod schema; a failure is a VALIDATION_FAILED naming each field. */
export function parseOrFail<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const summary = details.map((detail) => `${detail.path || 'body'}: ${detail.message}`).join('; ');
  throw new DomainError('VALIDATION_FAILED', `Invalid campaign settings: ${summary}`, details);
}

function refuse(path: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', message, [{ path, message }]);
}

type Changes = z.output<typeof campaignChangesSchema>;

/**
 * The seed's state rules: an archived campaign cannot be changed (except to unarchive it), only a
 * paused campaign can be archived, and an archived campaign cannot be played.
 */
export function assertChangeAllowed(current: CampaignRow | undefined, changes: Changes): void {
  const isArchived = changes.isArchived ?? current?.isArchived ?? false;
  const isPaused = changes.isPaused ?? current?.isPaused ?? true;
  if (current?.isArchived) {
    const keys = Object.keys(changes).filter((key) => key !== 'isArchived');
    if (changes.isArchived !== false || keys.length > 0) {
      throw refuse('isArchived', 'An archived campaign cannot be updated; unarchive it first');
    }
  }
  if (isArchived && !isPaused) throw refuse('isArchived', 'Only a paused campaign can be archived');
  const isRecorded = changes.isRecorded ?? current?.isRecorded ?? false;
  const percentage =
    changes.recordingPercentage !== undefined ? changes.recordingPercentage : current?.recordingPercentage;
  if (!isRecorded && changes.recordingPercentage != null && percentage != null) {
    throw refuse('recordingPercentage', 'recordingPercentage needs isRecorded true');
  }
  const min =
    changes.minCallingDateOffset !== undefined ? changes.minCallingDateOffset : current?.minCallingDateOffset;
  const max =
    changes.maxCallingDateOffset !== undefined ? changes.maxCallingDateOffset : current?.maxCallingDateOffset;
  if (min != null && max != null && min > max) {
    throw refuse('maxCallingDateOffset', 'maxCallingDateOffset must not be below minCallingDateOffset');
  }
}
