import { randomBytes } from 'node:crypto';
import { AppError } from '../common/errors';
import { normaliseSubject, subjectPseudonym } from './subject-pseudonym';

describe('subject pseudonyms', () => {
  const key = randomBytes(32);

  it.each([
    ['AB123456', 'NL'],
    ['ab123456', 'nl'],
    [' AB 123 456 ', ' NL '],
    ['AB-123-456', 'NL'],
    ['ab.123/456', 'Nl'],
    ['AB\t123\u00a0456', 'NL'],
    ['ＡＢ１２３４５６', 'NL'], // full-width characters, as some forms produce
  ])('normalises %j / %j to the same key and pseudonym', (documentNumber, issuingCountry) => {
    expect(normaliseSubject({ documentNumber, issuingCountry })).toEqual({
      documentNumber: 'AB123456',
      issuingCountry: 'NL',
    });
    expect(subjectPseudonym(key, { documentNumber, issuingCountry })).toEqual(
      subjectPseudonym(key, { documentNumber: 'AB123456', issuingCountry: 'NL' }),
    );
  });

  it('tells apart documents of other countries, other numbers and other keys', () => {
    const base = subjectPseudonym(key, { documentNumber: 'AB123456', issuingCountry: 'NL' });
    expect(subjectPseudonym(key, { documentNumber: 'AB123456', issuingCountry: 'BE' })).not.toEqual(base);
    expect(subjectPseudonym(key, { documentNumber: 'AB123457', issuingCountry: 'NL' })).not.toEqual(base);
    expect(subjectPseudonym(randomBytes(32), { documentNumber: 'AB123456', issuingCountry: 'NL' })).not.toEqual(base);
    expect(base).toHaveLength(32);
  });

  it.each([
    ['12', 'NL', 'documentNumber'],
    ['AB12345678901234567890', 'NL', 'documentNumber'],
    ['AB12#456', 'NL', 'documentNumber'],
    ['AB123456', 'NLD', 'issuingCountry'],
    ['AB123456', '1L', 'issuingCountry'],
  ])('refuses %j / %j naming %s', (documentNumber, issuingCountry, field) => {
    expect.assertions(2);
    try {
      normaliseSubject({ documentNumber, issuingCountry }, 'input.');
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: `input.${field}` });
    }
  });
});
