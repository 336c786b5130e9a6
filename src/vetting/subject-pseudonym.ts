import { createHmac } from 'node:crypto';
import { badInput } from '../common/errors';
import { keyIdOf } from '../common/secret-box';

/** Identity document numbers as printed: letters and digits, separators dropped. */
const DOCUMENT_NUMBER = /^[A-Z0-9]{4,20}$/;
/** ISO 3166-1 alpha-2. */
const COUNTRY = /^[A-Z]{2}$/;

export interface SubjectKey {
  documentNumber: string;
  issuingCountry: string;
}

/** " nl ", "ab-12 34.56" -> "NL", "AB123456"; BAD_USER_INPUT naming the field when it is not one. */
export function normaliseSubject(subject: SubjectKey, field = ''): SubjectKey {
  // What the input types allow as printed, checked before normalising a long string for nothing.
  if (subject.documentNumber.length > 40)
    throw badInput('documentNumber must be shorter than or equal to 40 characters', `${field}documentNumber`);
  const documentNumber = subject.documentNumber
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-./]/g, '');
  const issuingCountry = subject.issuingCountry.trim().toUpperCase();
  if (!DOCUMENT_NUMBER.test(documentNumber)) {
    throw badInput(
      'A document number has 4 to 20 letters and digits (spaces, dashes, dots and slashes are ignored)',
      `${field}documentNumber`,
    );
  }
  if (!COUNTRY.test(issuingCountry))
    throw badInput('issuingCountry must be an ISO 3166-1 alpha-2 code such as NL', `${field}issuingCountry`);
  return { documentNumber, issuingCountry };
}

/** A pseudonym's length (SHA-256). */
export const PSEUDONYM_BYTES = 32;

/**
 * The subject's pseudonyms: HMAC-SHA-256 under each pseudonym key (the current one first, then those a
 * rotation replaced, under which records not yet re-keyed are found) of the normalised document number
 * and country. Equal for the same document whoever records it, useless without the key. Normalises the
 * subject itself (`field` names it in the error when it is no document).
 */
export function subjectPseudonyms(keys: readonly Buffer[], subject: SubjectKey, field = ''): Buffer[] {
  const { documentNumber, issuingCountry } = normaliseSubject(subject, field);
  return keys.map((key) => createHmac('sha256', key).update(`${issuingCountry}:${documentNumber}`).digest());
}

export const subjectPseudonym = (key: Buffer, subject: SubjectKey, field = ''): Buffer =>
  subjectPseudonyms([key], subject, field)[0];

/** The pseudonym key's id, kept beside each pseudonym: which records a rotation has still to re-key. */
export const pseudonymKeyId = (key: Buffer): string => keyIdOf(key, 'pseudonym');
