/**
 * Indicators of every kind, end to end: each type is normalised when a bulletin is saved, refused with
 * a clear error when malformed, found by search in whatever form it is typed, exported as the standard
 * STIX pattern of its observable and imported back to the same indicators; the OASIS STIX 2.1 example
 * bundles (test/fixtures/oasis-stix-examples) land in drafts instead of being skipped; CAP carries them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { publishBulletin } from './helpers/bulletins';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';

/** Raw as an analyst types it, the normal form it is stored as, and the STIX pattern it exports to. */
const EXAMPLES: [type: string, raw: string, normal: string, pattern: string][] = [
  ['IP_ADDRESS', '198[.]51[.]100[.]7', '198.51.100.7', "[ipv4-addr:value = '198.51.100.7']"],
  ['IP_ADDRESS', '2001:DB8:0:0::1', '2001:db8::1', "[ipv6-addr:value = '2001:db8::1']"],
  ['IP_ADDRESS', '203.0.113.9/24', '203.0.113.0/24', "[ipv4-addr:value = '203.0.113.0/24']"],
  ['DOMAIN_NAME', 'PIN-Portal.Example.COM', 'pin-portal.example.com', "[domain-name:value = 'pin-portal.example.com']"],
  ['URL', 'HTTP://Example.COM/a', 'http://example.com/a', "[url:value = 'http://example.com/a']"],
  ['EMAIL_ADDRESS', 'Dispatch@Example.COM', 'dispatch@example.com', "[email-addr:value = 'dispatch@example.com']"],
  [
    'FILE_HASH',
    'EF537F25C895BFA782526529A9B63D97AA631564D5D789C2B765448C8635FB6C',
    'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c',
    "[file:hashes.'SHA-256' = 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c']",
  ],
  [
    'FILE_HASH',
    '001dd76872d80801692ff942308c64e6',
    '001dd76872d80801692ff942308c64e6',
    "[file:hashes.'MD5' = '001dd76872d80801692ff942308c64e6']",
  ],
  [
    'FILE_HASH',
    'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    "[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']",
  ],
  ['PHONE_NUMBER', '+31 10 123 4567', '+31101234567', "[x-harbourwatch-phone:number = '+31101234567']"],
  ['IBAN', 'nl91 abna 0417 1643 00', 'NL91ABNA0417164300', "[x-harbourwatch-bank-account:iban = 'NL91ABNA0417164300']"],
  [
    'BILL_OF_LADING',
    'medu 1234567890',
    'MEDU1234567890',
    "[x-harbourwatch-shipment:bill_of_lading = 'MEDU1234567890']",
  ],
];
const OASIS = join(__dirname, 'fixtures', 'oasis-stix-examples');
const IMPORT = `mutation($b: JSONObject!) { importStixBundle(bundle: $b) {
  drafts { id status tlp indicators { type value } } skipped { id type reason } } }`;
type Indicator = { type: string; value: string };
const keys = (list: Indicator[]) => list.map((i) => `${i.type}:${i.value}`).sort();

describe('indicators of every kind', () => {
  let t: TestApp;
  let author: TestUser;
  let reader: TestUser;
  let importer: TestUser;
  let bulletin: string;

  beforeAll(async () => {
    t = await startTestApp();
    const terminal = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM']);
    author = await member(t, terminal, MemberRole.ANALYST);
    reader = await member(t, await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM']), MemberRole.ANALYST);
    importer = await member(t, await makeOrganisation(t, OrganisationType.CUSTOMS, ['NLRTM']), MemberRole.ANALYST);
    bulletin = await publishBulletin(t, author.token, {
      tlp: 'CLEAR',
      category: 'CYBER_INTRUSION',
      indicators: EXAMPLES.map(([type, raw]) => ({ type, value: raw })),
    });
  });
  afterAll(() => t.close());

  it('stores each in its normal form', async () => {
    const r = await t.gql(
      `query($id: ID!) { bulletin(id: $id) { indicators { type value } } }`,
      { id: bulletin },
      reader.token,
    );
    expect(keys(r.data.bulletin.indicators)).toEqual(keys(EXAMPLES.map(([type, , value]) => ({ type, value }))));
  });

  it.each([
    ['IP_ADDRESS', '127.1'],
    ['DOMAIN_NAME', 'localhost'],
    ['URL', 'javascript:alert(1)'],
    ['EMAIL_ADDRESS', 'dispatch'],
    ['FILE_HASH', 'abc123'],
    ['PHONE_NUMBER', '010 123 4567'],
    ['IBAN', 'NL91ABNA0417164301'],
    ['BILL_OF_LADING', 'ABCDEFGH'],
  ])('refuses a malformed %s (%s) with a clear error and saves nothing', async (type, value) => {
    const r = await t.gql(
      `mutation($input: BulletinInput!) { createBulletin(input: $input) { id } }`,
      {
        input: {
          title: 'Malformed',
          summary: 'x',
          body: 'x',
          category: 'CYBER_INTRUSION',
          severity: 'MINOR',
          urgency: 'FUTURE',
          certainty: 'POSSIBLE',
          tlp: 'GREEN',
          indicators: [{ type, value }],
        },
      },
      author.token,
    );
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toMatch(/must be/);
  });

  it.each(EXAMPLES)('search finds %s %s by what the searcher types', async (type, raw, normal) => {
    for (const typed of [raw, normal]) {
      const r = await t.gql(
        `query($v: String!) { searchIndicators(value: $v) { bulletin { id } indicator { type value } } }`,
        { v: typed },
        reader.token,
      );
      expect(r.data.searchIndicators).toContainEqual({
        bulletin: { id: bulletin },
        indicator: { type, value: normal },
      });
    }
  });

  it('exports standard STIX patterns and imports them back to the same indicators', async () => {
    const bundle = (await (
      await fetch(`${t.baseUrl}/stix/bulletins/${bulletin}`, { headers: { authorization: `Bearer ${reader.token}` } })
    ).json()) as { objects: { type: string; pattern?: string; x_harbourwatch_value?: string }[] };
    const patterns = bundle.objects.filter((o) => o.type === 'indicator').map((o) => o.pattern);
    expect(patterns.sort()).toEqual(EXAMPLES.map(([, , , pattern]) => pattern).sort());
    // As another tool would send them: the patterns alone, without our own properties.
    for (const o of bundle.objects) delete o.x_harbourwatch_value;
    const r = await t.gql(IMPORT, { b: bundle }, importer.token);
    expect(r.errors).toBeUndefined();
    expect(r.data.importStixBundle.drafts).toHaveLength(1);
    expect(keys(r.data.importStixBundle.drafts[0].indicators)).toEqual(
      keys(EXAMPLES.map(([type, , value]) => ({ type, value }))),
    );
  });

  it('imports the OASIS example bundles: their indicators land in drafts, what names nothing is listed', async () => {
    const load = (name: string) => JSON.parse(readFileSync(join(OASIS, `${name}.json`), 'utf8'));
    const imported = async (name: string) => {
      const r = await t.gql(IMPORT, { b: load(name) }, importer.token);
      expect(r.errors).toBeUndefined();
      return r.data.importStixBundle as {
        drafts: { status: string; tlp: string; indicators: Indicator[] }[];
        skipped: { id: string; type: string; reason: string }[];
      };
    };

    const c2 = await imported('indicator-for-c2-ip-address');
    expect(c2.drafts.map((d) => keys(d.indicators))).toEqual([['IP_ADDRESS:10.0.0.0']]);
    expect((await imported('indicator-to-campaign-relationship')).drafts[0].indicators).toEqual([
      { type: 'IP_ADDRESS', value: '10.0.0.0' },
    ]);
    const coa = await imported('indicators-for-C2-with-COA');
    expect(keys(coa.drafts[0].indicators)).toEqual([
      'FILE_HASH:ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c',
      'IP_ADDRESS:10.0.0.0',
    ]);
    // Subject and attachment-name MATCHES: nothing Harbourwatch records, so no draft, each listed.
    const email = await imported('malicious-email-indicator-with-attachment');
    expect(email.drafts).toEqual([]);
    expect(email.skipped.filter((s) => s.type === 'indicator').map((s) => s.reason)).toEqual([
      'indicator pattern names nothing Harbourwatch records',
      'indicator pattern names nothing Harbourwatch records',
    ]);

    // A report: one draft with its indicators (unmarked: AMBER+STRICT until an analyst decides).
    const apt1 = await imported('apt1');
    expect(apt1.drafts).toHaveLength(1);
    expect(apt1.drafts[0]).toMatchObject({ status: 'DRAFT', tlp: 'AMBER_STRICT' });
    const byType = (list: Indicator[], type: string) =>
      list
        .filter((i) => i.type === type)
        .map((i) => i.value)
        .sort();
    expect(byType(apt1.drafts[0].indicators, 'IP_ADDRESS')).toEqual([
      '112.64.0.0/15',
      '139.226.0.0/15',
      '223.166.0.0/15',
      '58.246.0.0/15',
    ]);
    expect(byType(apt1.drafts[0].indicators, 'DOMAIN_NAME')).toEqual([
      'arrowservice.net',
      'hugesoft.org',
      'msnhome.org',
    ]);
    expect(byType(apt1.drafts[0].indicators, 'FILE_HASH')).toHaveLength(3);
    // Certificates are no indicator type: the report's pattern is kept as text for the analyst.
    expect(byType(apt1.drafts[0].indicators, 'OTHER')).toHaveLength(2);

    // Patterns joined by OR name each value once; a value that is no domain is listed with its reason.
    const ivy = await imported('poisonivy');
    expect(ivy.drafts).toHaveLength(1);
    const ivyIndicators = ivy.drafts[0].indicators;
    expect(byType(ivyIndicators, 'DOMAIN_NAME')).toContain('www.webserver.dynssl.com');
    expect(byType(ivyIndicators, 'IP_ADDRESS')).toContain('113.10.246.30');
    expect(new Set(keys(ivyIndicators)).size).toBe(ivyIndicators.length);
    expect(ivy.skipped).toContainEqual(
      expect.objectContaining({
        reason: expect.stringMatching(/^indicator domain autuo\.xicp\.net not imported: must be a domain name/),
      }),
    );
  });

  it('CAP carries each indicator as a parameter', async () => {
    const alert = await (await fetch(`${t.baseUrl}/cap/alerts/${bulletin}.xml`)).text();
    const parameters = [...alert.matchAll(/<valueName>([^<]+)<\/valueName>\s*<value>([^<]*)<\/value>/g)].map(
      ([, name, value]) => `${name}:${value}`,
    );
    expect(parameters).toEqual(expect.arrayContaining(EXAMPLES.map(([type, , value]) => `${type}:${value}`)));
  });
});
