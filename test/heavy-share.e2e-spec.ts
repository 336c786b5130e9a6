/**
 * Heavy work takes turns per organisation (issue 26, item 2): cross-matches, imports, exports and
 * TAXII scans of one organisation hold at most HEAVY_OPERATIONS_PER_ORGANISATION places at once, on all
 * instances (Postgres advisory locks held by their transactions); one more is refused at once with
 * RATE_LIMITED and Retry-After, while another organisation's go ahead. And a request carries at most
 * GRAPHQL_MAX_ROOT_FIELDS root fields, so aliases cannot make one request into hundreds. The share is a
 * budget of time too: after heavy work the organisation's next rests for its part of the time it took
 * (HEAVY_WORK_BUSY_PERCENT). Refusals a looping script would repeat at once are held a second.
 */
import { Client } from 'pg';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { codeOf, GqlResult, startTestApp, TestApp } from './helpers/test-app';

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

  it("charges an organisation's heavy work to a budget of time, on every instance", async () => {
    const holderKey = `heavy:${busy.organisationId}`;
    const paidUntil = async () =>
      (
        await holder.query<{ paid_until: Date }>(`SELECT paid_until FROM heavy_work_budgets WHERE holder = $1`, [
          holderKey,
        ])
      ).rows[0]?.paid_until.getTime();
    const before = (await paidUntil()) ?? 0;
    expect((await t.gql(CROSS, SUBJECTS, busy.token)).data.crossMatchSubjects).toEqual([]);
    // Charged once the request ended, before its answer left: at 25% busy, four times the time it took.
    expect(await paidUntil()).toBeGreaterThan(Math.max(before, Date.now() - 1000));

    // Past the burst (as after long imports): refused with when to come back, others unaffected.
    await holder.query(`UPDATE heavy_work_budgets SET paid_until = now() + interval '11 seconds' WHERE holder = $1`, [
      holderKey,
    ]);
    const refused = await t.gql(CROSS, SUBJECTS, busy.token);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(refused.errors![0].message).toMatch(/used its share of time for cross-matches/);
    // 11 s ahead, 6 s (a 2 s burst's rests at 25%) tolerated: back in 5.
    expect(refused.errors![0].extensions).toMatchObject({ retryAfter: 5 });
    expect((await t.gql(CROSS, SUBJECTS, other.token)).data.crossMatchSubjects).toEqual([]);
    // Refused before its arguments are read: a thousand subjects are not coerced to learn it is refused.
    const unread = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${busy.token}` },
      body: JSON.stringify({ query: CROSS, variables: { subjects: [{ documentNumber: 7 }] } }),
    });
    expect(unread.status).toBe(429);
    expect(unread.headers.get('retry-after')).toMatch(/^[45]$/); // a second later (the refusal above was held)
    expect(codeOf((await unread.json()) as GqlResult)).toBe('RATE_LIMITED');
    const importing = await t.gql(
      `mutation($b: JSONObject!) { importStixBundle(bundle: $b) { drafts { id } } }`,
      { b: 'not a bundle' },
      busy.token,
    );
    expect(codeOf(importing)).toBe('RATE_LIMITED');

    // Within the burst: goes ahead.
    await holder.query(`UPDATE heavy_work_budgets SET paid_until = now() + interval '5 seconds' WHERE holder = $1`, [
      holderKey,
    ]);
    expect((await t.gql(CROSS, SUBJECTS, busy.token)).data.crossMatchSubjects).toEqual([]);
  });

  it('holds a second the refusals a looping script would repeat at once', async () => {
    await holder.query(`UPDATE heavy_work_budgets SET paid_until = now() + interval '6.5 seconds' WHERE holder = $1`, [
      `heavy:${busy.organisationId}`,
    ]);
    let started = performance.now();
    const rested = await t.gql(CROSS, SUBJECTS, busy.token);
    expect(rested.errors![0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 1 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);

    const aliases = Array.from({ length: 21 }, (_, i) => `m${i}: me { user { id } }`).join(' ');
    started = performance.now();
    expect(codeOf(await t.gql(`{ ${aliases} }`, {}, busy.token))).toBe('BAD_USER_INPUT');
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
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
