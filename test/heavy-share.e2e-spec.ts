/**
 * Heavy work takes turns per organisation (issue 26, item 2): cross-matches, imports, exports and
 * TAXII scans of one organisation hold at most HEAVY_OPERATIONS_PER_ORGANISATION places at once, on all
 * instances (Postgres advisory locks held by their transactions); one more is refused at once with
 * RATE_LIMITED and Retry-After, while another organisation's go ahead. And a request carries at most
 * GRAPHQL_MAX_ROOT_FIELDS root fields, so aliases cannot make one request into hundreds.
 */
import { Client } from 'pg';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';

const CROSS = `query($subjects: [VettingSubjectKeyInput!]!) { crossMatchSubjects(subjects: $subjects) { index } }`;
const SUBJECTS = { subjects: [{ documentNumber: 'NX1234567', issuingCountry: 'NL' }] };

describe('heavy work per organisation', () => {
  let t: TestApp;
  let busy: TestUser;
  let other: TestUser;
  let holder: Client;

  beforeAll(async () => {
    t = await startTestApp({ HEAVY_OPERATIONS_PER_ORGANISATION: '2', GRAPHQL_MAX_ROOT_FIELDS: '20' });
    busy = await member(t, await makeOrganisation(t, OrganisationType.PORT_AUTHORITY), MemberRole.ANALYST);
    other = await member(t, await makeOrganisation(t, OrganisationType.POLICE), MemberRole.ANALYST);
    holder = new Client({ connectionString: t.urls.owner });
    await holder.connect();
  });
  afterAll(async () => {
    await holder.end();
    await t.close();
  });

  /** What two long cross-matches of the busy organisation hold while they run. */
  const occupy = (slots: number[]) =>
    Promise.all(
      slots.map((s) =>
        holder.query(`SELECT pg_advisory_lock(hashtextextended($1, $2))`, [`heavy:${busy.organisationId}`, s]),
      ),
    );

  it("refuses an organisation's heavy work beyond its share at once, and lets another organisation's run", async () => {
    await occupy([0, 1]);
    try {
      const refused = await t.gql(CROSS, SUBJECTS, busy.token);
      expect(codeOf(refused)).toBe('RATE_LIMITED');
      expect(refused.errors![0].message).toMatch(
        /as many cross-matches, imports, exports or feed scans as it may at once \(2\)/,
      );
      expect(refused.errors![0].extensions).toMatchObject({ retryAfter: 1 });
      expect((await t.gql(CROSS, SUBJECTS, other.token)).data.crossMatchSubjects).toEqual([]);

      const res = await fetch(`${t.baseUrl}/taxii2/api/collections`, {
        headers: { authorization: `Bearer ${busy.token}`, accept: 'application/taxii+json;version=2.1' },
      });
      const collections = (await res.json()) as { collections: { id: string; can_read: boolean }[] };
      const readable = collections.collections.find((c) => c.can_read)!;
      const scan = await fetch(`${t.baseUrl}/taxii2/api/collections/${readable.id}/objects`, {
        headers: { authorization: `Bearer ${busy.token}`, accept: 'application/taxii+json;version=2.1' },
      });
      expect(scan.status).toBe(429);
      expect(scan.headers.get('retry-after')).toBe('1');
    } finally {
      await holder.query(`SELECT pg_advisory_unlock_all()`);
    }
    // One place free again: the same work goes through.
    await occupy([0]);
    try {
      expect((await t.gql(CROSS, SUBJECTS, busy.token)).data.crossMatchSubjects).toEqual([]);
    } finally {
      await holder.query(`SELECT pg_advisory_unlock_all()`);
    }
  });

  it('refuses more than GRAPHQL_MAX_ROOT_FIELDS root fields, aliases and fragments counted', async () => {
    const aliases = (n: number) => Array.from({ length: n }, (_, i) => `m${i}: me { user { id } }`).join(' ');
    expect((await t.gql(`{ ${aliases(20)} }`, {}, busy.token)).errors).toBeUndefined();
    const tooMany = await t.gql(
      `{ ${aliases(15)} ...more } fragment more on Query { ${aliases(6).replace(/m(\d)/g, 'x$1')} }`,
      {},
      busy.token,
    );
    expect(codeOf(tooMany)).toBe('BAD_USER_INPUT');
    expect(tooMany.errors![0].message).toBe(
      'A request may ask for at most 20 fields at its root (aliases count), not 21: send several requests',
    );
    const crossMatches = Array.from(
      { length: 300 },
      (_, i) => `c${i}: crossMatchSubjects(subjects: $subjects) { index }`,
    );
    const aliased = await t.gql(
      `query($subjects: [VettingSubjectKeyInput!]!) { ${crossMatches.join(' ')} }`,
      SUBJECTS,
      busy.token,
    );
    expect(codeOf(aliased)).toBe('BAD_USER_INPUT');
  });
});
