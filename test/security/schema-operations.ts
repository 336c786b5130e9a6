import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  getNamedType,
  GraphQLArgument,
  GraphQLEnumType,
  GraphQLField,
  GraphQLInputObjectType,
  GraphQLScalarType,
  isObjectType,
} from 'graphql';
import { bulletinInput } from '../helpers/bulletins';

/** The committed schema: the attack suites cover every operation in it, new ones included. */
export const schema = buildSchema(readFileSync(join(__dirname, '..', '..', 'schema.graphql'), 'utf8'));

export type Operation = GraphQLField<unknown, unknown>;

/** A WebAuthn answer's shape; no signature of it is ever valid. */
const WEBAUTHN_ANSWER = { id: 'AAAA', rawId: 'AAAA', type: 'public-key', response: {}, clientExtensionResults: {} };

/** Valid values for input objects, so validation passes and what is under test answers. */
const INPUT_FIXTURES: Record<string, () => unknown> = {
  BulletinInput: () => bulletinInput(),
  SharingRuleInput: () => ({ subject: 'BULLETIN', maxTlp: 'AMBER', audience: { organisationTypes: ['POLICE'] } }),
  AlertSubscriptionInput: () => ({ name: 'Everything', channels: ['EMAIL'], mode: 'IMMEDIATE' }),
  MachineClientInput: () => ({ name: 'MISP', maxTlp: 'GREEN' }),
  WebhookInput: () => ({ name: 'SIEM', url: 'https://siem.example.eu/hook', maxTlp: 'GREEN' }),
  SavedViewInput: () => ({ name: 'Taken over', query: 'tlp=RED', shared: true }),
  SightingInput: () => ({
    bulletinId: '3f1f8f2e-0000-4000-8000-000000000000',
    indicatorType: 'CONTAINER_NUMBER',
    value: 'CSQU3054383',
    kind: 'SEEN',
    port: 'NLRTM',
    seenAt: new Date().toISOString(),
  }),
  PasskeyAssertionInput: () => ({ challengeId: '3f1f8f2e-0000-4000-8000-000000000000', response: WEBAUTHN_ANSWER }),
  IdentityProviderInput: () => ({
    issuer: 'https://idp.example.eu',
    clientId: 'harbourwatch',
    clientAuth: 'private_key_jwt',
    domains: ['example.eu'],
  }),
};

/** A valid value for an argument; an id is one that exists nowhere. */
export function sampleValue(arg: GraphQLArgument): unknown {
  // Well-formed where the server checks the form, so that validation does not answer before the lookup.
  const byName: Record<string, unknown> = { email: 'someone@example.eu', endedOn: '2026-01-31' };
  if (arg.name in byName) return byName[arg.name];
  const named = getNamedType(arg.type);
  if (named instanceof GraphQLEnumType) return named.getValues()[0].value;
  if (named instanceof GraphQLInputObjectType) {
    const fixture = INPUT_FIXTURES[named.name];
    if (!fixture) throw new Error(`No fixture for input ${named.name}: add one to INPUT_FIXTURES`);
    return fixture();
  }
  if (named instanceof GraphQLScalarType) {
    const samples: Record<string, unknown> = {
      ID: '3f1f8f2e-0000-4000-8000-000000000000',
      String: 'a valid value',
      Int: 1,
      Float: 1,
      Boolean: false,
      DateTime: new Date(Date.now() + 86_400_000).toISOString(),
      JSONObject: WEBAUTHN_ANSWER,
    };
    if (named.name in samples) return samples[named.name];
  }
  throw new Error(`No sample for ${String(named)}`);
}

/** A document calling `field` with every argument as a variable of the same name. */
export function documentFor(kind: 'query' | 'mutation', field: Operation): string {
  const vars = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
  return `${kind}${vars ? `(${vars})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`;
}
