import { randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { defineJob, enqueue, type JobContext } from '../../platform/jobs/index.js';
import type { Logger } from '../../platform/logger.js';
import type { BlobStorage } from '../../platform/storage/blob-storage.js';
import { loadMediaJob, mediaJobWebhookJob } from '../media/media-jobs.js';
import { mediaJobs, type MediaJobRow } from '../media/media.tables.js';
import { parseCsv, type CsvRecord } from '../numbers/csv.js';
import { getAddressBook } from './address-books.js';
import { addressBookContacts, addressBooks } from './broadcasts.tables.js';

/**
 * `sendr/10/addressbook.append_file_async`: a CSV the client imported earlier
 * (`media.import_file_from_base64_async`, named by its `filename`) is appended to an address book
 * by a durable job. Its progress and report are a CALLR `Job` row (media_jobs), so `jobs.get` and
 * the job webhook show it like any other asynchronous job.
 */

export const MAX_IMPORT_ROWS = 200_000;
const MAX_REPORTED_INVALID = 100;
const INSERT_BATCH = 1000;

const payloadSchema = z.object({
  accountId: z.number().int(),
  mediaJobId: z.number().int(),
  addressBookId: z.number().int(),
  blobKey: z.string(),
  /** A 0-based column index, or the header's name of the column. */
  phoneColumn: z.union([z.number().int().min(0), z.string()]),
  /** ISO 3166-1 alpha-2 for national numbers; null accepts international numbers only. */
  country: z.string().length(2).nullable(),
});
type ImportPayload = z.infer<typeof payloadSchema>;

function wiredAtStartup(): Promise<void> {
  return Promise.reject(new Error('address book imports run through createBroadcastsRuntime(deps)'));
}

export const importAddressBookJob = defineJob({
  name: 'broadcasts.import_address_book',
  queue: 'bulk',
  payloadSchema,
  maxAttempts: 3,
  handler: wiredAtStartup,
});

export interface StartImportInput {
  accountId: number;
  addressBookId: number;
  fileName: string;
  phoneColumn: number | string;
  country: string | null;
  webhookUrl: string | null;
}

const invalid = (path: string, message: string) =>
  new DomainError('VALIDATION_FAILED', `${path} ${message}`, [{ path, message }]);

/** Records the job (PENDING) and queues its work in one transaction; answers the job's public id. */
export async function startAddressBookImport(db: Db, input: StartImportInput): Promise<MediaJobRow> {
  await getAddressBook(db, input.accountId, input.addressBookId);
  const [file] = await db
    .select({ blobKey: mediaJobs.blobKey })
    .from(mediaJobs)
    .where(
      and(
        eq(mediaJobs.accountId, input.accountId),
        eq(mediaJobs.fileName, input.fileName),
        eq(mediaJobs.status, 'DONE'),
        isNull(mediaJobs.error),
        gt(mediaJobs.fileExpiresAt, new Date()),
      ),
    );
  if (!file?.blobKey) {
    throw invalid('filename', 'is not a file imported by media.import_file_from_base64_async, or it expired');
  }
  const blobKey = file.blobKey;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(mediaJobs)
      .values({
        accountId: input.accountId,
        publicId: randomBytes(8).toString('hex').toUpperCase(),
        kind: 'addressbook_import',
        webhookUrl: input.webhookUrl,
      })
      .returning();
    if (!row) throw new Error('media job insert returned no row');
    await enqueue(
      tx,
      importAddressBookJob,
      {
        accountId: input.accountId,
        mediaJobId: row.id,
        addressBookId: input.addressBookId,
        blobKey,
        phoneColumn: input.phoneColumn,
        country: input.country,
      },
      { accountId: input.accountId },
    );
    return row;
  });
}

interface ParsedBook {
  contacts: { phone: string; fields: Record<string, string> }[];
  rows: number;
  duplicates: number;
  invalid: { line: number; phone: string }[];
  invalidCount: number;
}

type ImportFailure = { code: string; message: string };

function phoneOf(cell: string | undefined, country: string | null): string | null {
  const value = cell?.trim() ?? '';
  if (value === '') return null;
  const parsed = parsePhoneNumberFromString(value, (country ?? undefined) as CountryCode | undefined);
  return parsed?.isValid() ? parsed.number : null;
}

/** Which column holds the numbers, and whether the first record is a header rather than a contact. */
function locatePhoneColumn(
  records: CsvRecord[],
  payload: ImportPayload,
): { index: number; header: string[] | null } | ImportFailure {
  const first = records[0]?.fields ?? [];
  if (typeof payload.phoneColumn === 'string') {
    const wanted = payload.phoneColumn.trim().toLowerCase();
    const index = first.findIndex((name) => name.trim().toLowerCase() === wanted);
    if (index < 0) {
      return { code: 'PHONE_COLUMN_NOT_FOUND', message: `No column "${payload.phoneColumn}" in the header` };
    }
    return { index, header: first };
  }
  // A first row whose phone cell is no number is taken as the header, not as an invalid contact.
  const isHeader = records.length > 0 && phoneOf(first[payload.phoneColumn], payload.country) === null;
  return { index: payload.phoneColumn, header: isHeader ? first : null };
}

function parseBook(records: CsvRecord[], index: number, header: string[] | null, country: string | null) {
  const parsed: ParsedBook = { contacts: [], rows: 0, duplicates: 0, invalid: [], invalidCount: 0 };
  const seen = new Set<string>();
  for (const record of header ? records.slice(1) : records) {
    parsed.rows++;
    const phone = phoneOf(record.fields[index], country);
    if (phone === null) {
      parsed.invalidCount++;
      if (parsed.invalid.length < MAX_REPORTED_INVALID) {
        parsed.invalid.push({ line: record.line, phone: record.fields[index]?.trim() ?? '' });
      }
      continue;
    }
    if (seen.has(phone)) {
      parsed.duplicates++;
      continue;
    }
    seen.add(phone);
    const fields: Record<string, string> = {};
    record.fields.forEach((value, column) => {
      if (column !== index) fields[header?.[column]?.trim() || `column_${column}`] = value.trim();
    });
    parsed.contacts.push({ phone, fields });
  }
  return parsed;
}

export interface ImportDeps {
  db: Db;
  storage: BlobStorage;
  logger: Logger;
}

async function setProgress(db: Db, row: MediaJobRow, percent: number): Promise<void> {
  await db
    .update(mediaJobs)
    .set({ status: 'RUNNING', percent, updatedAt: new Date() })
    .where(and(eq(mediaJobs.accountId, row.accountId), eq(mediaJobs.id, row.id)));
}

/** Ends the job with its report or its error; `work` (the inserts) commits with it or not at all. */
async function finish(
  ctx: JobContext,
  row: MediaJobRow,
  outcome: (tx: Db) => Promise<{ result: Record<string, unknown> } | { error: ImportFailure }>,
): Promise<void> {
  await ctx.complete(async (tx) => {
    const ended = await outcome(tx);
    const now = new Date();
    await tx
      .update(mediaJobs)
      .set({ status: 'DONE', percent: 100, doneAt: now, updatedAt: now, ...ended })
      .where(and(eq(mediaJobs.accountId, row.accountId), eq(mediaJobs.id, row.id)));
    if (row.webhookUrl !== null) {
      const payload = { accountId: row.accountId, mediaJobId: row.id };
      await enqueue(tx, mediaJobWebhookJob, payload, { accountId: row.accountId });
    }
  });
}

/** Inserts the contacts a batch at a time; a number already in the book is skipped and counted. */
async function appendContacts(tx: Db, payload: ImportPayload, parsed: ParsedBook) {
  let imported = 0;
  for (let start = 0; start < parsed.contacts.length; start += INSERT_BATCH) {
    const batch = parsed.contacts.slice(start, start + INSERT_BATCH);
    const inserted = await tx
      .insert(addressBookContacts)
      .values(
        batch.map((contact) => ({
          ...contact,
          accountId: payload.accountId,
          addressBookId: payload.addressBookId,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: addressBookContacts.id });
    imported += inserted.length;
  }
  await tx
    .update(addressBooks)
    .set({ contactsCount: sql`${addressBooks.contactsCount} + ${imported}`, updatedAt: new Date() })
    .where(and(eq(addressBooks.accountId, payload.accountId), eq(addressBooks.id, payload.addressBookId)));
  return {
    result: {
      rows: parsed.rows,
      imported,
      duplicates: parsed.duplicates + parsed.contacts.length - imported,
      invalid: parsed.invalidCount,
      invalid_rows: parsed.invalid,
    },
  };
}

async function readRecords(deps: ImportDeps, payload: ImportPayload): Promise<CsvRecord[] | ImportFailure> {
  const bytes = await deps.storage.get(payload.blobKey).catch(() => null);
  if (bytes === null) return { code: 'FILE_GONE', message: 'The imported file is no longer stored' };
  const records = parseCsv(bytes.toString('utf8'));
  if (records.length === 0) return { code: 'EMPTY_FILE', message: 'The file holds no rows' };
  if (records.length > MAX_IMPORT_ROWS + 1) {
    return { code: 'TOO_MANY_ROWS', message: `A file may hold at most ${MAX_IMPORT_ROWS} rows` };
  }
  return records;
}

export async function runAddressBookImport(deps: ImportDeps, payload: ImportPayload, ctx: JobContext) {
  const row = await loadMediaJob(deps.db, payload);
  if (row === null || row.status === 'DONE') return;
  try {
    await setProgress(deps.db, row, 10);
    const records = await readRecords(deps, payload);
    if (!Array.isArray(records)) return await finish(ctx, row, () => Promise.resolve({ error: records }));
    const column = locatePhoneColumn(records, payload);
    if ('code' in column) return await finish(ctx, row, () => Promise.resolve({ error: column }));
    const parsed = parseBook(records, column.index, column.header, payload.country);
    await setProgress(deps.db, row, 50);
    await finish(ctx, row, async (tx) => {
      const [book] = await tx
        .select({ id: addressBooks.id })
        .from(addressBooks)
        .where(and(eq(addressBooks.accountId, payload.accountId), eq(addressBooks.id, payload.addressBookId)))
        .for('update');
      if (!book) return { error: { code: 'ADDRESS_BOOK_GONE', message: 'The address book was deleted' } };
      return appendContacts(tx, payload, parsed);
    });
  } catch (error) {
    // An infrastructure fault is retried; the last attempt tells the client instead of hanging RUNNING.
    if (ctx.job.attempts < ctx.job.maxAttempts) throw error;
    deps.logger.error({ err: error, mediaJobId: row.id }, 'address book import failed');
    await finish(ctx, row, () =>
      Promise.resolve({ error: { code: 'INTERNAL_ERROR', message: 'The file could not be imported' } }),
    );
  }
}
