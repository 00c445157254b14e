import { waitFor } from '../../testing/wait.js';
import type { CallrTestAccount } from './callr-test-kit.js';
import type { CallrSms } from './sms.map.js';

/** What the SENDR tests share: the objects' shapes and the steps to fill an address book. */

export interface AddressBook {
  hash: string;
  name: string;
  description: string;
  contacts: number;
  date_creation: string;
  date_update: string;
}

export interface Job {
  id: string;
  status: string;
  percent: string;
  done_at: string;
  error: Record<string, unknown>;
  result: Record<string, unknown>;
}

export interface Campaign {
  id: string;
  name: string;
  type: 'SMS' | 'VOICE';
  status: string;
  address_books: string[];
  sender: string;
  sms?: { text: string; nature: string };
  voice?: { messages: (string | number)[]; loop: number; ivr_actions: unknown[] };
  schedule: { date_start: string };
  stats: { total: number; sent: number; failed: number; pending: number };
  date_creation: string;
  date_update: string;
  date_started: string;
  date_finished: string;
}

export interface SearchResults<T> {
  has_more: boolean;
  hits: T[];
  offset: number;
  total: number;
}

export const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
export const HASH = /^[0-9A-F]{8}$/;

export async function jobDone(account: CallrTestAccount, jobId: string): Promise<Job> {
  return waitFor(
    async () => {
      const job = await account.result<Job>('jobs.get', [jobId]);
      return job.status === 'DONE' ? job : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 200, what: `job ${jobId}` },
  );
}

/** Uploads a CSV the way a CALLR client does, and answers the file name to append from. */
export async function uploadCsv(account: CallrTestAccount, csv: string): Promise<string> {
  const jobId = await account.result<string>('media.import_file_from_base64_async', [
    Buffer.from(csv).toString('base64'),
    null,
  ]);
  const job = await jobDone(account, jobId);
  return String(job.result.filename);
}

export async function bookWith(
  account: CallrTestAccount,
  name: string,
  csv: string,
  phoneCol: number | string,
) {
  const book = await account.result<AddressBook>('sendr/10/addressbook.create', [name, '']);
  const fileName = await uploadCsv(account, csv);
  const jobId = await account.result<string>('sendr/10/addressbook.append_file_async', [
    book.hash,
    fileName,
    phoneCol,
    'FR',
    null,
  ]);
  return { book, fileName, job: await jobDone(account, jobId) };
}

/** `n` French mobile numbers from a base, national format. */
export function numbers(base: number, n: number): string[] {
  return Array.from({ length: n }, (_, index) => `06${String(base + index).padStart(8, '0')}`);
}

export async function campaignDone(
  account: CallrTestAccount,
  id: string,
  status = 'FINISHED',
): Promise<Campaign> {
  return waitFor(
    async () => {
      const campaign = await account.result<Campaign>('sendr/10/campaign.get', [id]);
      return campaign.status === status ? campaign : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 200, what: `campaign ${id} ${status}` },
  );
}

export async function smsCampaign(account: CallrTestAccount, bookHash: string, text: string, dateStart = '') {
  return account.result<Campaign>('sendr/10/campaign.save', [
    {
      name: text,
      type: 'SMS',
      address_books: [bookHash],
      sender: 'Parley',
      sms: { text, nature: 'MARKETING' },
      schedule: { date_start: dateStart },
    },
  ]);
}

export async function sentSmsTo(account: CallrTestAccount, text: string): Promise<string[]> {
  const list = await account.result<CallrSms[]>('sms.get_list', [
    'OUT',
    '2000-01-01 00:00:00',
    '2100-01-01 00:00:00',
  ]);
  return list.filter((sms) => sms.text === text).map((sms) => sms.to);
}
