import { IndicatorType } from '../bulletins/indicators';

/**
 * How each Harbourwatch indicator type is written as a STIX 2.1 pattern. STIX has no cyber-observable
 * for containers, seals, vessels or licence plates, so these are custom observable types (`x-` prefix,
 * as STIX requires); `x_harbourwatch_indicator_type` and `x_harbourwatch_value` carry the same on the
 * indicator for tools that do not evaluate patterns.
 */
const PATTERN_PATHS: Record<IndicatorType, string> = {
  [IndicatorType.CONTAINER_NUMBER]: 'x-harbourwatch-container:number',
  [IndicatorType.IMO_NUMBER]: 'x-harbourwatch-vessel:imo_number',
  [IndicatorType.SEAL_NUMBER]: 'x-harbourwatch-seal:number',
  [IndicatorType.LICENCE_PLATE]: 'x-harbourwatch-vehicle:licence_plate',
  [IndicatorType.VESSEL_NAME]: 'x-harbourwatch-vessel:name',
  [IndicatorType.COMPANY]: 'x-harbourwatch-company:name',
  [IndicatorType.OTHER]: 'x-harbourwatch-observable:value',
};

/** STIX string literals: single-quoted, with quote and backslash escaped. */
const quote = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export function stixPattern(type: IndicatorType, value: string): string {
  return `[${PATTERN_PATHS[type]} = ${quote(value)}]`;
}

const PATTERN = /^\[\s*([a-z0-9-]+:[a-z0-9_]+)\s*=\s*'((?:[^'\\]|\\.)*)'\s*\]$/;

/** The indicator a pattern of ours denotes, or null for any other pattern. */
export function parseStixPattern(pattern: string): { type: IndicatorType; value: string } | null {
  const match = PATTERN.exec(pattern.trim());
  if (!match) return null;
  const type = Object.entries(PATTERN_PATHS).find(([, path]) => path === match[1])?.[0] as IndicatorType | undefined;
  return type ? { type, value: match[2].replace(/\\(.)/g, '$1') } : null;
}

const ANY_COMPARISON = /^\[\s*[a-z0-9-]+:[a-z0-9_.'-]+\s*=\s*'((?:[^'\\]|\\.)*)'\s*\]$/i;

/** The compared value of a single-comparison pattern of any object type (`[x-acme-box:id = 'MSCU1234565']`), or null. */
export function patternValue(pattern: string): string | null {
  const match = ANY_COMPARISON.exec(pattern.trim());
  return match ? match[1].replace(/\\(.)/g, '$1') : null;
}
