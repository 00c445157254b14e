import { z } from 'zod';
import { startAddressBookImport } from '../../../core/broadcasts/address-book-import.js';
import {
  addressBookOrders,
  createAddressBook,
  deleteAddressBook,
  searchAddressBooks,
} from '../../../core/broadcasts/address-books.js';
import { pauseCampaign, startCampaign, stopCampaign } from '../../../core/broadcasts/campaign-run.js';
import {
  campaignOrders,
  checkCampaign,
  deleteCampaign,
  getCampaign,
  saveCampaign,
  searchCampaigns,
  type CampaignInput,
} from '../../../core/broadcasts/campaigns.js';
import {
  broadcastStatuses,
  broadcastTypes,
  type AddressBookRow,
  type BroadcastCampaignRow,
  type BroadcastType,
  type IvrAction,
} from '../../../core/broadcasts/broadcasts.tables.js';
import { parseBroadcastMessage } from '../../../core/telephony/start-calls.js';
import type { BroadcastMessage } from '../../../core/telephony/telephony.tables.js';
import type { ErrorDetail } from '../../../platform/errors.js';
import { callrDateTime, e164Param, parseCallrDateTime } from '../formats.js';
import { decodeHash, encodeHash, type HashKind } from '../hash-ids.js';
import { RpcError, rpcCodes } from '../json-rpc.js';
import { defineMethod, param, type RpcMethod } from '../rpc-method.js';
import { searchOptionsParam, searchResults } from './sub-accounts.js';

/**
 * CALLR SENDR (`sendr/10/*`): address books filled from CSV files, and SMS or voice campaigns
 * broadcast to them. The seed names the methods only; the objects (`SENDR.AddressBook`,
 * `SENDR.Campaign`, `SENDR.Campaign.Check`) follow CALLR's conventions (docs/decisions.md).
 */

const hashParam = z.string().trim().min(1).max(64);
const dateTimeOrEmpty = (date: Date | null) => (date ? callrDateTime(date) : '');

/** A hash of `kind` whose object the account must have: anything else is not found. */
function idOf(kind: HashKind, hash: string, what: string): number {
  const id = decodeHash(kind, hash);
  if (id === null) throw new RpcError(rpcCodes.notFound, `${what} not found`);
  return id;
}

// ---- Address books -----------------------------------------------------------------------------

/** `SENDR.AddressBook`. */
function toCallrAddressBook(row: AddressBookRow) {
  return {
    contacts: row.contactsCount,
    date_creation: callrDateTime(row.createdAt),
    date_update: callrDateTime(row.updatedAt),
    description: row.description,
    hash: encodeHash('addressbook', row.id),
    name: row.name,
  };
}

const countryParam = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2}$/, 'expected an ISO 3166-1 alpha-2 country code such as "FR"')
  .transform((value) => value.toUpperCase())
  .nullish()
  .transform((value) => value ?? null);

const httpUrl = z.url({ protocol: /^https?$/, message: 'expected an http(s) URL' });
/** Like `media.import_file_from_base64_async`: a URL, `{endpoint}`, or null. */
const webhookParam = z
  .union([httpUrl, z.object({ endpoint: httpUrl }).transform((value) => value.endpoint)])
  .nullish()
  .transform((value) => value ?? null);

const addressBookMethods: RpcMethod[] = [
  defineMethod({
    name: 'sendr/10/addressbook.search',
    params: [
      param('filters', z.strictObject({}).nullish()),
      param('options', searchOptionsParam(addressBookOrders, 'created_at')),
    ],
    handler: async (call, [, page]) => {
      const { rows, total } = await searchAddressBooks(call.ctx.db, call.access.accountId, {
        offset: page.offset,
        limit: page.quantity,
        order: page.order,
      });
      return searchResults(rows.map(toCallrAddressBook), page.offset, total);
    },
  }),
  defineMethod({
    name: 'sendr/10/addressbook.create',
    params: [
      param('name', z.string().trim().min(1).max(255)),
      param(
        'description',
        z
          .string()
          .trim()
          .max(1000)
          .nullish()
          .transform((value) => value ?? ''),
      ),
    ],
    handler: async (call, [name, description]) =>
      toCallrAddressBook(await createAddressBook(call.ctx.db, call.access.accountId, { name, description })),
  }),
  defineMethod({
    name: 'sendr/10/addressbook.delete',
    params: [param('hash', hashParam)],
    handler: async (call, [hash]) => {
      await deleteAddressBook(call.ctx.db, call.access.accountId, idOf('addressbook', hash, 'Address book'));
    },
  }),
  defineMethod({
    name: 'sendr/10/addressbook.append_file_async',
    params: [
      param('hash', hashParam),
      param('filename', z.string().trim().min(1).max(255)),
      // A 0-based column index, or the name of the column in the file's header row.
      param('phone_col', z.union([z.int().min(0).max(1000), z.string().trim().min(1).max(100)])),
      param('country', countryParam),
      param('webhook_url', webhookParam),
    ],
    handler: async (call, [hash, fileName, phoneColumn, country, webhookUrl]) => {
      const addressBookId = idOf('addressbook', hash, 'Address book');
      const job = await startAddressBookImport(call.ctx.db, {
        accountId: call.access.accountId,
        addressBookId,
        fileName,
        phoneColumn,
        country,
        webhookUrl,
      });
      return job.publicId;
    },
  }),
];

// ---- Campaigns ---------------------------------------------------------------------------------

const ivrActions = ['HANGUP', 'REPLAY', 'TRANSFER', 'BLACKLIST'] as const satisfies IvrAction['action'][];

/** `SENDR.Campaign.Voice.IVRAction`: what a key press does; TRANSFER needs its `target`. */
const ivrActionSchema = z
  .strictObject({
    action: z.enum(ivrActions),
    key: z.string().regex(/^[0-9*#]$/, 'expected one key of the keypad: 0-9, * or #'),
    target: z.union([z.literal(''), e164Param]).nullish(),
  })
  .refine((value) => value.action !== 'TRANSFER' || Boolean(value.target), {
    message: 'a TRANSFER needs a target number',
    path: ['target'],
  })
  .transform((value): IvrAction => ({ ...value, target: value.target ?? '' }));

const voiceMessagesSchema = z
  .array(z.union([z.string().min(1).max(5000), z.int()]))
  .max(20)
  .transform((messages, context) =>
    messages.map((raw, index): BroadcastMessage => {
      const message = parseBroadcastMessage(raw);
      if (!message) {
        context.addIssue({
          code: 'custom',
          path: [index],
          message: 'expected a media id or "TTS|<voice>|<text>"',
        });
      }
      return message ?? { media: 0 };
    }),
  );

const scheduleSchema = z
  .strictObject({ date_start: z.string().nullish() })
  .nullish()
  .transform((value, context) => {
    if (!value?.date_start) return null;
    const date = parseCallrDateTime(value.date_start);
    if (!date) {
      context.addIssue({
        code: 'custom',
        path: ['date_start'],
        message: 'expected "YYYY-MM-DD HH:MM:SS" (UTC)',
      });
    }
    return date;
  });

const addressBookHash = z
  .string()
  .trim()
  .transform((hash, context) => {
    const id = decodeHash('addressbook', hash);
    if (id === null) context.addIssue({ code: 'custom', message: 'not an address book hash' });
    return id ?? 0;
  });

/** Fields `get` shows that a client may send back (the template round-trips); they are ignored. */
const readOnly = z.unknown().optional();

/** `SENDR.Campaign` as `save` and `check` take it. */
const campaignSchema = z
  .strictObject({
    id: z.string().trim().max(64).nullish(),
    name: z.string().trim().min(1).max(255),
    type: z.enum(broadcastTypes),
    address_books: z.array(addressBookHash).max(50),
    sender: z.string().trim().max(20).nullish(),
    sms: z
      .strictObject({
        text: z.string().max(2000),
        nature: z.enum(['ALERTING', 'MARKETING']).nullish(),
      })
      .nullish(),
    voice: z
      .strictObject({
        messages: voiceMessagesSchema,
        loop: z.int().min(1).max(10).nullish(),
        ivr_actions: z.array(ivrActionSchema).max(12).nullish(),
      })
      .nullish(),
    schedule: scheduleSchema,
    status: readOnly,
    stats: readOnly,
    date_creation: readOnly,
    date_update: readOnly,
    date_started: readOnly,
    date_finished: readOnly,
  })
  .transform((value, context) => {
    const keys = value.voice?.ivr_actions?.map((action) => action.key) ?? [];
    if (new Set(keys).size !== keys.length) {
      context.addIssue({
        code: 'custom',
        path: ['voice', 'ivr_actions'],
        message: 'a key has one action at most',
      });
    }
    const part = value.type === 'SMS' ? value.sms : value.voice;
    if (!part) {
      const name = value.type === 'SMS' ? 'sms' : 'voice';
      context.addIssue({
        code: 'custom',
        path: [name],
        message: `a ${value.type} campaign needs its ${name} object`,
      });
      return z.NEVER;
    }
    const content: CampaignInput['content'] =
      value.type === 'SMS'
        ? { type: 'SMS', text: value.sms?.text ?? '', nature: value.sms?.nature ?? 'MARKETING' }
        : {
            type: 'VOICE',
            messages: value.voice?.messages ?? [],
            loops: value.voice?.loop ?? 1,
            ivrActions: value.voice?.ivr_actions ?? [],
          };
    const input: CampaignInput = {
      name: value.name,
      sender: value.sender ?? '',
      addressBookIds: value.address_books,
      scheduledAt: value.schedule,
      content,
    };
    return { id: value.id ? value.id : null, input };
  });

function messageText(message: BroadcastMessage): string | number {
  return 'media' in message ? message.media : `TTS|${message.voice}|${message.tts}`;
}

const emptyStats = { failed: 0, pending: 0, sent: 0, total: 0 };

/** `SENDR.Campaign`: `sms` or `voice` by its type; datetimes not reached yet are "". */
function toCallrCampaign(row: BroadcastCampaignRow) {
  const { content } = row;
  return {
    address_books: row.addressBookIds.map((id) => encodeHash('addressbook', id)),
    date_creation: callrDateTime(row.createdAt),
    date_finished: dateTimeOrEmpty(row.finishedAt),
    date_started: dateTimeOrEmpty(row.startedAt),
    date_update: callrDateTime(row.updatedAt),
    id: encodeHash('campaign', row.id),
    name: row.name,
    schedule: { date_start: dateTimeOrEmpty(row.scheduledAt) },
    sender: row.sender,
    stats: {
      failed: row.failedCount,
      pending: row.totalCount - row.sentCount - row.failedCount,
      sent: row.sentCount,
      total: row.totalCount,
    },
    status: row.status,
    type: row.type,
    ...(content.type === 'SMS'
      ? { sms: { nature: content.nature, text: content.text } }
      : {
          voice: {
            ivr_actions: content.ivrActions,
            loop: content.loops,
            messages: content.messages.map(messageText),
          },
        }),
  };
}

/** What `get_object_template` answers: a new campaign of that type, to fill in and `save`. */
function campaignTemplate(type: BroadcastType) {
  return {
    address_books: [],
    date_creation: '',
    date_finished: '',
    date_started: '',
    date_update: '',
    id: '',
    name: '',
    schedule: { date_start: '' },
    sender: '',
    stats: emptyStats,
    status: 'DRAFT',
    type,
    ...(type === 'SMS'
      ? { sms: { nature: 'MARKETING', text: '' } }
      : { voice: { ivr_actions: [], loop: 1, messages: [] } }),
  };
}

/** `SENDR.Campaign.Check`: `valid` when `problems` is empty; each problem names its field. */
function toCallrCheck(problems: ErrorDetail[]) {
  return {
    problems: problems.map((problem) => ({ field: problem.path, message: problem.message })),
    valid: problems.length === 0,
  };
}

const campaignIdParam = param('id', hashParam);

function campaignAction(name: string, action: typeof startCampaign) {
  return defineMethod({
    name: `sendr/10/campaign.${name}`,
    params: [campaignIdParam],
    handler: async (call, [hash]) => {
      await action(call.ctx.db, call.access.accountId, idOf('campaign', hash, 'Campaign'));
    },
  });
}

const campaignMethods: RpcMethod[] = [
  defineMethod({
    name: 'sendr/10/campaign.get_object_template',
    params: [param('type', z.enum(broadcastTypes))],
    handler: (_call, [type]) => Promise.resolve(campaignTemplate(type)),
  }),
  defineMethod({
    name: 'sendr/10/campaign.get_voice_ivr_action_objects_templates',
    params: [],
    handler: () => Promise.resolve(ivrActions.map((action) => ({ action, key: '', target: '' }))),
  }),
  defineMethod({
    name: 'sendr/10/campaign.save',
    params: [param('obj', campaignSchema)],
    handler: async (call, [{ id, input }]) => {
      const campaignId = id === null ? null : idOf('campaign', id, 'Campaign');
      return toCallrCampaign(await saveCampaign(call.ctx.db, call.access.accountId, campaignId, input));
    },
  }),
  defineMethod({
    name: 'sendr/10/campaign.check',
    // Checking answers every problem, the object's shape included, rather than failing on the first.
    params: [param('obj', z.unknown())],
    handler: async (call, [raw]) => {
      const parsed = campaignSchema.safeParse(raw);
      if (!parsed.success) {
        return toCallrCheck(
          parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
        );
      }
      return toCallrCheck(await checkCampaign(call.ctx.db, call.access.accountId, parsed.data.input));
    },
  }),
  defineMethod({
    name: 'sendr/10/campaign.get',
    params: [campaignIdParam],
    handler: async (call, [hash]) =>
      toCallrCampaign(
        await getCampaign(call.ctx.db, call.access.accountId, idOf('campaign', hash, 'Campaign')),
      ),
  }),
  defineMethod({
    name: 'sendr/10/campaign.search',
    params: [
      param(
        'filters',
        z
          .strictObject({
            status: z.enum(broadcastStatuses).nullish(),
            type: z.enum(broadcastTypes).nullish(),
          })
          .nullish(),
      ),
      param('options', searchOptionsParam(campaignOrders, 'created_at')),
    ],
    handler: async (call, [filters, page]) => {
      const { rows, total } = await searchCampaigns(
        call.ctx.db,
        call.access.accountId,
        { status: filters?.status ?? undefined, type: filters?.type ?? undefined },
        { offset: page.offset, limit: page.quantity, order: page.order },
      );
      return searchResults(rows.map(toCallrCampaign), page.offset, total);
    },
  }),
  campaignAction('start', startCampaign),
  campaignAction('pause', pauseCampaign),
  campaignAction('stop', stopCampaign),
  campaignAction('delete', deleteCampaign),
];

/** CALLR SENDR: address books and broadcast campaigns. */
export const sendrMethods: readonly RpcMethod[] = [...addressBookMethods, ...campaignMethods];
