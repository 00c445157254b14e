/**
 * File names as clients send them ("../../etc/evil.html", "C:\\Users\\me\\cv.pdf", names with
 * control or bidi-override characters) become a display name safe to store, list and put in a
 * Content-Disposition header. They are never used to build a storage path: keys are Parley's own.
 */

export const MAX_FILE_NAME_LENGTH = 200;
const FALLBACK_NAME = 'file';
const MAX_EXTENSION_LENGTH = 16;

// Control characters (C0, DEL, C1) and the invisible formatting ones that can disguise an extension
// ("invoice\u202Efdp.exe" shows as "invoiceexe.pdf"): zero-width, bidi marks, embeddings and isolates.
const UNSAFE_CHARACTERS = /[\p{Cc}\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/gu;

/** The last path segment of `name`, cleaned; "file" when nothing usable is left. */
export function normalizeFileName(name: string | null | undefined): string {
  const lastSegment = (name ?? '').split(/[/\\]/).pop() ?? '';
  const cleaned = lastSegment
    .normalize('NFC')
    .replace(UNSAFE_CHARACTERS, '')
    .trim()
    // A leading dot hides a file on Unix; ".." and "." are not names at all.
    .replace(/^\.+/, '')
    .trim();
  return truncateKeepingExtension(cleaned || FALLBACK_NAME, MAX_FILE_NAME_LENGTH);
}

/** The lower-case extension of a normalized name, without the dot, or '' when it has none usable. */
export function extensionOfFileName(name: string): string {
  const match = /\.([A-Za-z0-9]{1,10})$/.exec(name);
  return match?.[1]?.toLowerCase() ?? '';
}

/** Cuts by code point (never inside a surrogate pair) and keeps a short extension whole. */
function truncateKeepingExtension(name: string, limit: number): string {
  const characters = Array.from(name);
  if (characters.length <= limit) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? Array.from(name.slice(dot)) : [];
  if (extension.length === 0 || extension.length > MAX_EXTENSION_LENGTH) {
    return characters.slice(0, limit).join('');
  }
  const stem = characters.slice(0, characters.length - extension.length);
  return [...stem.slice(0, limit - extension.length), ...extension].join('').trim();
}
