import { z } from 'zod';
import { DomainError, type ErrorDetail } from '../../platform/errors.js';
import type { CampaignRow, ContactBatchKind } from './campaigns.tables.js';
import { contactChangesSchema, contactInputSchema } from './contact-input.js';
import { contactFilterSchema } from './contact-filter.js';

/** Diabolocom: "Max 300 contacts per request. Use SFTP for more." */
export const MAX_CONTACTS_PER_BATCH = 300;

/**
 * What a batch row stores in `request`: the input as the client sent it (after the checks below
 * passed). The job parses it again with the same schemas, so what it applies is exactly what was
 * validated, and a row written by older code that no longer parses fails the batch instead of
 * guessing.
 */
export type StoredBatchRequest =
  | { kind: 'create'; inputs: unknown[]; priorityMode: boolean }
  | { kind: 'update'; query: unknown; data: unknown }
  | { kind: 'delete'; query: unknown };

export type ParsedBatchRequest =
  | { kind: 'create'; inputs: z.output<typeof contactInputSchema>[]; priorityMode: boolean }
  | {
      kind: 'update';
      query: z.output<typeof contactFilterSchema>;
      data: z.output<typeof contactChangesSchema>;
    }
  | { kind: 'delete'; query: z.output<typeof contactFilterSchema> };

function detailsOf(error: z.ZodError, prefix: (string | number)[]): ErrorDetail[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

function invalid(message: string, details: ErrorDetail[]): DomainError {
  return new DomainError('VALIDATION_FAILED', message, details);
}

/**
 * Checks every item of a create batch. An item's `customFields` problem is reported at
 * `customFields.<index>.<field>`; a problem with a field common to all items once, at its own path.
 */
function parseCreate(request: Extract<StoredBatchRequest, { kind: 'create' }>): ParsedBatchRequest {
  if (request.inputs.length === 0) {
    throw invalid('A batch needs at least one contact', [{ path: 'customFields', message: 'is empty' }]);
  }
  if (request.inputs.length > MAX_CONTACTS_PER_BATCH) {
    throw invalid(`A batch creates at most ${MAX_CONTACTS_PER_BATCH} contacts`, [
      { path: 'customFields', message: `has ${request.inputs.length} items (max ${MAX_CONTACTS_PER_BATCH})` },
    ]);
  }
  const inputs: z.output<typeof contactInputSchema>[] = [];
  const details = new Map<string, ErrorDetail>();
  request.inputs.forEach((input, index) => {
    const result = contactInputSchema.safeParse(input);
    if (result.success) {
      inputs.push(result.data);
      return;
    }
    for (const issue of result.error.issues) {
      const [head, ...rest] = issue.path.map(String);
      const path =
        head === 'customFields' ? ['customFields', String(index), ...rest] : issue.path.map(String);
      const detail = { path: path.join('.'), message: issue.message };
      details.set(`${detail.path}\u0000${detail.message}`, detail);
    }
  });
  if (details.size > 0) throw invalid('Invalid contacts in the batch', [...details.values()]);
  return { kind: 'create', inputs, priorityMode: request.priorityMode };
}

function parseQuery(query: unknown): z.output<typeof contactFilterSchema> {
  // Unknown (misspelled) filter names are dropped, as Diabolocom does; see docs/decisions.md.
  const result = contactFilterSchema.safeParse(query ?? {});
  if (!result.success) throw invalid('Invalid query filters', detailsOf(result.error, ['query']));
  return result.data;
}

function parseUpdate(
  request: Extract<StoredBatchRequest, { kind: 'update' }>,
  campaign: Pick<CampaignRow, 'phoneFields'>,
): ParsedBatchRequest {
  const query = parseQuery(request.query);
  const raw = request.data;
  if (typeof raw === 'object' && raw !== null && 'phones' in raw) {
    throw invalid('Phones cannot be changed by a batch; use the single contact update', [
      { path: 'data.phones', message: 'cannot be updated by batch' },
    ]);
  }
  const result = contactChangesSchema.safeParse(raw ?? {});
  if (!result.success) throw invalid('Invalid data', detailsOf(result.error, ['data']));
  const data = result.data;
  // JSON has no undefined: a key present in the output was given.
  if (Object.keys(data).length === 0) {
    throw invalid('Nothing to update', [{ path: 'data', message: 'names no field to change' }]);
  }
  // A phone field is a custom field that is dialled: changing it by batch is changing phones.
  const customFields = data.customFields ?? {};
  const phoneFields = Object.keys(customFields).filter((name) => campaign.phoneFields.includes(name));
  if (phoneFields.length > 0) {
    throw invalid('Phones cannot be changed by a batch; use the single contact update', [
      ...phoneFields.map((name) => ({ path: `data.customFields.${name}`, message: 'is a phone field' })),
    ]);
  }
  return { kind: 'update', query, data };
}

/** Parses a stored (or about to be stored) request; throws VALIDATION_FAILED with every problem. */
export function parseBatchRequest(
  request: StoredBatchRequest,
  campaign: Pick<CampaignRow, 'phoneFields'>,
): ParsedBatchRequest {
  switch (request.kind) {
    case 'create':
      return parseCreate(request);
    case 'update':
      return parseUpdate(request, campaign);
    case 'delete':
      return { kind: 'delete', query: parseQuery(request.query) };
  }
}

const storedSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('create'), inputs: z.array(z.unknown()), priorityMode: z.boolean() }),
  z.object({ kind: z.literal('update'), query: z.unknown(), data: z.unknown() }),
  z.object({ kind: z.literal('delete'), query: z.unknown() }),
]);

/** The row's jsonb back as a request; a row of an unknown shape is a permanent failure. */
export function storedRequestOf(kind: ContactBatchKind, value: Record<string, unknown>): StoredBatchRequest {
  const result = storedSchema.safeParse({ ...value, kind });
  if (!result.success) throw invalid('The stored batch request is unreadable', []);
  return result.data;
}
