import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, isDomainError, notFound, type ErrorDetail } from '../../platform/errors.js';
import { findMediaItem } from '../media/media-items.js';
import { phoneNumbers } from '../numbers/numbers.tables.js';
import { DEFAULT_SENDER } from '../sms/send-sms.js';
import { MAX_SMS_PARTS, segmentSms } from '../sms/sms-encoding.js';
import { checkCli } from '../telephony/start-calls.js';
import {
  addressBooks,
  broadcastCampaigns,
  type BroadcastCampaignRow,
  type BroadcastContent,
  type BroadcastStatus,
  type BroadcastType,
} from './broadcasts.tables.js';
import { selectPage, type OffsetPage } from './offset-page.js';

/** What `save` and `check` take: everything a client may set on a campaign. */
export interface CampaignInput {
  name: string;
  sender: string;
  addressBookIds: number[];
  scheduledAt: Date | null;
  content: BroadcastContent;
}

export const campaignOrders = ['name', '-name', 'created_at', '-created_at'] as const;
export type CampaignOrder = (typeof campaignOrders)[number];

// GSM alphanumeric sender ids, as the SMS core accepts them.
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 .\-_&]{1,11}$/;

async function smsSenderProblem(db: Db, accountId: number, sender: string): Promise<string | null> {
  if (sender === '' || sender.toUpperCase() === DEFAULT_SENDER) return null;
  if (sender.startsWith('+')) {
    const [owned] = await db
      .select({ number: phoneNumbers.number })
      .from(phoneNumbers)
      .where(
        and(
          eq(phoneNumbers.accountId, accountId),
          eq(phoneNumbers.number, sender),
          eq(phoneNumbers.state, 'active'),
        ),
      );
    return owned ? null : `${sender} is not one of the account's numbers`;
  }
  return ALPHANUMERIC_SENDER.test(sender)
    ? null
    : 'must be "", "SMS", one of your numbers (E.164) or an alphanumeric sender of 1 to 11 characters';
}

async function contentProblems(db: Db, accountId: number, input: CampaignInput): Promise<ErrorDetail[]> {
  const problems: ErrorDetail[] = [];
  const { content } = input;
  if (content.type === 'SMS') {
    if (content.text.trim() === '') problems.push({ path: 'sms.text', message: "can't be blank" });
    else if (segmentSms(content.text).parts > MAX_SMS_PARTS) {
      problems.push({ path: 'sms.text', message: `is longer than ${MAX_SMS_PARTS} SMS parts` });
    }
    const sender = await smsSenderProblem(db, accountId, input.sender);
    if (sender) problems.push({ path: 'sender', message: sender });
    return problems;
  }
  if (content.messages.length === 0) problems.push({ path: 'voice.messages', message: "can't be empty" });
  for (const [index, message] of content.messages.entries()) {
    if (!('media' in message)) continue;
    const media = await findMediaItem(db, accountId, message.media);
    if (media?.status !== 'READY') {
      problems.push({
        path: `voice.messages.${index}`,
        message: `media ${message.media} is not a ready media`,
      });
    }
  }
  try {
    await checkCli(db, accountId, input.sender, 'sender');
  } catch (error) {
    if (!isDomainError(error)) throw error;
    problems.push(...error.details);
  }
  return problems;
}

/** The address books given that the account does not have, as problems. */
async function missingBooks(db: Db, accountId: number, ids: number[]): Promise<ErrorDetail[]> {
  if (ids.length === 0) return [{ path: 'address_books', message: 'name at least one address book' }];
  const found = await db
    .select({ id: addressBooks.id, contacts: addressBooks.contactsCount })
    .from(addressBooks)
    .where(and(eq(addressBooks.accountId, accountId), inArray(addressBooks.id, ids)));
  const problems = ids.flatMap((id, index) =>
    found.some((book) => book.id === id)
      ? []
      : [{ path: `address_books.${index}`, message: 'address book not found' }],
  );
  if (problems.length === 0 && found.every((book) => book.contacts === 0)) {
    problems.push({ path: 'address_books', message: 'the address books hold no contacts' });
  }
  return problems;
}

/** Everything that would keep the campaign from starting; empty when it may start. */
export async function checkCampaign(db: Db, accountId: number, input: CampaignInput): Promise<ErrorDetail[]> {
  return [
    ...(await missingBooks(db, accountId, input.addressBookIds)),
    ...(await contentProblems(db, accountId, input)),
  ];
}

/** The account's campaign; another account's is not found. Locked for the transaction with `forUpdate`. */
export async function getCampaign(
  db: Db,
  accountId: number,
  id: number,
  forUpdate = false,
): Promise<BroadcastCampaignRow> {
  const query = db
    .select()
    .from(broadcastCampaigns)
    .where(and(eq(broadcastCampaigns.accountId, accountId), eq(broadcastCampaigns.id, id)));
  const [row] = forUpdate ? await query.for('update') : await query;
  if (!row) throw notFound('Campaign');
  return row;
}

export function requireStatus(row: BroadcastCampaignRow, allowed: BroadcastStatus[], action: string): void {
  if (!allowed.includes(row.status)) {
    throw new DomainError('INVALID_STATE', `A ${row.status} campaign cannot be ${action}`);
  }
}

/**
 * Creates a draft, or replaces a draft's settings (`id`). A draft may be incomplete (`check` says
 * what is missing), but it never names another account's address book.
 */
export async function saveCampaign(
  db: Db,
  accountId: number,
  id: number | null,
  input: CampaignInput,
): Promise<BroadcastCampaignRow> {
  const values = {
    name: input.name,
    type: input.content.type satisfies BroadcastType,
    content: input.content,
    addressBookIds: input.addressBookIds,
    sender: input.sender,
    scheduledAt: input.scheduledAt,
  };
  return db.transaction(async (tx) => {
    const existing = id === null ? null : await getCampaign(tx, accountId, id, true);
    if (existing) requireStatus(existing, ['DRAFT'], 'edited');
    const unknown = (await missingBooks(tx, accountId, input.addressBookIds)).filter(
      (problem) => problem.message === 'address book not found',
    );
    if (unknown.length > 0) {
      throw new DomainError('VALIDATION_FAILED', 'Unknown address book', unknown);
    }
    if (id === null) {
      const [created] = await tx
        .insert(broadcastCampaigns)
        .values({ accountId, ...values })
        .returning();
      if (!created) throw new Error('campaign insert returned no row');
      return created;
    }
    const [updated] = await tx
      .update(broadcastCampaigns)
      .set({ ...values, updatedAt: new Date() })
      .where(and(eq(broadcastCampaigns.accountId, accountId), eq(broadcastCampaigns.id, id)))
      .returning();
    if (!updated) throw notFound('Campaign');
    return updated;
  });
}

/** A running campaign must be stopped or paused first: its chunk jobs would find nothing. */
export async function deleteCampaign(db: Db, accountId: number, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    requireStatus(
      await getCampaign(tx, accountId, id, true),
      ['DRAFT', 'PAUSED', 'STOPPED', 'FINISHED'],
      'deleted',
    );
    await tx
      .delete(broadcastCampaigns)
      .where(and(eq(broadcastCampaigns.accountId, accountId), eq(broadcastCampaigns.id, id)));
  });
}

export interface CampaignFilters {
  status?: BroadcastStatus | undefined;
  type?: BroadcastType | undefined;
}

export function searchCampaigns(
  db: Db,
  accountId: number,
  filters: CampaignFilters,
  page: OffsetPage & { order: CampaignOrder },
): Promise<{ rows: BroadcastCampaignRow[]; total: number }> {
  const where = and(
    eq(broadcastCampaigns.accountId, accountId),
    filters.status && eq(broadcastCampaigns.status, filters.status),
    filters.type && eq(broadcastCampaigns.type, filters.type),
  );
  const orderBy = {
    name: [asc(broadcastCampaigns.name), asc(broadcastCampaigns.id)],
    '-name': [desc(broadcastCampaigns.name), desc(broadcastCampaigns.id)],
    created_at: [asc(broadcastCampaigns.id)],
    '-created_at': [desc(broadcastCampaigns.id)],
  }[page.order];
  return selectPage(db, broadcastCampaigns, where, orderBy, page);
}
