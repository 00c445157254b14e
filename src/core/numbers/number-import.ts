import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { parseCsv } from './csv.js';
import { intlPrefixOf } from './number-format.js';
import {
  didAreaCodes,
  numberClasses,
  numberTypes,
  phoneNumbers,
  type NumberClass,
  type NumberType,
} from './numbers.tables.js';

/** One inventory line as the operator wrote it (CSV cells or JSON values), before validation. */
export interface InventoryInput {
  number: string;
  countryCode: string;
  type: string;
  numberClass?: string | undefined;
  localPrefix: string;
  areaLabel?: string | undefined;
  monthlyCents?: string | number | undefined;
  /** Where it came from (CSV line or JSON row index), for the report. */
  line: number;
}

interface InventoryRow {
  number: string;
  countryCode: string;
  type: NumberType;
  numberClass: NumberClass;
  localPrefix: string;
  intlPrefix: string;
  areaLabel: string;
  monthlyCents: number;
}

export interface ImportProblem {
  line: number;
  message: string;
}

export interface ImportReport {
  /** Lines read (header excluded). */
  total: number;
  /** Numbers added to the store. */
  imported: number;
  /** Valid numbers already in the inventory (or repeated in the file): left as they were. */
  duplicates: number;
  /** Lines refused; the first MAX_REPORTED_PROBLEMS are listed in `problems`. */
  invalid: number;
  /** Area codes the import created. */
  areaCodesCreated: number;
  problems: ImportProblem[];
}

export const CSV_COLUMNS = [
  'number',
  'country_code',
  'type',
  'class',
  'local_prefix',
  'area_label',
  'monthly_cents',
] as const;
const REQUIRED_COLUMNS = ['number', 'country_code', 'type', 'local_prefix'] as const;

/** A report lists this many refused lines at most; the count covers them all. */
export const MAX_REPORTED_PROBLEMS = 100;
export const MAX_IMPORT_ROWS = 100_000;
const MAX_MONTHLY_CENTS = 10_000_000;
const INSERT_CHUNK = 500;

/** Reads the inventory CSV (header row required, column order free) into inputs; a bad header throws. */
export function inventoryFromCsv(text: string): InventoryInput[] {
  const [header, ...records] = parseCsv(text);
  if (!header) throw new DomainError('VALIDATION_FAILED', 'The CSV file is empty');
  const columns = header.fields.map((name) => name.trim().toLowerCase());
  const unknown = columns.filter((name) => !(CSV_COLUMNS as readonly string[]).includes(name));
  const missing = REQUIRED_COLUMNS.filter((name) => !columns.includes(name));
  if (unknown.length > 0 || missing.length > 0) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `The CSV header must name the columns ${CSV_COLUMNS.join(',')}` +
        (missing.length > 0 ? `; missing: ${missing.join(', ')}` : '') +
        (unknown.length > 0 ? `; unknown: ${unknown.join(', ')}` : ''),
    );
  }
  if (records.length > MAX_IMPORT_ROWS) {
    throw new DomainError('VALIDATION_FAILED', `At most ${MAX_IMPORT_ROWS} numbers per import`);
  }
  const cell = (fields: string[], name: (typeof CSV_COLUMNS)[number]) => {
    const index = columns.indexOf(name);
    return index < 0 ? undefined : (fields[index] ?? '');
  };
  return records.map(({ line, fields }) => ({
    line,
    number: cell(fields, 'number') ?? '',
    countryCode: cell(fields, 'country_code') ?? '',
    type: cell(fields, 'type') ?? '',
    numberClass: cell(fields, 'class'),
    localPrefix: cell(fields, 'local_prefix') ?? '',
    areaLabel: cell(fields, 'area_label'),
    monthlyCents: cell(fields, 'monthly_cents'),
  }));
}

/** Checks one line: a real number of the named country that starts with its area code's local prefix. */
function validateInput(input: InventoryInput): InventoryRow | string {
  const countryCode = input.countryCode.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(countryCode) || !isSupportedCountry(countryCode)) {
    return `country_code "${input.countryCode}" is not a known ISO 3166-1 alpha-2 code`;
  }
  const parsed = parsePhoneNumberFromString(input.number.trim(), countryCode);
  if (!parsed?.isValid()) return `number "${input.number}" is not a valid phone number for ${countryCode}`;
  if (parsed.country !== undefined && parsed.country !== countryCode) {
    return `number "${input.number}" belongs to ${parsed.country}, not ${countryCode}`;
  }
  const type = input.type.trim().toUpperCase();
  if (!(numberTypes as readonly string[]).includes(type)) {
    return `type "${input.type}" is not one of ${numberTypes.join(', ')}`;
  }
  const numberClass = (input.numberClass ?? '').trim().toUpperCase() || 'CLASSIC';
  if (!(numberClasses as readonly string[]).includes(numberClass)) {
    return `class "${input.numberClass}" is not one of ${numberClasses.join(', ')}`;
  }
  const localPrefix = input.localPrefix.trim();
  if (!/^\d{1,8}$/.test(localPrefix)) return `local_prefix "${input.localPrefix}" must be 1 to 8 digits`;
  const intlPrefix = intlPrefixOf(countryCode, parsed.nationalNumber, localPrefix);
  if (!intlPrefix) return `number "${input.number}" does not start with local_prefix "${localPrefix}"`;
  const areaLabel = (input.areaLabel ?? '').trim();
  if (areaLabel.length > 100) return 'area_label is longer than 100 characters';
  const rawCents = String(input.monthlyCents ?? '').trim();
  const monthlyCents = rawCents === '' ? 0 : Number(rawCents);
  if (!Number.isInteger(monthlyCents) || monthlyCents < 0 || monthlyCents > MAX_MONTHLY_CENTS) {
    return `monthly_cents "${rawCents}" must be a whole number of cents between 0 and ${MAX_MONTHLY_CENTS}`;
  }
  return {
    number: parsed.number,
    countryCode,
    type: type as NumberType,
    numberClass: numberClass as NumberClass,
    localPrefix,
    intlPrefix,
    areaLabel,
    monthlyCents,
  };
}

/**
 * Adds the valid lines to the store as available numbers, with their area codes, in one
 * transaction. Numbers already in the inventory are skipped untouched (whoever holds them keeps
 * them); refused lines are counted and listed. An area code keeps the first label it was given.
 */
export async function importInventory(db: Db, inputs: readonly InventoryInput[]): Promise<ImportReport> {
  if (inputs.length > MAX_IMPORT_ROWS) {
    throw new DomainError('VALIDATION_FAILED', `At most ${MAX_IMPORT_ROWS} numbers per import`);
  }
  const problems: ImportProblem[] = [];
  let invalid = 0;
  const rows = new Map<string, InventoryRow>();
  let repeated = 0;
  for (const input of inputs) {
    const checked = validateInput(input);
    if (typeof checked === 'string') {
      invalid++;
      if (problems.length < MAX_REPORTED_PROBLEMS) problems.push({ line: input.line, message: checked });
    } else if (rows.has(checked.number)) {
      repeated++;
    } else {
      rows.set(checked.number, checked);
    }
  }

  const valid = [...rows.values()];
  const { imported, areaCodesCreated } = await db.transaction(async (tx) => {
    const areaCodes = new Map<string, InventoryRow>();
    for (const row of valid) {
      const key = `${row.countryCode}|${row.type}|${row.localPrefix}`;
      if (!areaCodes.has(key)) areaCodes.set(key, row);
    }
    let created = 0;
    const areaRows = [...areaCodes.values()];
    for (let start = 0; start < areaRows.length; start += INSERT_CHUNK) {
      const inserted = await tx
        .insert(didAreaCodes)
        .values(
          areaRows.slice(start, start + INSERT_CHUNK).map((row) => ({
            countryCode: row.countryCode,
            type: row.type,
            localPrefix: row.localPrefix,
            intlPrefix: row.intlPrefix,
            label: row.areaLabel,
          })),
        )
        .onConflictDoNothing({
          target: [didAreaCodes.countryCode, didAreaCodes.type, didAreaCodes.localPrefix],
        })
        .returning({ id: didAreaCodes.id });
      created += inserted.length;
    }
    let added = 0;
    for (let start = 0; start < valid.length; start += INSERT_CHUNK) {
      const inserted = await tx
        .insert(phoneNumbers)
        .values(
          valid.slice(start, start + INSERT_CHUNK).map((row) => ({
            number: row.number,
            countryCode: row.countryCode,
            localPrefix: row.localPrefix,
            areaLabel: row.areaLabel,
            type: row.type,
            numberClass: row.numberClass,
            monthlyCents: row.monthlyCents,
          })),
        )
        .onConflictDoNothing({ target: phoneNumbers.number })
        .returning({ id: phoneNumbers.id });
      added += inserted.length;
    }
    return { imported: added, areaCodesCreated: created };
  });

  return {
    total: inputs.length,
    imported,
    duplicates: repeated + (valid.length - imported),
    invalid,
    areaCodesCreated,
    problems,
  };
}
