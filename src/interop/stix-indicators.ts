import { hashAlgorithm, IndicatorType, normaliseIndicator } from '../bulletins/indicators';

/**
 * How each Harbourwatch indicator type is written as a STIX 2.1 pattern: the standard cyber-observable
 * of the type where STIX has one (addresses, domains, URLs, e-mail addresses, file hashes), otherwise a
 * custom observable type (`x-` prefix, as STIX requires); `x_harbourwatch_indicator_type` and
 * `x_harbourwatch_value` carry the same on the indicator for tools that do not evaluate patterns.
 */
const PATTERN_PATHS: Record<IndicatorType, (value: string) => string> = {
  [IndicatorType.CONTAINER_NUMBER]: () => 'x-harbourwatch-container:number',
  [IndicatorType.IMO_NUMBER]: () => 'x-harbourwatch-vessel:imo_number',
  [IndicatorType.SEAL_NUMBER]: () => 'x-harbourwatch-seal:number',
  [IndicatorType.LICENCE_PLATE]: () => 'x-harbourwatch-vehicle:licence_plate',
  [IndicatorType.VESSEL_NAME]: () => 'x-harbourwatch-vessel:name',
  [IndicatorType.COMPANY]: () => 'x-harbourwatch-company:name',
  [IndicatorType.BILL_OF_LADING]: () => 'x-harbourwatch-shipment:bill_of_lading',
  [IndicatorType.IP_ADDRESS]: (v) => (v.includes(':') ? 'ipv6-addr:value' : 'ipv4-addr:value'),
  [IndicatorType.DOMAIN_NAME]: () => 'domain-name:value',
  [IndicatorType.URL]: () => 'url:value',
  [IndicatorType.EMAIL_ADDRESS]: () => 'email-addr:value',
  [IndicatorType.FILE_HASH]: (v) => `file:hashes.'${hashAlgorithm(v)}'`,
  [IndicatorType.PHONE_NUMBER]: () => 'x-harbourwatch-phone:number',
  [IndicatorType.IBAN]: () => 'x-harbourwatch-bank-account:iban',
  [IndicatorType.OTHER]: () => 'x-harbourwatch-observable:value',
};

/** STIX string literals: single-quoted, with quote and backslash escaped. */
const quote = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export function stixPattern(type: IndicatorType, value: string): string {
  return `[${PATTERN_PATHS[type](value)} = ${quote(value)}]`;
}

/**
 * The type each fixed object path denotes: the standard observables of the exact types, and ours (the
 * paths of IP addresses and hashes depend on the value, so they are the standard ones above).
 */
const PATH_TYPES = new Map<string, IndicatorType>([
  ['ipv4-addr:value', IndicatorType.IP_ADDRESS],
  ['ipv6-addr:value', IndicatorType.IP_ADDRESS],
  ['domain-name:value', IndicatorType.DOMAIN_NAME],
  ['url:value', IndicatorType.URL],
  ['email-addr:value', IndicatorType.EMAIL_ADDRESS],
  ...Object.values(IndicatorType)
    .filter((type) => type !== IndicatorType.IP_ADDRESS && type !== IndicatorType.FILE_HASH)
    .map((type) => [PATTERN_PATHS[type](''), type] as const),
]);

/** The type an object path denotes (any hash name STIX lists for MD5, SHA-1, SHA-256 is a file hash). */
function typeOfPath(path: string): IndicatorType | null {
  const hash = /^file:hashes\.'?([A-Za-z0-9-]+)'?$/.exec(path)?.[1];
  if (hash)
    return ['MD5', 'SHA1', 'SHA256'].includes(hash.toUpperCase().replace('-', '')) ? IndicatorType.FILE_HASH : null;
  return PATH_TYPES.get(path) ?? null;
}

/** One equality comparison of a pattern: `object-type:path = 'value'` (paths may name a hash as `hashes.'SHA-256'`). */
const COMPARISON = /([a-z0-9-]+:[a-z0-9_]+(?:\.(?:'[^']*'|[a-z0-9_-]+))*)\s*=\s*'((?:[^'\\]|\\.)*)'/gi;

export interface PatternValue {
  type: IndicatorType;
  value: string;
}

/**
 * The indicators a STIX pattern names, one per equality comparison (a pattern joining several by OR or
 * AND names each; an analyst reviews the draft): by the type its path denotes, or, for another tool's
 * custom path, as a container or IMO number when the value is one by its check digit. Comparisons of
 * anything else (`file:name`, `MATCHES`, certificates) name nothing.
 */
export function patternValues(pattern: string): PatternValue[] {
  const found: PatternValue[] = [];
  for (const [, path, literal] of pattern.matchAll(COMPARISON)) {
    const value = literal.replace(/\\(.)/g, '$1');
    const type =
      typeOfPath(path.toLowerCase()) ??
      [IndicatorType.CONTAINER_NUMBER, IndicatorType.IMO_NUMBER].find(
        (t) => path.startsWith('x-') && normaliseIndicator(t, value).ok,
      );
    if (type) found.push({ type, value });
  }
  return found;
}
