/**
 * How an SMS text travels: GSM 03.38 (7-bit, with its extension table) when every character has a
 * GSM code, UCS-2 otherwise, and how many parts a carrier bills for it.
 *
 * One GSM part holds 160 septets; a long message is cut into parts of 153 (the user data header
 * takes 7), and an extension character (escape + code, two septets) is never split across parts.
 * UCS-2: 70 UTF-16 code units alone, 67 per part, and a surrogate pair is never split.
 */

export type SmsEncoding = 'GSM' | 'UNICODE';

// GSM 03.38 basic table, 0x00..0x7F without the escape (0x1B).
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
// The extension table: each costs an escape septet plus its own.
const GSM_EXTENSION = '\f^{}\\[~]|€';

const basic = new Set(GSM_BASIC);
const extension = new Set(GSM_EXTENSION);

export const GSM_SINGLE_SEPTETS = 160;
export const GSM_PART_SEPTETS = 153;
export const UCS2_SINGLE_UNITS = 70;
export const UCS2_PART_UNITS = 67;
/** Longest message accepted, in parts: beyond this handsets and carriers get unreliable. */
export const MAX_SMS_PARTS = 10;

/** Septets a character costs in GSM 7-bit: 1, 2 (extension table) or null (no GSM code). */
export function gsmSeptets(char: string): 1 | 2 | null {
  if (basic.has(char)) return 1;
  if (extension.has(char)) return 2;
  return null;
}

export function isGsmText(text: string): boolean {
  for (const char of text) if (gsmSeptets(char) === null) return false;
  return true;
}

// Typographic characters word processors and phones put in texts, and their GSM stand-ins.
const GSM_LOOKALIKES: Record<string, string> = {
  '‘': "'",
  '’': "'",
  '‚': "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '–': '-',
  '—': '-',
  '…': '...',
  '\u00a0': ' ',
  '•': '-',
  '`': "'",
};

/**
 * The text as it goes out when GSM is forced: look-alikes replaced, accents dropped when the bare
 * letter is in the table (ê → e), and anything else sent as "?", as carriers do.
 */
export function toGsmText(text: string): string {
  let out = '';
  for (const char of text) {
    if (gsmSeptets(char) !== null) {
      out += char;
      continue;
    }
    const lookalike = GSM_LOOKALIKES[char];
    if (lookalike !== undefined) {
      out += lookalike;
      continue;
    }
    const bare = char.normalize('NFD').replace(/\p{M}+/gu, '');
    out += bare.length > 0 && isGsmText(bare) ? bare : '?';
  }
  return out;
}

export interface SmsSegmentation {
  encoding: SmsEncoding;
  /** The text as it is sent (GSM forced: transliterated). */
  text: string;
  /** Characters (code points) of the text. */
  length: number;
  /** Septets (GSM) or UTF-16 code units (UCS-2). */
  units: number;
  parts: number;
}

function gsmParts(text: string): { units: number; parts: number } {
  let units = 0;
  for (const char of text) units += gsmSeptets(char) ?? 1;
  if (units <= GSM_SINGLE_SEPTETS) return { units, parts: 1 };
  let parts = 1;
  let used = 0;
  for (const char of text) {
    const cost = gsmSeptets(char) ?? 1;
    if (used + cost > GSM_PART_SEPTETS) {
      parts += 1;
      used = 0;
    }
    used += cost;
  }
  return { units, parts };
}

function ucs2Parts(text: string): { units: number; parts: number } {
  const units = text.length;
  if (units <= UCS2_SINGLE_UNITS) return { units, parts: 1 };
  let parts = 1;
  let used = 0;
  for (const char of text) {
    const cost = char.length; // 2 for a surrogate pair, which must stay in one part
    if (used + cost > UCS2_PART_UNITS) {
      parts += 1;
      used = 0;
    }
    used += cost;
  }
  return { units, parts };
}

/** Encoding and parts of a text; `force` is SMS.Options.force_encoding (null: auto-detect). */
export function segmentSms(text: string, force: SmsEncoding | null = null): SmsSegmentation {
  const encoding: SmsEncoding = force ?? (isGsmText(text) ? 'GSM' : 'UNICODE');
  const sent = encoding === 'GSM' ? toGsmText(text) : text;
  const { units, parts } = encoding === 'GSM' ? gsmParts(sent) : ucs2Parts(sent);
  // Code points, not graphemes: a carrier counts characters, and 👍🏽 is two of them.
  // eslint-disable-next-line @typescript-eslint/no-misused-spread
  return { encoding, text: sent, length: [...sent].length, units, parts };
}
