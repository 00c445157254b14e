import multipart, { type MultipartFile } from '@fastify/multipart';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { ProblemError } from '../../platform/http/problem.js';
import { DomainError, isDomainError } from '../../platform/errors.js';
import { BlobContentRefusedError } from '../../platform/storage/blob-storage.js';
import type { AccountAccess } from '../../core/identity/principal.js';
import { createCall } from '../../core/calls/create-call.js';
import { createCallUploadHooks } from '../../core/calls/call-uploads.js';
import { findCall, getCall } from '../../core/calls/call-snapshot.js';
import { recordingKeyOf } from '../../core/calls/call-settings.js';
import { recordingFormats, type RecordingFormat } from '../../core/calls/calls.tables.js';
import { loadCallDetail } from '../../core/calls/call-library.js';
import { CallMovedOnError, failCall } from '../../core/calls/pipeline/call-transitions.js';
import {
  describeNonRecording,
  isRecordingContentType,
  RECORDING_HEAD_BYTES,
} from '../../core/calls/recording-content.js';
import { accountAccess } from '../shared/access.js';
import { callDetailSchema, toCallDetailDto } from './calls.map.js';
import { errorBodySchema } from './errors.js';
import { accountParams, commonErrors } from './schemas.js';

/**
 * `POST /calls`: a recording uploaded through the API (the web app's upload form). The call is
 * created exactly as the Modjo face creates an upload-to-link call, the file goes through the same
 * hooks the signed upload link runs (single use, content check, start of processing), so what
 * happens next (probe, transcription, summary) is the one durable pipeline.
 */

const fieldsSchema = z
  .object({
    title: z.string().trim().max(300).optional(),
    /** When the call happened; defaults to now. */
    startedAt: z.iso.datetime({ offset: true }).optional(),
    /** The member the call belongs to; defaults to the caller (required with an API key). */
    userId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    direction: z.enum(['inbound', 'outbound']).optional(),
    /** The spoken language, e.g. `en` or `fr-FR`; the engine guesses when absent. */
    language: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, 'must be a language code such as en or fr-FR')
      .optional(),
  })
  .strict();

const EXTENSION_OF_TYPE: Record<string, RecordingFormat> = {
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/vnd.wave': 'wav',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/mp4': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/m4a': 'm4a',
  'video/mp4': 'mp4',
  'audio/webm': 'webm',
  'video/webm': 'webm',
  'video/mpeg': 'mpeg',
};

function invalid(path: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `${path} ${message}`, [{ path, message }]);
}

function unsupportedMedia(message: string): ProblemError {
  return new ProblemError({
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message,
    details: [{ path: 'body.recording', message }],
  });
}

/** The file's extension if it names a format calls accept, else its declared type's. */
function formatOf(file: MultipartFile): RecordingFormat {
  const extension = /\.([a-z0-9]+)$/i.exec(file.filename)?.[1]?.toLowerCase();
  if (extension && (recordingFormats as readonly string[]).includes(extension)) {
    return extension as RecordingFormat;
  }
  const byType = EXTENSION_OF_TYPE[file.mimetype.split(';')[0]?.trim().toLowerCase() ?? ''];
  if (byType) return byType;
  throw unsupportedMedia(`A recording must be one of ${recordingFormats.join(', ')} (by file name or type)`);
}

/** The text fields sent before the file (multipart is read in order; later fields are not seen). */
function fieldsOf(file: MultipartFile): z.infer<typeof fieldsSchema> {
  const values: Record<string, string> = {};
  for (const [name, entry] of Object.entries(file.fields)) {
    const first = Array.isArray(entry) ? entry[0] : entry;
    if (first && first.type === 'field' && name !== file.fieldname) values[name] = String(first.value);
  }
  const parsed = fieldsSchema.safeParse(values);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: `body.${issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(',') : '')}`,
    message: issue.message,
  }));
  throw new DomainError(
    'VALIDATION_FAILED',
    `Invalid upload: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
    issues,
  );
}

/**
 * The stream's first `size` bytes, and the whole stream again (those bytes first) for storage:
 * obvious non-recordings are refused before any call exists.
 */
async function splitHead(source: Readable, size: number): Promise<{ head: Buffer; body: Readable }> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let length = 0;
  let isDone = false;
  while (length < size) {
    const next = await iterator.next();
    if (next.done) {
      isDone = true;
      break;
    }
    chunks.push(next.value);
    length += next.value.length;
  }
  const held = Buffer.concat(chunks);
  async function* replay(): AsyncGenerator<Buffer> {
    yield held;
    if (isDone) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head: held.subarray(0, size), body: Readable.from(replay(), { objectMode: false }) };
}

function userIdOf(access: AccountAccess, requested: number | undefined): number {
  if (requested !== undefined) return requested;
  if (access.principal.kind === 'user') return access.principal.userId;
  throw invalid('body.userId', 'is required when uploading with an API key');
}

/** The core names its one user `users.0`; this API calls it `userId`. */
function asNativePaths(error: unknown): unknown {
  if (!isDomainError(error) || !error.details.some((detail) => detail.path.startsWith('users'))) return error;
  const details = error.details.map((detail) =>
    detail.path.startsWith('users') ? { ...detail, path: 'body.userId' } : detail,
  );
  return new DomainError(
    error.code,
    details.map((detail) => `${detail.path} ${detail.message}`).join('; '),
    details,
  );
}

export function registerCallUploadRoute(app: TypedApp, ctx: AppContext): void {
  const maxBytes = ctx.config.PARLEY_RECORDING_MAX_BYTES;
  const hooks = createCallUploadHooks({ db: ctx.db });

  // Multipart is parsed in this scope only: the rest of the API keeps refusing it.
  void app.register(async (scope: TypedApp) => {
    await scope.register(multipart, {
      // One byte over the cap reaches storage, which refuses the upload (413) rather than
      // keeping a silently truncated recording.
      limits: { fileSize: maxBytes + 1, files: 1, fields: 10, fieldSize: 1000 },
    });
    scope.post(
      '/v1/accounts/:accountId/calls',
      {
        // The route streams the file itself: no body size cap but the recording's.
        bodyLimit: Number.MAX_SAFE_INTEGER,
        schema: {
          tags: ['calls'],
          summary: 'Upload a recording: creates the call and starts its processing',
          description:
            'multipart/form-data: text fields `title`, `startedAt` (ISO 8601, default now), ' +
            '`userId` (default the caller; required with an API key), `direction`, `language`, ' +
            'then ONE file part (any name, `recording` by convention): wav, mp3, m4a, mp4, webm or mpeg. ' +
            'Fields after the file are not read. Answers 201 with the call (state `downloaded`); ' +
            'poll GET /calls/:callId, or listen for `call.summarized` / `call.failed`.',
          params: accountParams,
          response: { 201: callDetailSchema, ...commonErrors, 413: errorBodySchema, 415: errorBodySchema },
        },
      },
      async (request, reply) => {
        const access = await accountAccess(ctx.db, request, request.params.accountId);
        if (!request.isMultipart()) {
          throw unsupportedMedia('Upload the recording as multipart/form-data');
        }
        const declaredLength = Number(request.headers['content-length']);
        // The body also carries the fields and the part headers: a little slack over the file cap.
        if (declaredLength > maxBytes + 64 * 1024) {
          throw new DomainError('PAYLOAD_TOO_LARGE', `A recording may be at most ${maxBytes} bytes`);
        }
        const file = await request.file();
        if (!file) throw invalid('body.recording', 'a recording file is required');
        const fields = fieldsOf(file);
        const format = formatOf(file);
        if (!isRecordingContentType(file.mimetype)) {
          throw unsupportedMedia(`A call recording must be audio or video, not ${file.mimetype}`);
        }
        const { head, body } = await splitHead(file.file, RECORDING_HEAD_BYTES);
        if (head.length === 0) throw invalid('body.recording', 'is empty');
        const notRecording = await describeNonRecording(head);
        if (notRecording)
          throw unsupportedMedia(`The upload is ${notRecording}, not an audio or video recording`);

        let created;
        try {
          created = await createCall(
            ctx.db,
            {
              accountId: access.accountId,
              actor: access.actor,
              title: fields.title,
              startedAt: fields.startedAt ? new Date(fields.startedAt) : new Date(),
              direction: fields.direction ?? null,
              provider: 'manual',
              // Unknown until the recording is measured.
              durationSeconds: 0,
              language: fields.language ?? null,
              recordingExtension: format,
              contacts: [],
              users: [userIdOf(access, fields.userId)],
              tags: null,
            },
            { storage: ctx.storage, maxRecordingBytes: maxBytes },
          );
        } catch (error) {
          throw asNativePaths(error);
        }
        const call = created.call;
        const upload = { key: recordingKeyOf(call.accountId, call.id, format), contentType: file.mimetype };
        try {
          await hooks.beforeUpload(upload);
          const stored = await ctx.storage.put(upload.key, body, {
            contentType: file.mimetype,
            fileName: file.filename,
            maxBytes,
          });
          await hooks.afterUpload(stored);
        } catch (error) {
          await hooks.afterFailedUpload(upload).catch(() => undefined);
          await failUpload(ctx, call, error);
          throw error instanceof BlobContentRefusedError ? unsupportedMedia(error.message) : error;
        }
        const current = await getCall(ctx.db, access.accountId, call.id);
        return reply.status(201).send(toCallDetailDto(ctx.storage, await loadCallDetail(ctx.db, current)));
      },
    );
  });
}

/** The recording never arrived: the call says why at once instead of waiting for the link to expire. */
async function failUpload(ctx: AppContext, call: { accountId: number; id: number }, error: unknown) {
  const reason = `the upload failed: ${error instanceof Error ? error.message : String(error)}`;
  try {
    if ((await findCall(ctx.db, call.accountId, call.id))?.state !== 'pending_upload') return;
    await ctx.db.transaction((tx) => failCall(tx, call, ['pending_upload'], reason));
  } catch (failure) {
    if (!(failure instanceof CallMovedOnError))
      ctx.logger.error({ err: failure }, 'failing a call upload failed');
  }
}
