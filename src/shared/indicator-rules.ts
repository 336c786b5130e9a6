/**
 * Indicator values: what each type accepts and how it is normalised, shared by the server and the
 * console (which validates exactly as the server does while the analyst types). Cyber and financial
 * values are read by the libraries made for them (ipaddr.js, tldts, libphonenumber-js, ibantools, and
 * the WHATWG URL parser), port values by the standards' own check digits.
 */
import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import ipaddr from 'ipaddr.js';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { parse as parseHostname } from 'tldts';

export enum IndicatorType {
  CONTAINER_NUMBER = 'CONTAINER_NUMBER',
  IMO_NUMBER = 'IMO_NUMBER',
  SEAL_NUMBER = 'SEAL_NUMBER',
  LICENCE_PLATE = 'LICENCE_PLATE',
  VESSEL_NAME = 'VESSEL_NAME',
  COMPANY = 'COMPANY',
  BILL_OF_LADING = 'BILL_OF_LADING',
  IP_ADDRESS = 'IP_ADDRESS',
  DOMAIN_NAME = 'DOMAIN_NAME',
  URL = 'URL',
  EMAIL_ADDRESS = 'EMAIL_ADDRESS',
  FILE_HASH = 'FILE_HASH',
  PHONE_NUMBER = 'PHONE_NUMBER',
  IBAN = 'IBAN',
  OTHER = 'OTHER',
}

/**
 * Types whose normal form is exact (an address, a hash, a URL): they are searched and correlated by
 * that form. The others by `searchKey`, which forgives spacing and punctuation.
 */
export const EXACT_TYPES: readonly IndicatorType[] = [
  IndicatorType.IP_ADDRESS,
  IndicatorType.DOMAIN_NAME,
  IndicatorType.URL,
  IndicatorType.EMAIL_ADDRESS,
  IndicatorType.FILE_HASH,
  IndicatorType.PHONE_NUMBER,
  IndicatorType.IBAN,
];

/** Values that may be malicious (addresses, names, links), written so that nobody follows them by accident. */
export const DEFANGED_TYPES: readonly IndicatorType[] = [
  IndicatorType.IP_ADDRESS,
  IndicatorType.DOMAIN_NAME,
  IndicatorType.URL,
  IndicatorType.EMAIL_ADDRESS,
];

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
  [IndicatorType.BILL_OF_LADING]:
    "must be 6 to 20 letters or digits with at least one digit, e.g. MEDU1234567890 (the carrier's prefix and number)",
  [IndicatorType.IP_ADDRESS]:
    'must be an IPv4 or IPv6 address or CIDR range, e.g. 198.51.100.7, 2001:db8::1 or 203.0.113.0/24',
  [IndicatorType.DOMAIN_NAME]: 'must be a domain name, e.g. terminal-portal.example.com',
  [IndicatorType.URL]: 'must be an http, https or ftp URL, e.g. https://example.com/login',
  [IndicatorType.EMAIL_ADDRESS]: 'must be an e-mail address, e.g. dispatch@example.com',
  [IndicatorType.FILE_HASH]: 'must be an MD5, SHA-1 or SHA-256 hash: 32, 40 or 64 hexadecimal digits',
  [IndicatorType.PHONE_NUMBER]: 'must be an international phone number starting with +, e.g. +31 10 123 4567',
  [IndicatorType.IBAN]: 'must be an IBAN with a valid check, e.g. NL91 ABNA 0417 1643 00',
  [IndicatorType.OTHER]: 'must be 1 to 500 characters',
};

/** The English sentence for a problem; a mistyped check digit is named with the right one, so a typo is found at once. */
export function describeProblem(problem: IndicatorProblem): string {
  if (problem.kind === 'format') return FORMATS[problem.type];
  const { standard, found, expected, body } = problem;
  return `the ${standard} check digit (the last, ${found}) should be ${expected} for ${body}: check the number for a typo`;
}

const refused = (problem: IndicatorProblem): Normalised => ({ ok: false, reason: describeProblem(problem), problem });
const format = (type: IndicatorType) => refused({ kind: 'format', type });
const ok = (value: string): Normalised => ({ ok: true, value });
const wrongCheckDigit = (standard: 'ISO 6346' | 'IMO', value: string, expected: number) =>
  refused({ kind: 'checkDigit', standard, found: value[value.length - 1], expected, body: value.slice(0, -1) });

function containerNumber(raw: string): Normalised {
  const v = compact(raw);
  if (!/^[A-Z]{3}[UJZ]\d{7}$/.test(v)) return format(IndicatorType.CONTAINER_NUMBER);
  const digit = iso6346CheckDigit(v);
  if (digit !== Number(v[10])) return wrongCheckDigit('ISO 6346', v, digit);
  return ok(v);
}

function imoNumber(raw: string): Normalised {
  const v = compact(raw).replace(/^IMO/, '');
  if (!/^\d{7}$/.test(v)) return format(IndicatorType.IMO_NUMBER);
  const sum = [...v.slice(0, 6)].reduce((s, d, i) => s + Number(d) * (7 - i), 0);
  if (sum % 10 !== Number(v[6])) return wrongCheckDigit('IMO', v, sum % 10);
  return ok(v);
}

const pattern =
  (type: IndicatorType, re: RegExp, normalise: (raw: string) => string) =>
  (raw: string): Normalised => {
    const v = normalise(raw);
    return re.test(v) ? ok(v) : format(type);
  };

/** Undoes the usual defanging of shared indicators (`hxxp://example[.]com`, `10[.]0[.]0[.]1`, `a[@]b.com`). */
export function refang(raw: string): string {
  return raw
    .trim()
    .replace(/^hxxp(s?):\/\//i, 'http$1://')
    .replace(/\[\.\]|\(\.\)|\{\.\}|\[dot\]/gi, '.')
    .replace(/\[:\]/g, ':')
    .replace(/\[@\]|\[at\]/gi, '@');
}

/** `http://example.com` as `hxxp://example[.]com`: how a value that may be malicious is shown outside the console. */
export function defang(type: IndicatorType, value: string): string {
  if (!DEFANGED_TYPES.includes(type)) return value;
  return value.replace(/^http/i, 'hxxp').replace(/\./g, '[.]').replace(/@/g, '[@]');
}

/** An address or a CIDR range: IPv4-mapped IPv6 as IPv4, IPv6 in its compact form, a range by its network address, a /32 or /128 as the address. */
function ipAddress(raw: string): Normalised {
  const v = refang(raw);
  try {
    if (v.includes('/')) {
      if (!ipaddr.isValidCIDR(v)) return format(IndicatorType.IP_ADDRESS);
      const [address, bits] = ipaddr.parseCIDR(v);
      const v4 = address.kind() === 'ipv4';
      if (v4 && !ipaddr.IPv4.isValidFourPartDecimal(v.split('/')[0])) return format(IndicatorType.IP_ADDRESS);
      const network = v4 ? ipaddr.IPv4.networkAddressFromCIDR(v) : ipaddr.IPv6.networkAddressFromCIDR(v);
      return ok(bits === (v4 ? 32 : 128) ? network.toString() : `${network.toString()}/${bits}`);
    }
    // Four decimal parts only: ipaddr.js also reads `127.1` and `2130706433` as addresses.
    if (!ipaddr.IPv4.isValidFourPartDecimal(v) && !ipaddr.IPv6.isValid(v)) return format(IndicatorType.IP_ADDRESS);
    return ok(ipaddr.process(v).toString());
  } catch {
    return format(IndicatorType.IP_ADDRESS);
  }
}

/** A host name of two labels or more, lower case, internationalised names in their ASCII (punycode) form. */
function hostname(raw: string): string | null {
  const v = refang(raw).replace(/\.$/, '');
  if (!/^[^\s/:@?#[\]\\]+$/u.test(v)) return null;
  let ascii: string;
  try {
    ascii = new URL(`http://${v}`).hostname;
  } catch {
    return null;
  }
  const parsed = parseHostname(ascii);
  return parsed.hostname && parsed.domain && !parsed.isIp ? parsed.hostname : null;
}

function domainName(raw: string): Normalised {
  const host = hostname(raw);
  return host ? ok(host) : format(IndicatorType.DOMAIN_NAME);
}

/** The URL as the WHATWG parser serialises it: scheme and host in lower case, default port dropped, path kept. */
function url(raw: string): Normalised {
  try {
    const u = new URL(refang(raw));
    if (!['http:', 'https:', 'ftp:'].includes(u.protocol) || !hostname(u.hostname)) return format(IndicatorType.URL);
    return ok(u.href);
  } catch {
    return format(IndicatorType.URL);
  }
}

/** An address in lower case (its domain by `hostname`); quoted local parts are not accepted. */
function emailAddress(raw: string): Normalised {
  const v = refang(raw);
  const at = v.lastIndexOf('@');
  const local = v.slice(0, at);
  const domain = at > 0 ? hostname(v.slice(at + 1)) : null;
  if (
    !domain ||
    !/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/.test(local) ||
    local.length > 64
  )
    return format(IndicatorType.EMAIL_ADDRESS);
  return ok(`${local.toLowerCase()}@${domain}`);
}

const HASH_ALGORITHMS: Record<number, 'MD5' | 'SHA-1' | 'SHA-256'> = { 32: 'MD5', 40: 'SHA-1', 64: 'SHA-256' };

/** The algorithm of a normalised hash, by its length. */
export const hashAlgorithm = (hash: string) => HASH_ALGORITHMS[hash.length];

function fileHash(raw: string): Normalised {
  const v = raw.trim().toLowerCase();
  return /^[0-9a-f]+$/.test(v) && hashAlgorithm(v) ? ok(v) : format(IndicatorType.FILE_HASH);
}

/** E.164 (`+31101234567`); without a country there is no way to read a national number, so + is required. */
function phoneNumber(raw: string): Normalised {
  const parsed = parsePhoneNumberFromString(raw.trim());
  return parsed?.isValid() ? ok(parsed.number) : format(IndicatorType.PHONE_NUMBER);
}

function iban(raw: string): Normalised {
  const v = electronicFormatIBAN(raw.trim());
  return v && isValidIBAN(v) ? ok(v) : format(IndicatorType.IBAN);
}

const NORMALISERS: Record<IndicatorType, (raw: string) => Normalised> = {
  [IndicatorType.CONTAINER_NUMBER]: containerNumber,
  [IndicatorType.IMO_NUMBER]: imoNumber,
  [IndicatorType.SEAL_NUMBER]: pattern(IndicatorType.SEAL_NUMBER, /^[A-Z0-9]{4,20}$/, compact),
  [IndicatorType.LICENCE_PLATE]: pattern(IndicatorType.LICENCE_PLATE, /^[A-Z0-9]{2,12}$/, compact),
  [IndicatorType.VESSEL_NAME]: pattern(IndicatorType.VESSEL_NAME, /^.{2,100}$/u, (r) => words(r).toUpperCase()),
  [IndicatorType.COMPANY]: pattern(IndicatorType.COMPANY, /^.{2,200}$/u, words),
  [IndicatorType.BILL_OF_LADING]: pattern(IndicatorType.BILL_OF_LADING, /^(?=.*\d)[A-Z0-9]{6,20}$/, compact),
  [IndicatorType.IP_ADDRESS]: ipAddress,
  [IndicatorType.DOMAIN_NAME]: domainName,
  [IndicatorType.URL]: url,
  [IndicatorType.EMAIL_ADDRESS]: emailAddress,
  [IndicatorType.FILE_HASH]: fileHash,
  [IndicatorType.PHONE_NUMBER]: phoneNumber,
  [IndicatorType.IBAN]: iban,
  [IndicatorType.OTHER]: pattern(IndicatorType.OTHER, /^.{1,500}$/u, words),
};

/** Validates and normalises an indicator value of `type` (`CSQU 305438-3` -> `CSQU3054383`). */
export function normaliseIndicator(type: IndicatorType, raw: string): Normalised {
  return NORMALISERS[type](raw);
}

/**
 * The type-independent key searches compare for the forgiving types: upper case, letters and digits
 * only, so "csqu 305438-3" finds CSQU3054383 and "IMO 9074729" finds 9074729 without the searcher
 * naming a type.
 */
export function searchKey(value: string): string {
  return value
    .toUpperCase()
    .replace(/^IMO(?=\s*\d{7}$)/, '')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * The key a stored indicator is searched and correlated by: the normal form of an exact type (two
 * addresses that differ only in punctuation are different addresses), `searchKey` of any other.
 */
export function indicatorKey(type: IndicatorType, value: string): string {
  return EXACT_TYPES.includes(type) ? value : searchKey(value);
}

/**
 * Every key a searched text may mean, the searcher naming no type: its forgiving key, and its normal
 * form as each exact type that accepts it (`HTTP://Example.COM/a` finds `http://example.com/a`,
 * `+31 10 123 4567` finds `+31101234567`).
 */
export function searchKeys(text: string): string[] {
  const keys = new Set([searchKey(text)]);
  for (const type of EXACT_TYPES) {
    const normalised = normaliseIndicator(type, text);
    if (normalised.ok) keys.add(normalised.value);
  }
  keys.delete('');
  return [...keys];
}
