/**
 * Property-based fuzzing of every mutation that takes arguments, from schema.graphql: 1,000 inputs in
 * which one argument is malformed (wrong type, huge or odd unicode string, deep nesting, SQL and HTML
 * fragments). Each must get a GraphQL error with a code from the closed set, never INTERNAL, never an
 * HTTP 500, and no row may change anywhere.
 */
import fc from 'fast-check';
import { coerceInputValue, getNamedType, GraphQLInputType, isEnumType, isNonNullType } from 'graphql';
import { ERROR_CODES } from '../../src/common/errors';
import { MemberRole, OrganisationType } from '../../src/common/organisation-type';
import { makeOrganisation, member, TestUser } from '../helpers/factory';
import { startTestApp, TestApp } from '../helpers/test-app';
import { documentFor, sampleValue, schema } from './schema-operations';
import { printSummary } from './summary';

const mutations = Object.values(schema.getMutationType()!.getFields()).filter((f) => f.args.length > 0);

const NASTY = [
  "'; DROP TABLE users; --",
  '1 OR 1=1',
  '$1',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '\u0000',
  '\uD800',
  '\u202Eevil',
  '🚢🇳🇱',
  'ﷺ'.repeat(50),
  '\u200B',
  '../../etc/passwd',
  '%00',
  '{{7*7}}',
  '${7*7}',
];

/** Whether `value` is a well-typed value of a type that has no content to validate (Boolean, Int, Float, enums). */
/** Ids that are not UUIDs: an integer there (or a list of them) is a well-formed id, not a malformed input. */
const NUMERIC_IDS = new Set(['markCorrelationNoticesSeen.ids']);
const numericIds = (value: unknown) =>
  (Array.isArray(value) ? value : [value]).every((v) => typeof v !== 'object' && /^\d{1,18}$/.test(String(v)));

function typeValid(value: unknown, type: GraphQLInputType): boolean {
  // Leaving out an optional argument is not malformed either.
  if ((value === null || value === undefined) && !isNonNullType(type)) return true;
  const named = getNamedType(type);
  if (!isEnumType(named) && !['Boolean', 'Int', 'Float'].includes(named.name)) return false;
  try {
    coerceInputValue(value, type);
    return true;
  } catch {
    return false;
  }
}

const malformed: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.constantFrom(...NASTY),
    fc.integer({ min: 1000, max: 100_000 }).map((n) => 'A'.repeat(n)),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ maxLength: 20 }), tie('value'), { maxKeys: 5 }),
    fc.integer({ min: 20, max: 200 }).map((depth) => {
      let v: unknown = 'bottom';
      for (let i = 0; i < depth; i++) v = { nested: v };
      return v;
    }),
  ),
})).value;

describe('fuzzing every mutation input', () => {
  let t: TestApp;
  let attacker: TestUser;
  let inputs = 0;
  let internal = 0;

  // A wrong password given to unlockCaseKeys is a failed sign-in: recorded, as it must be, not a change.
  const rowCounts = async () =>
    (
      await t.dataSource.query(
        `SELECT string_agg(t || '=' || n, ',' ORDER BY t) AS counts FROM (
         SELECT 'organisations' t, count(*) n FROM organisations UNION ALL SELECT 'users', count(*) FROM users
         UNION ALL SELECT 'memberships', count(*) FROM memberships UNION ALL SELECT 'invitations', count(*) FROM invitations
         UNION ALL SELECT 'sessions', count(*) FROM sessions UNION ALL SELECT 'refresh_tokens', count(*) FROM refresh_tokens
         UNION ALL SELECT 'sharing_rules', count(*) FROM sharing_rules UNION ALL SELECT 'bulletins', count(*) FROM bulletins
         UNION ALL SELECT 'bulletin_versions', count(*) FROM bulletin_versions UNION ALL SELECT 'bulletin_indicators', count(*) FROM bulletin_indicators
         UNION ALL SELECT 'bulletin_acknowledgements', count(*) FROM bulletin_acknowledgements UNION ALL SELECT 'audit_events', count(*) FROM audit_events WHERE action <> 'loginFailed'
         UNION ALL SELECT 'vetting_records', count(*) FROM vetting_records UNION ALL SELECT 'whistleblower_cases', count(*) FROM whistleblower_cases
         UNION ALL SELECT 'whistleblower_messages', count(*) FROM whistleblower_messages UNION ALL SELECT 'case_keys', count(*) FROM case_keys
         UNION ALL SELECT 'case_handlers', count(*) FROM case_handlers UNION ALL SELECT 'machine_clients', count(*) FROM machine_clients
         UNION ALL SELECT 'bulletin_responses', count(*) FROM bulletin_responses UNION ALL SELECT 'indicator_sightings', count(*) FROM indicator_sightings
         UNION ALL SELECT 'case_bulletins', count(*) FROM case_bulletins UNION ALL SELECT 'webhooks', count(*) FROM webhooks
         UNION ALL SELECT 'saved_views', count(*) FROM saved_views) c`,
      )
    )[0].counts;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT: '100000' });
    attacker = await member(t, await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR), MemberRole.ORG_ADMIN);
  });
  afterAll(async () => {
    printSummary(`fuzz: ${inputs} inputs, ${internal} internal errors`);
    await t.close();
  });

  it('answers 1,000 malformed inputs with clean errors and changes nothing', async () => {
    const before = await rowCounts();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...mutations), fc.nat(), malformed, async (field, which, generated) => {
        const target = field.args[which % field.args.length];
        // Judged as the server receives it: JSON sends -Infinity as null, a valid absent optional argument.
        const bad: unknown = JSON.parse(JSON.stringify(generated));
        // A valid flag, number or enum value is not a malformed input: nothing to refuse.
        fc.pre(!typeValid(bad, target.type));
        fc.pre(!(NUMERIC_IDS.has(`${field.name}.${target.name}`) && numericIds(bad)));
        const variables = Object.fromEntries(field.args.map((a) => [a.name, a === target ? bad : sampleValue(a)]));
        const res = await fetch(`${t.baseUrl}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${attacker.token}` },
          body: JSON.stringify({ query: documentFor('mutation', field), variables }),
        });
        inputs++;
        const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
        const codes = (body.errors ?? []).map((e) => e.extensions?.code ?? 'NONE');
        if (res.status >= 500 || codes.includes('INTERNAL')) internal++;
        expect(res.status).toBeLessThan(500);
        expect(codes.length).toBeGreaterThan(0);
        for (const code of codes) expect(ERROR_CODES.has(code) && code !== 'INTERNAL').toBe(true);
      }),
      { numRuns: 1000, seed: 20261125, endOnFailure: true },
    );
    expect(await rowCounts()).toBe(before);
  }, 300_000);
});
