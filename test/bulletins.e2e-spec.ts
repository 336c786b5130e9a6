import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import {
  bulletinInput,
  BULLETIN_FIELDS,
  CREATE_BULLETIN,
  GET_BULLETIN,
  PUBLISH_BULLETIN,
  publishBulletin,
} from './helpers/bulletins';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';

const REVISE = `mutation($id: ID!, $input: BulletinInput!, $note: String!) { reviseBulletin(id: $id, input: $input, changeNote: $note) { ${BULLETIN_FIELDS} } }`;
const ACK = `mutation($id: ID!, $note: String) { acknowledgeBulletin(id: $id, note: $note) { id } }`;

describe('bulletins', () => {
  let t: TestApp;
  let analyst: TestUser;
  let colleague: TestUser;
  let reader: TestUser;
  let police: TestUser;
  let policeOrg: string;

  beforeAll(async () => {
    t = await startTestApp();
    const terminal = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM']);
    analyst = await member(t, terminal, MemberRole.ANALYST);
    colleague = await member(t, terminal, MemberRole.MEMBER);
    policeOrg = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM']);
    police = await member(t, policeOrg, MemberRole.ANALYST);
    reader = await member(
      t,
      await makeOrganisation(t, OrganisationType.SHIPPING_COMPANY, ['BEANR']),
      MemberRole.MEMBER,
    );
  });
  afterAll(() => t.close());

  it('keeps a draft inside the author organisation, then publishes it to the TLP audience', async () => {
    const created = await t.gql(CREATE_BULLETIN, { input: bulletinInput({ tlp: 'GREEN' }) }, analyst.token);
    expect(created.errors).toBeUndefined();
    const draft = created.data.createBulletin;
    expect(draft).toMatchObject({
      status: 'DRAFT',
      version: 0,
      indicators: [{ type: 'CONTAINER_NUMBER', value: 'CSQU3054383' }],
    });
    expect(codeOf(await t.gql(GET_BULLETIN, { id: draft.id }, colleague.token))).toBe('OK');
    expect(codeOf(await t.gql(GET_BULLETIN, { id: draft.id }, reader.token))).toBe('NOT_FOUND');

    const published = await t.gql(PUBLISH_BULLETIN, { id: draft.id }, analyst.token);
    expect(published.data.publishBulletin).toMatchObject({ status: 'PUBLISHED', version: 1 });
    expect((await t.gql(GET_BULLETIN, { id: draft.id }, reader.token)).data.bulletin.title).toBe(draft.title);
    expect(codeOf(await t.gql(PUBLISH_BULLETIN, { id: draft.id }, analyst.token))).toBe('CONFLICT');
  });

  it('lets only analysts and admins of the author organisation write', async () => {
    expect(codeOf(await t.gql(CREATE_BULLETIN, { input: bulletinInput() }, colleague.token))).toBe('FORBIDDEN');
    const id = await publishBulletin(t, analyst.token);
    const input = bulletinInput({ title: 'Changed' });
    expect(codeOf(await t.gql(REVISE, { id, input, note: 'x-change' }, police.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(REVISE, { id, input, note: 'x-change' }, colleague.token))).toBe('FORBIDDEN');
  });

  it('names the invalid indicator and the reason, and writes nothing', async () => {
    const [{ n: before }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM bulletins`);
    const r = await t.gql(
      CREATE_BULLETIN,
      {
        input: bulletinInput({
          indicators: [
            { type: 'IMO_NUMBER', value: '9074729' },
            { type: 'CONTAINER_NUMBER', value: 'CSQU3054384' },
          ],
        }),
      },
      analyst.token,
    );
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].extensions).toMatchObject({
      field: 'indicators[1].value',
      reason: 'the ISO 6346 check digit (the last, 4) should be 3 for CSQU305438: check the number for a typo',
    });
    const [{ n: after }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM bulletins`);
    expect(after).toBe(before);
  });

  it.each([
    [{ tlp: 'RED' }, 'recipientUserIds'],
    [{ tlp: 'AMBER', recipientUserIds: ['0b6e4f4e-8f7a-4a52-9d0e-0e4f4e8f7a4a'] }, 'recipientUserIds'],
    [{ recipientOrganisationIds: ['0b6e4f4e-8f7a-4a52-9d0e-0e4f4e8f7a4a'], tlp: 'AMBER' }, 'recipientOrganisationIds'],
    [{ validUntil: '2020-01-01T00:00:00Z' }, 'validUntil'],
    [{ ports: ['Rotterdam'] }, 'ports'],
  ])('refuses %j (BAD_USER_INPUT on %s)', async (overrides, field) => {
    const r = await t.gql(CREATE_BULLETIN, { input: bulletinInput(overrides) }, analyst.token);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    if (field !== 'ports') expect(r.errors![0].extensions!.field).toBe(field);
  });

  it('shows acknowledgements and named recipients to the author organisation only', async () => {
    const id = await publishBulletin(t, analyst.token, { tlp: 'AMBER', recipientOrganisationIds: [policeOrg] });
    expect(codeOf(await t.gql(ACK, { id, note: 'Seen, patrol informed' }, police.token))).toBe('OK');
    const seen = await t.gql(
      `query($id: ID!) { bulletin(id: $id) { acknowledgements { organisation { id } note } recipientOrganisationIds } }`,
      { id },
      analyst.token,
    );
    expect(seen.data.bulletin).toEqual({
      acknowledgements: [{ organisation: { id: policeOrg }, note: 'Seen, patrol informed' }],
      recipientOrganisationIds: [policeOrg],
    });
    const asRecipient = await t.gql(
      `query($id: ID!) { bulletin(id: $id) { recipientOrganisationIds } }`,
      { id },
      police.token,
    );
    expect(asRecipient.data.bulletin.recipientOrganisationIds).toEqual([]);
  });
});
