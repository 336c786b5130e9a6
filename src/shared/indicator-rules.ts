/**
 * Indicator values: what each type accepts and how it is normalised. Plain TypeScript with no
 * dependency, so the console validates exactly as the server does while the analyst types.
 */
export enum IndicatorType {
  CONTAINER_NUMBER = 'CONTAINER_NUMBER',
  IMO_NUMBER = 'IMO_NUMBER',
  SEAL_NUMBER = 'SEAL_NUMBER',
  LICENCE_PLATE = 'LICENCE_PLATE',
  VESSEL_NAME = 'VESSEL_NAME',
  COMPANY = 'COMPANY',
  OTHER = 'OTHER',
}

/** What is wrong with a value, in terms a translation can phrase (the console) or `reason` says in English. */
export type IndicatorProblem =
  | { kind: 'format'; type: IndicatorType }
  | { kind: 'checkDigit'; standard: 'ISO 6346' | 'IMO'; found: string; expected: number; body: string };

export type Normalised = { ok: true; value: string } | { ok: false; reason: string; problem: IndicatorProblem };

const compact = (raw: string) => raw.toUpperCase().replace(/[\s\-./]/g, '');
const words = (raw: string) => raw.trim().replace(/\s+/g, ' ');

/** ISO 6346 letter values: A=10, then skipping multiples of 11. */
const LETTER_VALUES: Record<string, number> = {};
for (let c = 0, v = 10; c < 26; c++, v++) {
  if (v % 11 === 0) v++;
  LETTER_VALUES[String.fromCharCode(65 + c)] = v;
}

/** ISO 6346 check digit of the first ten characters (owner code, category, serial). */
export function iso6346CheckDigit(first10: string): number {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const ch = first10[i];
    sum += (LETTER_VALUES[ch] ?? Number(ch)) * 2 ** i;
  }
  return (sum % 11) % 10;
}

const FORMATS: Record<IndicatorType, string> = {
  [IndicatorType.CONTAINER_NUMBER]: 'must be 3 letters, U/J/Z and 7 digits (ISO 6346), e.g. CSQU3054383',
  [IndicatorType.IMO_NUMBER]: 'must be 7 digits, optionally prefixed IMO',
  [IndicatorType.SEAL_NUMBER]: 'must be 4 to 20 letters or digits',
  [IndicatorType.LICENCE_PLATE]: 'must be 2 to 12 letters or digits',
  [IndicatorType.VESSEL_NAME]: 'must be 2 to 100 characters',
  [IndicatorType.COMPANY]: 'must be 2 to 200 characters',
  [IndicatorType.OTHER]: 'must be 1 to 500 characters',
};

/** The English sentence for a problem; a mistyped check digit is named with the right one, so a typo is found at once. */
export function describeProblem(problem: IndicatorProblem): string {
  if (problem.kind === 'format') return FORMATS[problem.type];
  const { standard, found, expected, body } = problem;
  return `the ${standard} check digit (the last, ${found}) should be ${expected} for ${body}: check the number for a typo`;
}

const refused = (problem: IndicatorProblem): Normalised => ({ ok: false, reason: describeProblem(problem), problem });
const wrongCheckDigit = (standard: 'ISO 6346' | 'IMO', value: string, expected: number) =>
  refused({ kind: 'checkDigit', standard, found: value[value.length - 1], expected, body: value.slice(0, -1) });

function containerNumber(raw: string): Normalised {
  const v = compact(raw);
  if (!/^[A-Z]{3}[UJZ]\d{7}$/.test(v)) return refused({ kind: 'format', type: IndicatorType.CONTAINER_NUMBER });
  const digit = iso6346CheckDigit(v);
  if (digit !== Number(v[10])) return wrongCheckDigit('ISO 6346', v, digit);
  return { ok: true, value: v };
}

function imoNumber(raw: string): Normalised {
  const v = compact(raw).replace(/^IMO/, '');
  if (!/^\d{7}$/.test(v)) return refused({ kind: 'format', type: IndicatorType.IMO_NUMBER });
  const sum = [...v.slice(0, 6)].reduce((s, d, i) => s + Number(d) * (7 - i), 0);
  if (sum % 10 !== Number(v[6])) return wrongCheckDigit('IMO', v, sum % 10);
  return { ok: true, value: v };
}

const pattern =
  (type: IndicatorType, re: RegExp, normalise: (raw: string) => string) =>
  (raw: string): Normalised => {
    const v = normalise(raw);
    return re.test(v) ? { ok: true, value: v } : refused({ kind: 'format', type });
  };

const NORMALISERS: Record<IndicatorType, (raw: string) => Normalised> = {
  [IndicatorType.CONTAINER_NUMBER]: containerNumber,
  [IndicatorType.IMO_NUMBER]: imoNumber,
  [IndicatorType.SEAL_NUMBER]: pattern(IndicatorType.SEAL_NUMBER, /^[A-Z0-9]{4,20}$/, compact),
  [IndicatorType.LICENCE_PLATE]: pattern(IndicatorType.LICENCE_PLATE, /^[A-Z0-9]{2,12}$/, compact),
  [IndicatorType.VESSEL_NAME]: pattern(IndicatorType.VESSEL_NAME, /^.{2,100}$/u, (r) => words(r).toUpperCase()),
  [IndicatorType.COMPANY]: pattern(IndicatorType.COMPANY, /^.{2,200}$/u, words),
  [IndicatorType.OTHER]: pattern(IndicatorType.OTHER, /^.{1,500}$/u, words),
};

/** Validates and normalises an indicator value of `type` (`CSQU 305438-3` -> `CSQU3054383`). */
export function normaliseIndicator(type: IndicatorType, raw: string): Normalised {
  return NORMALISERS[type](raw);
}

/**
 * The type-independent key searches compare: upper case, letters and digits only, so "csqu 305438-3"
 * finds CSQU3054383 and "IMO 9074729" finds 9074729 without the searcher naming a type.
 */
export function searchKey(value: string): string {
  return value
    .toUpperCase()
    .replace(/^IMO(?=\s*\d{7}$)/, '')
    .replace(/[^\p{L}\p{N}]/gu, '');
}
