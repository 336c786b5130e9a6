import { iso6346CheckDigit, IndicatorType, normaliseIndicator, searchKey } from './indicators';

const ok = (type: IndicatorType, raw: string) => normaliseIndicator(type, raw);

describe('indicators', () => {
  describe('CONTAINER_NUMBER (ISO 6346)', () => {
    it.each(['CSQU3054383', 'MSCU1234566', 'csqu 305438-3', 'CSQU/305438/3'])('accepts %s', (raw) => {
      expect(ok(IndicatorType.CONTAINER_NUMBER, raw)).toEqual({
        ok: true,
        value: raw.toUpperCase().replace(/[\s/-]/g, ''),
      });
    });

    it.each([
      ['CSQU3054384', '4', '3', 'CSQU305438'],
      ['MSCU1234565', '5', '6', 'MSCU123456'],
    ])('rejects %s, naming the wrong check digit and the right one', (raw, given, right, rest) => {
      expect(ok(IndicatorType.CONTAINER_NUMBER, raw)).toEqual({
        ok: false,
        reason: `the ISO 6346 check digit (the last, ${given}) should be ${right} for ${rest}: check the number for a typo`,
        // The same, for the console to say in the reader's language.
        problem: { kind: 'checkDigit', standard: 'ISO 6346', found: given, expected: Number(right), body: rest },
      });
    });

    it.each(['CSQ3054383', 'CSQX3054383', 'CSQU305438', '1234567890A'])('rejects the malformed %s', (raw) => {
      expect(ok(IndicatorType.CONTAINER_NUMBER, raw).ok).toBe(false);
    });

    it('computes check digits with the letter table that skips multiples of 11', () => {
      expect(iso6346CheckDigit('CSQU305438')).toBe(3);
      expect(iso6346CheckDigit('MSCU123456')).toBe(6);
    });
  });

  describe('IMO_NUMBER', () => {
    it.each([
      ['9074729', '9074729'],
      ['IMO 9074729', '9074729'],
      ['imo9176187', '9176187'],
    ])('accepts %s', (raw, value) => {
      expect(ok(IndicatorType.IMO_NUMBER, raw)).toEqual({ ok: true, value });
    });

    it('rejects a wrong check digit and wrong lengths', () => {
      expect(ok(IndicatorType.IMO_NUMBER, '9074728')).toEqual({
        ok: false,
        reason: 'the IMO check digit (the last, 8) should be 9 for 907472: check the number for a typo',
        problem: { kind: 'checkDigit', standard: 'IMO', found: '8', expected: 9, body: '907472' },
      });
      expect(ok(IndicatorType.IMO_NUMBER, '907472')).toMatchObject({
        problem: { kind: 'format', type: IndicatorType.IMO_NUMBER },
      });
      expect(ok(IndicatorType.IMO_NUMBER, '907472').ok).toBe(false);
      expect(ok(IndicatorType.IMO_NUMBER, '90747290').ok).toBe(false);
    });
  });

  it('normalises seal numbers and licence plates and bounds their length', () => {
    expect(ok(IndicatorType.SEAL_NUMBER, 'ab-1234 56')).toEqual({ ok: true, value: 'AB123456' });
    expect(ok(IndicatorType.SEAL_NUMBER, 'AB1').ok).toBe(false);
    expect(ok(IndicatorType.LICENCE_PLATE, '12-ABC-3')).toEqual({ ok: true, value: '12ABC3' });
    expect(ok(IndicatorType.LICENCE_PLATE, 'A'.repeat(13)).ok).toBe(false);
  });

  it('keeps names readable and collapses whitespace', () => {
    expect(ok(IndicatorType.VESSEL_NAME, '  msc   gülsün ')).toEqual({ ok: true, value: 'MSC GÜLSÜN' });
    expect(ok(IndicatorType.COMPANY, ' Acme  Logistics B.V. ')).toEqual({ ok: true, value: 'Acme Logistics B.V.' });
    expect(ok(IndicatorType.COMPANY, 'A').ok).toBe(false);
  });

  it('derives one search key however the value is written', () => {
    expect(searchKey('mscu 123456-6')).toBe('MSCU1234566');
    expect(searchKey('IMO 9074729')).toBe('9074729');
    expect(searchKey('Acme Logistics B.V.')).toBe('ACMELOGISTICSBV');
  });
});
