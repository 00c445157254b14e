import { z } from 'zod';
import type { VoiceAppPackage } from './voice-apps.tables.js';

/**
 * Each package's options object, as CALLR's objects describe it (REALTIME10, CLICKTOCALL10,
 * CALLTRACKING10, ACTIONS10 and their nested objects). An app stores the *normalized* object: every
 * field the seed names, filled with the default the seed states (or, where it states none, a
 * documented choice), so what `apps.get` answers has a stable shape and the telephony core can read
 * the values without guessing. Unknown fields are refused: a typo such as `record_call` would
 * otherwise be silently dropped. A `null` field reads as "not given" (CALLR clients send nulls).
 */

/** Treats `null` as absent, so the field's default applies. */
function nullable<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => (value === null ? undefined : value), schema);
}

const mediaId = z.int().min(0).max(2_147_483_647);
/** `locale`: "en_US", "fr_FR" (POSIX); "" for none / auto-detection. */
const locale = z.string().regex(/^([a-z]{2,3}(_[A-Z]{2})?)?$/, 'expected a locale such as "en_US" or ""');
const feeds = z.enum(['all', 'both', 'leg_a', 'leg_b']);
const e164 = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{5,14}$/, 'expected an E.164 number such as "+33678912345"');

const timeZones = new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]);
const timeZone = z
  .string()
  .refine((value) => timeZones.has(value), 'expected an IANA time zone such as "Europe/Paris"');

/** `vms_file_name`: free text with `{TAG}` placeholders such as "{DATETIME}-{CALLID}". */
const vmsFileName = z
  .string()
  .max(128)
  .regex(
    /^(?:[A-Za-z0-9_.-]|\{[A-Z_]+\})+$/,
    'expected letters, digits, "_.-" and {TAGS} such as "{DATETIME}-{CALLID}"',
  );

/** `App.Param.Vms`: voicemail. */
export const vmsSchema = z.strictObject({
  active: nullable(z.boolean().default(false)),
  email_template: nullable(z.string().max(64).default('')),
  emails: nullable(z.array(z.email()).max(20).default([])),
  // The seed gives no default format; WAV is the one every player reads.
  file_format: nullable(z.enum(['mp3', 'sln', 'wav']).default('wav')),
  file_name: nullable(vmsFileName.default('{DATETIME}-{CALLID}')),
  intro: nullable(mediaId.default(0)),
  locale: nullable(locale.default('')),
  ner: nullable(z.boolean().default(true)),
  pii: nullable(z.boolean().default(true)),
  record: nullable(z.boolean().default(true)),
  sentiment: nullable(z.boolean().default(true)),
  // "Must be 30 <= x <= 300"; no default stated: two minutes.
  timeout: nullable(z.int().min(30).max(300).default(120)),
  timezone: nullable(timeZone.default('UTC')),
  // "If NULL, the account default value will be taken": the account default is off.
  transcription: nullable(z.boolean().default(false)),
});

/** `App.Param.VmsDetect`: outbound voicemail detection (defaults and ranges from the seed text). */
export const vmsDetectSchema = z.strictObject({
  active: nullable(z.boolean().default(false)),
  dtmf_iterations: nullable(z.int().min(1).max(30).default(2)),
  dtmf_media: nullable(mediaId.default(0)),
  dtmf_timeout: nullable(z.int().min(1).max(120).default(2)),
  method: nullable(z.enum(['DTMF', 'SILENCE']).default('SILENCE')),
  silence_iterations: nullable(z.int().min(1).max(30).default(1)),
  silence_media: nullable(mediaId.default(0)),
  silence_ms: nullable(z.int().min(50).max(10_000).default(1800)),
  silence_timeout: nullable(z.int().min(0).max(120).default(3)),
});

/** Recording and speech analytics, shared by CALLTRACKING10.Options and CLICKTOCALL10.Options. */
const recordingFields = {
  feeds: nullable(feeds.default('both')),
  locale: nullable(locale.default('')),
  ner: nullable(z.boolean().default(true)),
  pii: nullable(z.boolean().default(true)),
  record_calls: nullable(z.boolean().default(false)),
  sentiment: nullable(z.boolean().default(true)),
  transcription: nullable(z.boolean().default(false)),
};

/** "Enables transcription. Call recording must be enabled." */
function transcriptionNeedsRecording(
  value: { record_calls: boolean; transcription: boolean },
  context: z.RefinementCtx,
): void {
  if (value.transcription && !value.record_calls) {
    context.addIssue({
      code: 'custom',
      path: ['transcription'],
      message: 'transcription needs record_calls to be true',
    });
  }
}

/** `Target`: a number to dial and how long it rings. */
export const targetSchema = z.strictObject({
  number: e164,
  // `dial_timeout`: "Must be between 5 and 300 seconds".
  timeout: nullable(z.int().min(5).max(300).default(30)),
});

/** `REALTIME10`: CALLR POSTs the call's status to `url`; the answers control the call. */
export const realtime10Schema = z.strictObject({
  data_format: nullable(z.enum(['JSON']).default('JSON')),
  login: nullable(z.string().max(255).default('')),
  password: nullable(z.string().max(255).default('')),
  url: z
    .string()
    .trim()
    .max(2048)
    .refine((value) => {
      if (!URL.canParse(value)) return false;
      const { protocol, hostname } = new URL(value);
      return (protocol === 'http:' || protocol === 'https:') && hostname !== '';
    }, 'expected an http(s) URL'),
});

/** `CLICKTOCALL10`: media ids, call options, voicemail for A when B does not answer. */
export const clickToCall10Schema = z.strictObject({
  medias: nullable(
    z
      .strictObject({
        A_ringtone: nullable(mediaId.default(0)),
        A_welcome: nullable(mediaId.default(0)),
        AB_bridge: nullable(mediaId.default(0)),
        B_whisper: nullable(mediaId.default(0)),
      })
      .prefault({}),
  ),
  options: nullable(
    z
      .strictObject({
        A_attempts: nullable(z.int().min(1).max(5).default(1)),
        A_retrypause: nullable(z.int().min(30).max(300).default(30)),
        A_vms_detect: nullable(vmsDetectSchema.prefault({})),
        B_vms_detect: nullable(vmsDetectSchema.prefault({})),
        ...recordingFields,
      })
      .superRefine(transcriptionNeedsRecording)
      .prefault({}),
  ),
  vms: nullable(vmsSchema.prefault({})),
});

/** `CALLTRACKING10`: forwarding targets, prompts, voicemail and Google Analytics. */
export const callTracking10Schema = z.strictObject({
  ga: nullable(
    z
      .strictObject({
        ua: nullable(
          z
            .string()
            .regex(/^((UA|YT|MO)-\d+-\d+|G-[A-Z0-9]+)?$/, 'expected a Web Property ID such as "UA-12345-1"')
            .default(''),
        ),
      })
      .prefault({}),
  ),
  medias: nullable(
    z
      .strictObject({
        bridge: nullable(mediaId.default(0)),
        ringtone: nullable(mediaId.default(0)),
        welcome: nullable(mediaId.default(0)),
        whisper: nullable(mediaId.default(0)),
      })
      .prefault({}),
  ),
  options: nullable(z.strictObject(recordingFields).superRefine(transcriptionNeedsRecording).prefault({})),
  targets: nullable(z.array(targetSchema).max(10).default([])),
  vms: nullable(vmsSchema.prefault({})),
});

/** `ACTIONS10`: a script of actions; "The only format supported right now is YAML". */
export const actions10Schema = z.strictObject({
  format: nullable(z.enum(['YAML']).default('YAML')),
  script: z
    .string()
    .max(65_536)
    .refine((value) => value.trim() !== '', 'the script is empty'),
});

export type Realtime10Options = z.output<typeof realtime10Schema>;
export type ClickToCall10Options = z.output<typeof clickToCall10Schema>;
export type CallTracking10Options = z.output<typeof callTracking10Schema>;
export type Actions10Options = z.output<typeof actions10Schema>;

export interface VoiceAppOptionsByPackage {
  REALTIME10: Realtime10Options;
  CLICKTOCALL10: ClickToCall10Options;
  CALLTRACKING10: CallTracking10Options;
  ACTIONS10: Actions10Options;
}

const schemas: { [P in VoiceAppPackage]: z.ZodType<VoiceAppOptionsByPackage[P]> } = {
  REALTIME10: realtime10Schema,
  CLICKTOCALL10: clickToCall10Schema,
  CALLTRACKING10: callTracking10Schema,
  ACTIONS10: actions10Schema,
};

export type OptionsCheck<P extends VoiceAppPackage> =
  | { ok: true; options: VoiceAppOptionsByPackage[P] }
  | { ok: false; issues: { path: string; message: string }[] };

/**
 * The package's normalized options from what a client sent (`null`/absent = all defaults, which
 * REALTIME10 and ACTIONS10 refuse: they need a url / a script).
 */
export function normalizeVoiceAppOptions<P extends VoiceAppPackage>(pkg: P, input: unknown): OptionsCheck<P> {
  const parsed = schemas[pkg].safeParse(input ?? {});
  if (parsed.success) return { ok: true, options: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({
      path: ['options', ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  };
}

/** CALLR's `App.Package` facts per package. */
export const packageInfo: {
  [P in VoiceAppPackage]: { type: 'REALTIME' | 'CLICKTOCALL' | 'CALLTRACKING'; hasDid: boolean };
} = {
  // A real-time app answers calls to its numbers as well as placing calls (calls.realtime).
  REALTIME10: { type: 'REALTIME', hasDid: true },
  // Click-to-call places both legs itself: nothing calls in, so it takes no number.
  CLICKTOCALL10: { type: 'CLICKTOCALL', hasDid: false },
  CALLTRACKING10: { type: 'CALLTRACKING', hasDid: true },
  // The seed's type list has no ACTIONS entry; a script that drives a call is real-time control.
  ACTIONS10: { type: 'REALTIME', hasDid: true },
};

/** A media the options play, where it sits in the options object ("options.medias.welcome"). */
export interface MediaReference {
  path: string;
  mediaId: number;
}

function vmsDetectMedias(prefix: string, detect: z.output<typeof vmsDetectSchema>): MediaReference[] {
  return [
    { path: `${prefix}.dtmf_media`, mediaId: detect.dtmf_media },
    { path: `${prefix}.silence_media`, mediaId: detect.silence_media },
  ];
}

/** The media library ids normalized options refer to (0 means "none" and is left out). */
export function mediaReferences(pkg: VoiceAppPackage, options: Record<string, unknown>): MediaReference[] {
  let references: MediaReference[] = [];
  if (pkg === 'CALLTRACKING10') {
    const parsed = callTracking10Schema.parse(options);
    references = [
      ...Object.entries(parsed.medias).map(([key, mediaId]) => ({ path: `options.medias.${key}`, mediaId })),
      { path: 'options.vms.intro', mediaId: parsed.vms.intro },
    ];
  } else if (pkg === 'CLICKTOCALL10') {
    const parsed = clickToCall10Schema.parse(options);
    references = [
      ...Object.entries(parsed.medias).map(([key, mediaId]) => ({ path: `options.medias.${key}`, mediaId })),
      { path: 'options.vms.intro', mediaId: parsed.vms.intro },
      ...vmsDetectMedias('options.options.A_vms_detect', parsed.options.A_vms_detect),
      ...vmsDetectMedias('options.options.B_vms_detect', parsed.options.B_vms_detect),
    ];
  }
  return references.filter((reference) => reference.mediaId !== 0);
}
