import { MemberRole, OrganisationType } from '../../src/organisations/organisation-type';
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
    user = await member(t, await makeOrganisation(t, OrganisationType.POLICE), MemberRole.MEMBER);
  });
  afterAll(() => t.close());

  it('refuses a document above the cost limit before running it', async () => {
    const r = await t.gql(`{ a: organisations(first: 100) { edges { node { id name type ports } } } b: organisations(first: 100) { edges { node { id name } } } }`, {}, user.token);
    expect(refused(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toMatch(/too expensive/);
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
});

describe('GraphQL in production', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-secret-of-at-least-32-characters',
      ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      VETTING_PSEUDONYM_KEY: Buffer.alloc(32, 8).toString('base64'),
    });
  });
  afterAll(() => t.close());

  it('has introspection off unless GRAPHQL_INTROSPECTION=true', async () => {
    const r = await t.gql(`{ __schema { queryType { name } } }`);
    expect(refused(r)).toBe('BAD_USER_INPUT');
  });
});
