import {
  defang,
  indicatorKey,
  iso6346CheckDigit,
  IndicatorType,
  normaliseIndicator,
  refang,
  searchKey,
  searchKeys,
} from './indicators';

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

  describe.each([
    [
      IndicatorType.IP_ADDRESS,
      [
        ['198.51.100.7', '198.51.100.7'],
        [' 198[.]51[.]100[.]7 ', '198.51.100.7'],
        ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
        ['::ffff:198.51.100.7', '198.51.100.7'],
        ['223.166.1.2/15', '223.166.0.0/15'],
        ['198.51.100.7/32', '198.51.100.7'],
        ['2001:db8::/32', '2001:db8::/32'],
      ],
      ['127.1', '2130706433', '256.1.1.1', '10.0.0.0/33', 'example.com', '1.2.3.4.5'],
    ],
    [
      IndicatorType.DOMAIN_NAME,
      [
        ['Terminal-Portal.Example.COM', 'terminal-portal.example.com'],
        ['example[.]com.', 'example.com'],
        ['bücher.de', 'xn--bcher-kva.de'],
      ],
      ['localhost', 'domain autuo.xicp.net', '-bad-.com', 'a..b.com', 'http://example.com/', '198.51.100.7'],
    ],
    [
      IndicatorType.URL,
      [
        ['HTTP://Example.COM/a', 'http://example.com/a'],
        ['hxxps://example[.]com:443/Login?x=1', 'https://example.com/Login?x=1'],
        ['ftp://files.example.org', 'ftp://files.example.org/'],
      ],
      ['example.com/a', 'javascript:alert(1)', 'file:///etc/passwd', 'http://localhost/'],
    ],
    [
      IndicatorType.EMAIL_ADDRESS,
      [
        ['Dispatch@Example.COM', 'dispatch@example.com'],
        ['crane.ops+pin[@]terminal[.]example.com', 'crane.ops+pin@terminal.example.com'],
      ],
      ['dispatch', '@example.com', 'a..b@example.com', 'a@localhost', '"quoted"@example.com'],
    ],
    [
      IndicatorType.FILE_HASH,
      [
        ['001DD76872D80801692FF942308C64E6', '001dd76872d80801692ff942308c64e6'],
        ['da39a3ee5e6b4b0d3255bfef95601890afd80709', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
        [
          'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c',
          'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c',
        ],
      ],
      ['001dd76872d80801692ff942308c64e', 'zz1dd76872d80801692ff942308c64e6', 'a'.repeat(128)],
    ],
    [
      IndicatorType.PHONE_NUMBER,
      [
        ['+31 10 123 4567', '+31101234567'],
        ['+32 (0)3 229 00 00', '+3232290000'],
      ],
      ['010 123 4567', '+31 1', 'call me'],
    ],
    [
      IndicatorType.IBAN,
      [
        ['nl91 abna 0417 1643 00', 'NL91ABNA0417164300'],
        ['BE68 5390 0754 7034', 'BE68539007547034'],
      ],
      ['NL91ABNA0417164301', 'NL91', 'XX00123'],
    ],
    [
      IndicatorType.BILL_OF_LADING,
      [
        ['medu 1234567890', 'MEDU1234567890'],
        ['MAEU-240512345', 'MAEU240512345'],
      ],
      ['ABCDEFGH', 'MEDU1', 'MEDU12345678901234567'],
    ],
  ])('%s', (type, valid, invalid) => {
    it.each(valid)('normalises %s to %s', (raw, normal) => {
      expect(normaliseIndicator(type, raw)).toEqual({ ok: true, value: normal });
      // The normal form is a fixed point: normalising it again changes nothing.
      expect(normaliseIndicator(type, normal)).toEqual({ ok: true, value: normal });
    });
    it.each(invalid)('refuses %s, saying what the type accepts', (raw) => {
      expect(normaliseIndicator(type, raw)).toMatchObject({ ok: false, problem: { kind: 'format', type } });
    });
  });

  it('keys exact types by their normal form, so punctuation never joins two addresses', () => {
    expect(indicatorKey(IndicatorType.IP_ADDRESS, '1.10.0.1')).not.toBe(
      indicatorKey(IndicatorType.IP_ADDRESS, '11.0.0.1'),
    );
    expect(indicatorKey(IndicatorType.CONTAINER_NUMBER, 'CSQU3054383')).toBe('CSQU3054383');
  });

  it('finds each type by its normal form whatever the searcher types', () => {
    expect(searchKeys('HTTP://Example.COM/a')).toContain('http://example.com/a');
    expect(searchKeys('+31 10 123 4567')).toContain('+31101234567');
    expect(searchKeys('csqu 305438-3')).toContain('CSQU3054383');
    expect(searchKeys('nl91 abna 0417 1643 00')).toContain('NL91ABNA0417164300');
    expect(searchKeys('   ')).toEqual([]);
  });

  it('defangs what may be followed, and reads defanged values back', () => {
    expect(defang(IndicatorType.URL, 'http://example.com/a')).toBe('hxxp://example[.]com/a');
    expect(defang(IndicatorType.EMAIL_ADDRESS, 'a@example.com')).toBe('a[@]example[.]com');
    expect(defang(IndicatorType.CONTAINER_NUMBER, 'CSQU3054383')).toBe('CSQU3054383');
    expect(refang('hxxp://example[.]com/a')).toBe('http://example.com/a');
  });
});
