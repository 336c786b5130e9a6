import { MemberRole, OrganisationType } from '../../src/common/organisation-type';
import { makeOrganisation, member, TestUser } from '../helpers/factory';
import { codeOf, GqlResult, startTestApp, TestApp } from '../helpers/test-app';
import { printSummary } from './summary';

let cases = 0;
let accepted = 0;
/** Counts an abusive document: it must be refused with BAD_USER_INPUT. */
function refused(r: GqlResult): string {
  cases++;
  if (codeOf(r) !== 'BAD_USER_INPUT') accepted++;
  return codeOf(r);
}
afterAll(() => printSummary(`limits: ${cases} abusive documents, ${accepted} accepted`));

describe('GraphQL limits', () => {
  let t: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    t = await startTestApp({ GRAPHQL_MAX_COST: '500' });
    // An admin reaches every operation below, so each refusal is the limit's, not the role's.
    user = await member(t, await makeOrganisation(t, OrganisationType.POLICE), MemberRole.ORG_ADMIN);
  });
  afterAll(() => t.close());

  it('refuses a document above the cost limit before running it', async () => {
    const r = await t.gql(
      `{ a: organisations(first: 100) { edges { node { id name type ports } } } b: organisations(first: 100) { edges { node { id name } } } }`,
      {},
      user.token,
    );
    expect(refused(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toMatch(/too expensive/);
  });

  it('weighs a list argument by its length: two cross-matches of 400 subjects cost 800, one costs 400', async () => {
    const subjects = Array.from({ length: 400 }, (_, i) => ({ issuingCountry: 'NL', documentNumber: `X${i}` }));
    const query = (aliases: number) =>
      `query($s: [VettingSubjectKeyInput!]!) { ${Array.from({ length: aliases }, (_, i) => `m${i}: crossMatchSubjects(subjects: $s) { index }`).join(' ')} }`;
    const two = await t.gql(query(2), { s: subjects }, user.token);
    expect(refused(two)).toBe('BAD_USER_INPUT');
    expect(two.errors![0].message).toBe('Query is too expensive: cost 802 exceeds the limit of 500');
    expect((await t.gql(query(1), { s: subjects }, user.token)).errors?.[0]?.message ?? '').not.toMatch(/expensive/);
  });

  it('refuses batched requests', async () => {
    const res = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
      body: JSON.stringify([{ query: '{ me { role } }' }, { query: '{ me { role } }' }]),
    });
    cases++;
    if (res.status !== 400) accepted++;
    expect(res.status).toBe(400);
  });

  it('answers a syntax error with BAD_USER_INPUT and no internals', async () => {
    const r = await t.gql(`{ me { `, {}, user.token);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(r)).not.toMatch(/stacktrace|node_modules/);
  });

  it('allows introspection outside production', async () => {
    expect(codeOf(await t.gql(`{ __schema { queryType { name } } }`, {}, user.token))).toBe('OK');
  });

  it("stops introspection nesting (inline and through fragments) while a client generator's introspection passes", async () => {
    const typeRef = `kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } }`;
    const generator = `{ __schema { types { name fields(includeDeprecated: true) { name args { name type { ${typeRef} } } type { ${typeRef} } } } } }`;
    expect(codeOf(await t.gql(generator, {}, user.token))).toBe('OK');
    let nested = 'name';
    for (let i = 0; i < 1000; i++) nested = `ofType { ${nested} }`;
    const inline = await t.gql(`{ __schema { types { ${nested} } } }`, {}, user.token);
    expect(refused(inline)).toBe('BAD_USER_INPUT');
    expect(inline.errors![0].message).toMatch(/Introspection nests/);
    const chain = Array.from(
      { length: 40 },
      (_, i) => `fragment F${i} on __Type { fields { type { ...F${i + 1} } } }`,
    ).join('\n');
    const fanOut = await t.gql(
      `{ __schema { types { ...F0 } } }\n${chain}\nfragment F40 on __Type { name }`,
      {},
      user.token,
    );
    expect(refused(fanOut)).toBe('BAD_USER_INPUT');
  });

  it('refuses NUL characters in every kind of text argument, before and after authentication', async () => {
    const nul = 'nul\u0000byte';
    const documents: [string, Record<string, unknown>, string | undefined][] = [
      [
        `mutation($e: String!) { login(email: $e, password: "irrelevant-password") { accessToken } }`,
        { e: nul },
        undefined,
      ],
      [`query($t: String!) { bulletins(first: 5, filter: { text: $t }) { totalCount } }`, { t: nul }, user.token],
      [
        `query($a: String!) { auditEvents(first: 5, filter: { action: $a }) { edges { cursor } } }`,
        { a: nul },
        user.token,
      ],
      [`query($v: String!) { searchIndicators(value: $v) { bulletin { id } } }`, { v: nul }, user.token],
    ];
    for (const [query, variables, token] of documents) {
      const r = await t.gql(query, variables, token);
      expect([query, refused(r)]).toEqual([query, 'BAD_USER_INPUT']);
    }
  });

  it('refuses input nested deeper than any argument needs before walking it', async () => {
    // Written as text: serialising 5,000 levels would overflow the test's own stack.
    const deep = `${'{"x":'.repeat(5000)}{"leaf":true}${'}'.repeat(5000)}`;
    const query = JSON.stringify(`mutation($b: JSONObject!) { importStixBundle(bundle: $b) { drafts { id } } }`);
    const res = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
      body: `{"query":${query},"variables":{"b":${deep}}}`,
    });
    const r = (await res.json()) as GqlResult;
    expect(refused(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toMatch(/nested more than/);
  });
});

describe('GraphQL depth limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ GRAPHQL_MAX_DEPTH: '2' });
  });
  afterAll(() => t.close());

  it('refuses a document deeper than the limit before authenticating or running it', async () => {
    const r = await t.gql(`{ me { memberships { organisation { id } } } }`);
    expect(refused(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toMatch(/depth/);
  });

  it('refuses a document nested past what the parser can follow, in words, not with an internal error', async () => {
    const r = await t.gql(`{ ${'me { '.repeat(3000)}id${' }'.repeat(3000)} }`);
    expect(refused(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toBe('The query is nested too deeply');
  });
});

describe('GraphQL in production', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-secret-of-at-least-32-characters',
      ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      VETTING_PSEUDONYM_KEY: Buffer.alloc(32, 8).toString('base64'),
      AUDIT_SIGNING_KEY: Buffer.alloc(32, 9).toString('base64'),
      INSTANCE_SIGNING_KEY: Buffer.alloc(32, 10).toString('base64'),
    });
  });
  afterAll(() => t.close());

  it('has introspection off unless GRAPHQL_INTROSPECTION=true', async () => {
    const r = await t.gql(`{ __schema { queryType { name } } }`);
    expect(refused(r)).toBe('BAD_USER_INPUT');
  });
});
