import { iso6346CheckDigit } from '../../src/bulletins/indicators';
import { GqlResult, TestApp } from './test-app';

export const BULLETIN_FIELDS = `id status version title tlp category severity ports validUntil publishedAt
  authorOrganisation { id name } indicators { type value } recipientOrganisationIds recipientUserIds`;

export const CREATE_BULLETIN = `mutation($input: BulletinInput!) { createBulletin(input: $input) { ${BULLETIN_FIELDS} } }`;
export const PUBLISH_BULLETIN = `mutation($id: ID!) { publishBulletin(id: $id) { ${BULLETIN_FIELDS} } }`;
export const GET_BULLETIN = `query($id: ID!) { bulletin(id: $id) { ${BULLETIN_FIELDS} } }`;

export function bulletinInput(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Crane driver approached at Maasvlakte',
    summary: 'A crane driver reported being offered money to move a container out of sequence.',
    body: '## What happened\nApproached outside gate 4.',
    category: 'INSIDER_THREAT',
    severity: 'SEVERE',
    urgency: 'IMMEDIATE',
    certainty: 'LIKELY',
    ports: ['NLRTM'],
    tlp: 'GREEN',
    indicators: [{ type: 'CONTAINER_NUMBER', value: 'CSQU 305438-3' }],
    ...overrides,
  };
}

/** Creates and publishes a bulletin; returns its id. */
export async function publishBulletin(
  t: TestApp,
  token: string,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const created: GqlResult = await t.gql(CREATE_BULLETIN, { input: bulletinInput(overrides) }, token);
  if (!created.data?.createBulletin) throw new Error(`createBulletin failed: ${JSON.stringify(created.errors)}`);
  const published: GqlResult = await t.gql(PUBLISH_BULLETIN, { id: created.data.createBulletin.id }, token);
  if (!published.data?.publishBulletin) throw new Error(`publishBulletin failed: ${JSON.stringify(published.errors)}`);
  return created.data.createBulletin.id;
}

let containerSerial = 100000;
/** A valid ISO 6346 container number, different on every call, so that searches find one bulletin. */
export function uniqueContainerNumber(owner = 'HWTU'): string {
  const base = `${owner}${String(containerSerial++).padStart(6, '0')}`;
  return `${base}${iso6346CheckDigit(base)}`;
}
