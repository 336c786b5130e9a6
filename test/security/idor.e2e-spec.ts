/**
 * IDOR sweep, generated from schema.graphql: every query and mutation that takes an id is called by an
 * organisation admin of A with the id of an object of organisation B (or one A's members may not
 * see). Each must answer NOT_FOUND, exactly as for an id that does not exist. A new operation is
 * covered as soon as it is in the schema; one whose target cannot be inferred fails the sweep until
 * TARGET_OVERRIDES names it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema, getNamedType, GraphQLArgument, GraphQLEnumType, GraphQLField, GraphQLInputObjectType, GraphQLNonNull,
  GraphQLObjectType, GraphQLScalarType, isListType, isNonNullType, isObjectType,
} from 'graphql';
import { MemberRole, OrganisationType } from '../../src/organisations/organisation-type';
import { makeOrganisation, member, TestUser } from '../helpers/factory';
import { bulletinInput, publishBulletin } from '../helpers/bulletins';
import { platformAdmin } from '../helpers/platform-admin';
import { codeOf, startTestApp, TestApp } from '../helpers/test-app';
import { printSummary } from './summary';

type Target = 'Bulletin' | 'SharingRule' | 'Organisation' | 'User';

/** Operations whose target type neither the return type nor the name reveals. */
const TARGET_OVERRIDES: Record<string, Target> = { whoCanSee: 'Bulletin' };

/** Operations whose id is not a lookup of someone's object, and why. */
const NOT_LOOKUPS: Record<string, string> = {
  login: "organisationId picks one of the caller's own memberships, after the password check",
};

/** Valid values for input objects, so validation passes and the lookup itself is what answers. */
const INPUT_FIXTURES: Record<string, () => unknown> = {
  BulletinInput: () => bulletinInput(),
  SharingRuleInput: () => ({ subject: 'BULLETIN', maxTlp: 'AMBER', audience: { organisationTypes: ['POLICE'] } }),
};

const schema = buildSchema(readFileSync(join(__dirname, '..', '..', 'schema.graphql'), 'utf8'));

function isIdArg(arg: GraphQLArgument): boolean {
  const type = isNonNullType(arg.type) ? arg.type.ofType : arg.type;
  return !isListType(type) && getNamedType(type).name === 'ID';
}

function targetOf(field: GraphQLField<unknown, unknown>, arg: GraphQLArgument): Target | undefined {
  if (arg.name === 'userId') return 'User';
  if (TARGET_OVERRIDES[field.name]) return TARGET_OVERRIDES[field.name];
  const named = getNamedType(field.type).name;
  for (const t of ['SharingRule', 'Bulletin', 'Organisation'] as Target[]) {
    if (named === t || field.name.toLowerCase().includes(t.toLowerCase())) return t;
  }
  return undefined;
}

function sampleValue(arg: GraphQLArgument): unknown {
  const named = getNamedType(arg.type);
  if (named instanceof GraphQLEnumType) return named.getValues()[0].value;
  if (named instanceof GraphQLInputObjectType) {
    const fixture = INPUT_FIXTURES[named.name];
    if (!fixture) throw new Error(`No fixture for input ${named.name}: add one to INPUT_FIXTURES`);
    return fixture();
  }
  if (named instanceof GraphQLScalarType) {
    return ({ String: 'a valid value', Int: 1, Float: 1, Boolean: false, DateTime: new Date(Date.now() + 86_400_000).toISOString() } as Record<string, unknown>)[named.name];
  }
  throw new Error(`No sample for ${String(named)}`);
}

function documentFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): string {
  const vars = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
  return `${kind}${vars ? `(${vars})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`;
}

describe('IDOR sweep over every operation that takes an id', () => {
  let t: TestApp;
  let attacker: TestUser;
  const foreign = {} as Record<Target, string>;
  const operations: { kind: 'query' | 'mutation'; field: GraphQLField<unknown, unknown> }[] = [];
  for (const [kind, type] of [['query', schema.getQueryType()], ['mutation', schema.getMutationType()]] as const) {
    for (const field of Object.values((type as GraphQLObjectType).getFields())) {
      if (field.args.some(isIdArg) && !NOT_LOOKUPS[field.name]) operations.push({ kind, field });
    }
  }
  let leaks = 0;

  beforeAll(async () => {
    t = await startTestApp();
    attacker = await member(t, await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM']), MemberRole.ORG_ADMIN);
    const orgB = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM']);
    const analystB = await member(t, orgB, MemberRole.ANALYST);
    const adminB = await member(t, orgB, MemberRole.ORG_ADMIN);
    foreign.Bulletin = await publishBulletin(t, analystB.token, { tlp: 'AMBER_STRICT' });
    foreign.User = analystB.id;
    const rule = await t.gql(`mutation($i: SharingRuleInput!) { createSharingRule(input: $i) { id } }`,
      { i: INPUT_FIXTURES.SharingRuleInput() }, adminB.token);
    foreign.SharingRule = rule.data.createSharingRule.id;
    foreign.Organisation = await makeOrganisation(t, OrganisationType.OTHER);
    await t.gql(`mutation($id: ID!) { suspendOrganisation(id: $id, reason: "sweep target") { id } }`, { id: foreign.Organisation }, await platformAdmin(t));
  });
  afterAll(async () => {
    printSummary(`idor: ${operations.length} operations, ${leaks} leaks`);
    await t.close();
  });

  it('finds the operations to sweep in the schema', () => {
    expect(operations.map((o) => o.field.name)).toEqual(expect.arrayContaining(['bulletin', 'publishBulletin', 'removeMember', 'deleteSharingRule', 'whoCanSee']));
  });

  it.each(operations.map((o) => [o.field.name, o] as const))('%s answers NOT_FOUND for a foreign id', async (_name, { kind, field }) => {
    const variables: Record<string, unknown> = {};
    for (const arg of field.args) {
      if (isIdArg(arg)) {
        const target = targetOf(field, arg);
        if (!target) throw new Error(`Cannot tell what ${field.name}(${arg.name}) refers to: add it to TARGET_OVERRIDES`);
        variables[arg.name] = foreign[target];
      } else if (arg.type instanceof GraphQLNonNull || arg.defaultValue === undefined) {
        if (arg.type instanceof GraphQLNonNull) variables[arg.name] = sampleValue(arg);
      }
    }
    const code = codeOf(await t.gql(documentFor(kind, field), variables, attacker.token));
    if (code !== 'NOT_FOUND') leaks++;
    expect(code).toBe('NOT_FOUND');
  });
});
