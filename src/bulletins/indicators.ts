import { registerEnumType } from '@nestjs/graphql';

export enum IndicatorType {
  CONTAINER_NUMBER = 'CONTAINER_NUMBER',
  IMO_NUMBER = 'IMO_NUMBER',
  SEAL_NUMBER = 'SEAL_NUMBER',
  LICENCE_PLATE = 'LICENCE_PLATE',
  VESSEL_NAME = 'VESSEL_NAME',
  COMPANY = 'COMPANY',
  OTHER = 'OTHER',
}
registerEnumType(IndicatorType, { name: 'IndicatorType' });

export type Normalised = { ok: true; value: string } | { ok: false; reason: string };

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

/** Names the digit that is wrong and what it should be, so a typo is found at once (a mistyped digit elsewhere changes it too). */
function wrongCheckDigit(standard: string, value: string, expected: number): string {
  return `the ${standard} check digit (the last, ${value[value.length - 1]}) should be ${expected} for ${value.slice(0, -1)}: check the number for a typo`;
}

function containerNumber(raw: string): Normalised {
  const v = compact(raw);
  if (!/^[A-Z]{3}[UJZ]\d{7}$/.test(v)) {
    return { ok: false, reason: 'must be 3 letters, U/J/Z and 7 digits (ISO 6346), e.g. CSQU3054383' };
  }
  const digit = iso6346CheckDigit(v);
  if (digit !== Number(v[10])) return { ok: false, reason: wrongCheckDigit('ISO 6346', v, digit) };
  return { ok: true, value: v };
}

function imoNumber(raw: string): Normalised {
  const v = compact(raw).replace(/^IMO/, '');
  if (!/^\d{7}$/.test(v)) return { ok: false, reason: 'must be 7 digits, optionally prefixed IMO' };
  const sum = [...v.slice(0, 6)].reduce((s, d, i) => s + Number(d) * (7 - i), 0);
  if (sum % 10 !== Number(v[6])) return { ok: false, reason: wrongCheckDigit('IMO', v, sum % 10) };
  return { ok: true, value: v };
}

const pattern =
  (re: RegExp, reason: string, normalise: (raw: string) => string) =>
  (raw: string): Normalised => {
    const v = normalise(raw);
    return re.test(v) ? { ok: true, value: v } : { ok: false, reason };
  };

const NORMALISERS: Record<IndicatorType, (raw: string) => Normalised> = {
  [IndicatorType.CONTAINER_NUMBER]: containerNumber,
  [IndicatorType.IMO_NUMBER]: imoNumber,
  [IndicatorType.SEAL_NUMBER]: pattern(/^[A-Z0-9]{4,20}$/, 'must be 4 to 20 letters or digits', compact),
  [IndicatorType.LICENCE_PLATE]: pattern(/^[A-Z0-9]{2,12}$/, 'must be 2 to 12 letters or digits', compact),
  [IndicatorType.VESSEL_NAME]: pattern(/^.{2,100}$/u, 'must be 2 to 100 characters', (r) => words(r).toUpperCase()),
  [IndicatorType.COMPANY]: pattern(/^.{2,200}$/u, 'must be 2 to 200 characters', words),
  [IndicatorType.OTHER]: pattern(/^.{1,500}$/u, 'must be 1 to 500 characters', words),
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
