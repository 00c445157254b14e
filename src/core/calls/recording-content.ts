import { fileTypeFromBuffer } from 'file-type';

/**
 * What a recording must look like before it is stored, whether it is uploaded to a signed link or
 * downloaded from the customer's URL. This is the cheap first gate: it refuses what is obviously
 * something else (a login page, a PDF, an archive). Whether the bytes are usable audio is the
 * probe's call later in the pipeline (ffprobe), so unknown binary content passes here.
 */

/** How many leading bytes to inspect: enough for file-type to recognise any format it knows. */
export const RECORDING_HEAD_BYTES = 4100;

/** Declared types a recording may come with. Pre-signed bucket URLs often answer octet-stream. */
const RECORDING_TYPES =
  /^(audio\/|video\/(mp4|webm|mpeg|quicktime)|application\/(octet-stream|ogg)|binary\/octet-stream)/i;

/** Containers file-type reports outside audio/* and video/* that still carry media. */
const MEDIA_CONTAINERS = new Set([
  'application/ogg',
  'application/vnd.ms-asf',
  'application/mxf',
  'application/vnd.rn-realmedia',
]);

const NAMED_FORMATS: Record<string, string> = {
  'application/pdf': 'a PDF document',
  'application/xml': 'an XML document',
  'application/zip': 'a ZIP archive',
  'application/x-msdownload': 'a Windows executable',
  'application/x-elf': 'an executable',
};

/** Whether a declared Content-Type may be a recording's (parameters are ignored). */
export function isRecordingContentType(contentType: string): boolean {
  return RECORDING_TYPES.test(contentType.split(';')[0]?.trim() ?? '');
}

/**
 * What `head` (a recording's first bytes) obviously is when it is not audio or video, e.g.
 * "an HTML document"; undefined when it may be a recording.
 */
export async function describeNonRecording(head: Buffer): Promise<string | undefined> {
  if (looksLikeMarkup(head)) return 'an HTML document';
  const detected = await fileTypeFromBuffer(head);
  if (!detected) return undefined;
  const { mime } = detected;
  if (mime.startsWith('audio/') || mime.startsWith('video/') || MEDIA_CONTAINERS.has(mime)) return undefined;
  return NAMED_FORMATS[mime] ?? (mime.startsWith('image/') ? `an image (${mime})` : `a file of type ${mime}`);
}

// Markup opens with a tag; a page with some text before its tags still carries one of these early on.
// Audio formats open with binary magic numbers (RIFF, ID3, OggS, fLaC, ftyp, 0xFFFx), never with "<".
const OPENING_TAG = /^<[!?a-z]/i;
const TELLTALE_TAGS = /<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|script[\s>]|iframe[\s>]|svg[\s>])/i;

function looksLikeMarkup(head: Buffer): boolean {
  const hasBom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  const text = head.subarray(hasBom ? 3 : 0).toString('latin1');
  return OPENING_TAG.test(text.trimStart()) || TELLTALE_TAGS.test(text);
}
