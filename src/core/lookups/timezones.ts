import { readFileSync } from 'node:fs';

/**
 * The IANA time zones the runtime supports (Intl), with what the system's tz database adds when it
 * is installed: the countries of each zone (zone.tab) and its alias names (the links in
 * tzdata.zi). Without those files the countries and aliases are empty lists, never guesses.
 */
export interface TimezoneFacts {
  /** 1-based position in the sorted list: stable for one tz database version, not across versions. */
  id: number;
  /** The canonical IANA name, e.g. "Asia/Kolkata". */
  iana: string;
  /** Other IANA names for the same zone, e.g. ["Asia/Calcutta"]. */
  aliases: string[];
  countryCodes: string[];
  /** Whether the zone's offset differs between January and July of the current year. */
  observesDst: boolean;
  /** The standard (smaller) UTC offset, e.g. "+05:30". */
  standardOffset: string;
}

const ZONEINFO = '/usr/share/zoneinfo';

function readSystemFile(name: string): string {
  try {
    return readFileSync(`${ZONEINFO}/${name}`, 'utf8');
  } catch {
    return '';
  }
}

/** alias → canonical name, from the `L <target> <alias>` lines of tzdata.zi. */
function readLinks(): Map<string, string> {
  const links = new Map<string, string>();
  for (const line of readSystemFile('tzdata.zi').split('\n')) {
    const [kind, target, alias] = line.trim().split(/\s+/);
    if (kind === 'L' && target && alias) links.set(alias, target);
  }
  return links;
}

/** zone → country codes, from zone.tab (`CC<TAB>coordinates<TAB>zone`). */
function readZoneCountries(): Map<string, string[]> {
  const countries = new Map<string, string[]>();
  for (const line of readSystemFile('zone.tab').split('\n')) {
    if (line.startsWith('#')) continue;
    const [code, , zone] = line.split('\t');
    if (!code || !zone) continue;
    countries.set(zone, [...(countries.get(zone) ?? []), code]);
  }
  return countries;
}

/** Minutes east of UTC in `zone` at `date`, read from ICU's "GMT+05:30" style offset name. */
function offsetMinutes(zone: string, date: Date): number {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
      .formatToParts(date)
      .find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  const [, sign, hours = '0', minutes = '0'] = match;
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const absolute = Math.abs(minutes);
  return `${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}:${String(absolute % 60).padStart(2, '0')}`;
}

let cached: readonly TimezoneFacts[] | undefined;

export function listTimezoneFacts(): readonly TimezoneFacts[] {
  if (cached) return cached;
  const links = readLinks();
  const zoneCountries = readZoneCountries();
  // ICU still names some zones by their old names (Asia/Calcutta): key every zone by its canonical name.
  const aliasesOf = new Map<string, Set<string>>();
  for (const name of Intl.supportedValuesOf('timeZone')) {
    const canonical = links.get(name) ?? name;
    const aliases = aliasesOf.get(canonical) ?? new Set<string>();
    if (name !== canonical) aliases.add(name);
    aliasesOf.set(canonical, aliases);
  }
  for (const [alias, target] of links) aliasesOf.get(target)?.add(alias);
  const year = new Date().getUTCFullYear();
  const january = new Date(Date.UTC(year, 0, 1));
  const july = new Date(Date.UTC(year, 6, 1));
  cached = [...aliasesOf.keys()].sort().map((iana, index) => {
    const winter = offsetMinutes(iana, january);
    const summer = offsetMinutes(iana, july);
    return {
      id: index + 1,
      iana,
      aliases: [...(aliasesOf.get(iana) ?? [])].sort(),
      countryCodes: zoneCountries.get(iana) ?? [],
      observesDst: winter !== summer,
      standardOffset: formatOffset(Math.min(winter, summer)),
    };
  });
  return cached;
}
