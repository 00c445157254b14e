import { z } from 'zod';
import { emailTemplatesOf, emailTemplateTypes } from '../../../core/media/email-templates.js';
import { MediaContentError } from '../../../core/media/media-audio.js';
import {
  setMediaContentFromBytes,
  setMediaContentFromImport,
  setMediaContentFromRecording,
  setMediaTtsContent,
  type MediaContentDeps,
} from '../../../core/media/media-content.js';
import { mediaEngines } from '../../../core/media/media-engines.js';
import {
  createMediaItem,
  deleteMediaItem,
  getMediaItem,
  listMediaItems,
  MAX_MEDIA_PAGE,
  renameMediaItem,
  setMediaCategories,
  setMediaTags,
} from '../../../core/media/media-items.js';
import { getMediaJob, startFileImport } from '../../../core/media/media-jobs.js';
import { mediaLibraryOverview } from '../../../core/media/media-overview.js';
import { mediaSearchOrders, searchMediaItems } from '../../../core/media/media-search.js';
import { getMediaPhoneId } from '../../../core/media/media-phone-id.js';
import { mediaCategories, mediaStatuses } from '../../../core/media/media.tables.js';
import { TTS_VOICES } from '../../../core/media/tts.js';
import { decodeBase64 } from '../../../core/media/base64.js';
import { decodeHash } from '../hash-ids.js';
import { callrDateTimeParam } from '../formats.js';
import { invalidParam } from '../json-rpc.js';
import { defineMethod, param, type RpcCall, type RpcMethod } from '../rpc-method.js';
import {
  toCallrEmailTemplate,
  toCallrJob,
  toCallrMedia,
  toCallrPhoneId,
  toCallrVoiceList,
} from '../media.map.js';

/**
 * A media is named by its integer id (CALLR's `Media.Library.id`, what `media/library.create`
 * returns and voice apps reference); a string of digits and the media's hash are accepted too.
 * A string of digits is always read as an id.
 */
const mediaIdParam = z.union([
  z.number().int().positive(),
  z
    .string()
    .trim()
    .transform((value, context) => {
      if (/^\d{1,15}$/.test(value)) return Number(value);
      const id = decodeHash('media', value);
      if (id === null || id === 0) {
        context.addIssue({ code: 'custom', message: 'expected a media id (integer) or a media hash' });
        return z.NEVER;
      }
      return id;
    }),
]);

const nameParam = z.string().trim().min(1).max(255);
const categoryList = z.array(z.enum(mediaCategories)).max(mediaCategories.length);
/** CALLR tags: key → values; a lone value is taken as a one-value list. */
const tagsParam = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

const base64Param = z.string().transform((value, context) => {
  const bytes = decodeBase64(value);
  if (bytes === null || bytes.length === 0) {
    context.addIssue({ code: 'custom', message: 'expected non-empty base64 data' });
    return z.NEVER;
  }
  return bytes;
});

const httpUrl = z.url({ protocol: /^https?$/, message: 'expected an http(s) URL' });
/** The SDK examples pass a URL, null, or `{endpoint}` (a `Webhook`-like object). */
const webhookParam = z
  .union([httpUrl, z.object({ endpoint: httpUrl }).transform((value) => value.endpoint)])
  .nullish()
  .transform((value) => value ?? null);

const recordingParam = z.union([
  z.number().int().positive(),
  z
    .string()
    .trim()
    .transform((value, context) => {
      if (/^\d{1,15}$/.test(value)) return Number(value);
      const id = decodeHash('recording', value);
      if (id === null || id === 0) {
        context.addIssue({ code: 'custom', message: 'expected a recording hash' });
        return z.NEVER;
      }
      return id;
    }),
]);

const ttsOptionsParam = z
  .object({ rate: z.number().int().min(1).max(100).optional() })
  .nullish()
  .transform((value) => value ?? {});

/** CALLR's `Media.SearchFilters`; unknown keys are refused so a misspelt filter is not silently ignored. */
const searchFiltersParam = z
  .strictObject({
    category: z.enum(mediaCategories).optional(),
    created_at_from: callrDateTimeParam.optional(),
    created_at_to: callrDateTimeParam.optional(),
    hash: z.string().trim().optional(),
    id: z.number().int().positive().optional(),
    language: z.array(z.string().max(20)).max(20).optional(),
    name: z.string().max(255).optional(),
    status: z.enum(mediaStatuses).optional(),
    tags_type: z.string().max(100).optional(),
    tags_value: z.string().max(100).optional(),
    voice: z.enum(TTS_VOICES.map((voice) => voice.id) as [string, ...string[]]).optional(),
  })
  .nullish()
  .transform((value) => value ?? {});

/** CALLR's `Search.Options`. */
const searchOptionsParam = z
  .strictObject({
    offset: z.number().int().min(0).optional(),
    order: z.enum(mediaSearchOrders).optional(),
    quantity: z.number().int().min(1).max(MAX_MEDIA_PAGE).optional(),
  })
  .nullish()
  .transform((value) => value ?? {});

function contentDeps(call: RpcCall): MediaContentDeps {
  return { db: call.ctx.db, storage: call.ctx.storage, ...mediaEngines(call.ctx.config) };
}

/** A content the core refused is a bad param: the error names the param the content came in. */
async function asParam<T>(index: number, name: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof MediaContentError) throw invalidParam(index, name, error.message);
    throw error;
  }
}

const libraryMethods: RpcMethod[] = [
  defineMethod({
    name: 'media/library.get_list',
    params: [param('categories', z.union([categoryList, z.enum(mediaCategories)]).nullish())],
    handler: async (call, [categories]) => {
      const rows = await listMediaItems(call.ctx.db, call.access.accountId, {
        categories: typeof categories === 'string' ? [categories] : (categories ?? undefined),
      });
      return rows.map((row) => toCallrMedia(row, call.ctx.storage));
    },
  }),
  defineMethod({
    name: 'media/library.create',
    params: [param('name', nameParam)],
    handler: async (call, [name]) => (await createMediaItem(call.ctx.db, call.access.accountId, name)).id,
  }),
  defineMethod({
    name: 'media/library.get',
    params: [param('id', mediaIdParam)],
    handler: async (call, [id]) =>
      toCallrMedia(await getMediaItem(call.ctx.db, call.access.accountId, id), call.ctx.storage),
  }),
  defineMethod({
    name: 'media/library.delete',
    params: [param('id', mediaIdParam)],
    handler: async (call, [id]) => {
      await deleteMediaItem(call.ctx, call.access.accountId, id);
    },
  }),
  defineMethod({
    name: 'media/library.set_name',
    params: [param('id', mediaIdParam), param('name', nameParam)],
    handler: async (call, [id, name]) => {
      await renameMediaItem(call.ctx.db, call.access.accountId, id, name);
    },
  }),
  defineMethod({
    name: 'media/library.set_tags',
    params: [param('id', mediaIdParam), param('tags', tagsParam)],
    handler: async (call, [id, tags]) => {
      await setMediaTags(call.ctx.db, call.access.accountId, id, tags);
    },
  }),
  defineMethod({
    name: 'media/library.set_categories',
    params: [param('id', mediaIdParam), param('categories', categoryList)],
    handler: async (call, [id, categories]) => {
      await setMediaCategories(call.ctx.db, call.access.accountId, id, categories);
    },
  }),
  defineMethod({
    name: 'media/library.search',
    params: [param('filters', searchFiltersParam), param('options', searchOptionsParam)],
    handler: async (call, [filters, options]) => {
      const offset = options.offset ?? 0;
      const byHash = filters.hash === undefined ? undefined : decodeHash('media', filters.hash);
      if (byHash === null) throw invalidParam(0, 'filters', 'hash: expected a media hash');
      // A hash and an id that name different media match nothing.
      if (byHash !== undefined && filters.id !== undefined && byHash !== filters.id) {
        return { has_more: false, hits: [], offset, total: 0 };
      }
      const { rows, total } = await searchMediaItems(
        call.ctx.db,
        call.access.accountId,
        {
          category: filters.category,
          createdFrom: filters.created_at_from,
          createdTo: filters.created_at_to,
          id: byHash ?? filters.id,
          languages: filters.language,
          name: filters.name,
          status: filters.status,
          tagsType: filters.tags_type,
          tagsValue: filters.tags_value,
          voice: filters.voice,
        },
        { offset, limit: options.quantity ?? 100, order: options.order ?? 'id' },
      );
      return {
        has_more: offset + rows.length < total,
        hits: rows.map((row) => toCallrMedia(row, call.ctx.storage)),
        offset,
        total,
      };
    },
  }),
  defineMethod({
    name: 'media/library.get_overview',
    params: [],
    handler: (call) => mediaLibraryOverview(call.ctx.db, call.access.accountId),
  }),
  defineMethod({
    name: 'media/library.set_content',
    params: [
      param('id', mediaIdParam),
      param('text', z.string().nullish()),
      param('base64_audio', base64Param),
    ],
    handler: async (call, [id, text, bytes]) => {
      await asParam(
        2,
        'base64_audio',
        setMediaContentFromBytes(contentDeps(call), call.access.accountId, id, { text: text ?? '', bytes }),
      );
    },
  }),
  defineMethod({
    name: 'media/library.set_content_from_file',
    params: [param('id', mediaIdParam), param('tmp_filename', z.string().trim().min(1).max(255))],
    handler: async (call, [id, fileName]) => {
      await asParam(
        1,
        'tmp_filename',
        setMediaContentFromImport(contentDeps(call), call.access.accountId, id, fileName),
      );
    },
  }),
  defineMethod({
    name: 'media/library.set_content_from_recording',
    params: [param('id', mediaIdParam), param('file', recordingParam)],
    handler: async (call, [id, recordingId]) => {
      await asParam(
        1,
        'file',
        setMediaContentFromRecording(contentDeps(call), call.access.accountId, id, recordingId),
      );
    },
  }),
  defineMethod({
    name: 'media/library.get_phone_id',
    params: [
      param('id', mediaIdParam),
      param(
        'country',
        z
          .string()
          .trim()
          .regex(/^[A-Za-z]{2}$/, 'expected an ISO 3166-1 alpha-2 country code such as "FR"'),
      ),
    ],
    handler: async (call, [id, country]) =>
      toCallrPhoneId(await getMediaPhoneId(call.ctx.db, call.access.accountId, id, country)),
  }),
];

const ttsMethods: RpcMethod[] = [
  defineMethod({
    name: 'media/tts.set_content',
    params: [
      param('id', mediaIdParam),
      param('text', z.string()),
      param('voice', z.string().trim().min(1)),
      param('options', ttsOptionsParam),
    ],
    handler: async (call, [id, text, voice, options]) => {
      await asParam(
        1,
        'text',
        setMediaTtsContent(contentDeps(call), call.access.accountId, id, { text, voice, rate: options.rate }),
      );
    },
  }),
  defineMethod({
    name: 'media/tts.get_voice_list',
    params: [],
    handler: () => Promise.resolve(toCallrVoiceList()),
  }),
  defineMethod({
    name: 'media/email.get_templates',
    params: [param('type', z.enum(emailTemplateTypes).nullish())],
    handler: (_call, [type]) => Promise.resolve(emailTemplatesOf(type ?? null).map(toCallrEmailTemplate)),
  }),
];

const jobMethods: RpcMethod[] = [
  defineMethod({
    name: 'media.import_file_from_base64_async',
    params: [param('base64', base64Param), param('webhook_url', webhookParam)],
    handler: async (call, [bytes, webhookUrl]) => {
      const job = await startFileImport(call.ctx, { accountId: call.access.accountId, bytes, webhookUrl });
      return job.publicId;
    },
  }),
  defineMethod({
    name: 'jobs.get',
    params: [param('job_id', z.string().trim().min(1).max(64))],
    handler: async (call, [jobId]) =>
      toCallrJob(await getMediaJob(call.ctx.db, call.access.accountId, jobId)),
  }),
];

/** The media library, text-to-speech and asynchronous jobs of the CALLR face. */
export const mediaMethods: RpcMethod[] = [...libraryMethods, ...ttsMethods, ...jobMethods];
