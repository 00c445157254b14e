import { DomainError } from '../../platform/errors.js';

/* Field rules shared by portals, categories and articles. Slugs and locales appear in public URLs. */

const SLUG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
const LOCALE_PATTERN = /^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})?$/;

export function invalid(path: string, message: string): DomainError {
  const label = path.charAt(0).toUpperCase() + path.slice(1).replace(/_/g, ' ');
  return new DomainError('VALIDATION_FAILED', `${label} ${message}`, [{ path, message }]);
}

export function taken(path: string): DomainError {
  return invalid(path, 'has already been taken');
}

export function assertSlug(path: string, slug: string): void {
  if (!SLUG_PATTERN.test(slug)) {
    throw invalid(path, 'may hold only letters, digits, "-" and "_" (at most 100)');
  }
}

export function assertLocale(path: string, locale: string): void {
  if (!LOCALE_PATTERN.test(locale)) throw invalid(path, `"${locale}" is not a locale code`);
}

export function assertPresent(path: string, value: string | undefined): void {
  if (value !== undefined && value.trim() === '') throw invalid(path, "can't be blank");
}

/** A slug from a title, as Chatwoot's `parameterize`: lower case, runs of other characters to "-". */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return slug || 'article';
}
