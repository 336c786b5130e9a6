/**
 * IDOR sweep, generated from schema.graphql: every query and mutation that takes an id is called by an
 * organisation admin of A with the id of an object of organisation B (or one A's members may not
 * see). Each must answer NOT_FOUND, exactly as for an id that does not exist. A new operation is
 * covered as soon as it is in the schema; one whose target cannot be inferred fails the sweep until
 * TARGET_OVERRIDES names it.
 */
import { getNamedType, GraphQLArgument, GraphQLNonNull, GraphQLObjectType, isListType, isNonNullType } from 'graphql';
import { MemberRole, OrganisationType } from '../../src/common/organisation-type';
import { makeOrganisation, member, TestUser } from '../helpers/factory';
import { publishBulletin } from '../helpers/bulletins';
import { CASES, OPT_IN, submitReport } from '../helpers/whistleblowing';
import { platformAdmin } from '../helpers/platform-admin';
import { codeOf, startTestApp, TestApp } from '../helpers/test-app';
import { documentFor, Operation, sampleValue, schema } from './schema-operations';
import { printSummary } from './summary';

type Target =
  | 'Bulletin'
  | 'SharingRule'
  | 'Organisation'
  | 'User'
  | 'AlertSubscription'
  | 'VettingRecord'
  | 'WhistleblowerCase'
  | 'Session'
  | 'Invitation'
  | 'NotificationDelivery'
  | 'MachineClient'
  | 'WebhookDelivery'
  | 'Webhook'
  | 'SavedView'
  | 'IdentityProvider'
  | 'Passkey'
  | 'PasskeyChallenge'
  | 'CorrelationExclusion'
  | 'Peer';

/** Operations whose target type neither the return type nor the name reveals. */
const TARGET_OVERRIDES: Record<string, Target> = {
  whoCanSee: 'Bulletin',
  audiencePreview: 'Bulletin',
  recipientDirectory: 'Organisation',
  endSession: 'Session',
  replyToReporter: 'WhistleblowerCase',
  setCaseStatus: 'WhistleblowerCase',
  referCase: 'WhistleblowerCase',
  draftBulletinFromCase: 'WhistleblowerCase',
  retryNotification: 'NotificationDelivery',
  webhookDeliveries: 'Webhook',
  registerPasskey: 'PasskeyChallenge',
};

/** Operations whose id is not a lookup of someone's object, and why. */
const NOT_LOOKUPS: Record<string, string> = {
  login: "organisationId picks one of the caller's own memberships, after the password check",
  signInWithPasskey:
    "challengeId is a one-use challenge anyone may ask for; organisationId picks one of the passkey owner's memberships after the passkey check",
};

function isIdArg(arg: GraphQLArgument): boolean {
  const type = isNonNullType(arg.type) ? arg.type.ofType : arg.type;
  return !isListType(type) && getNamedType(type).name === 'ID';
}

function targetOf(field: Operation, arg: GraphQLArgument): Target | undefined {
  if (arg.name === 'userId') return 'User';
  if (TARGET_OVERRIDES[field.name]) return TARGET_OVERRIDES[field.name];
  if (arg.name === 'organisationId') return 'Organisation';
  const named = getNamedType(field.type).name;
  for (const t of [
    'AlertSubscription',
    'SharingRule',
    'Bulletin',
    'VettingRecord',
    'WhistleblowerCase',
    'Organisation',
    'Invitation',
    'MachineClient',
    'WebhookDelivery',
    'Webhook',
    'SavedView',
    'IdentityProvider',
    'Passkey',
    'CorrelationExclusion',
    'Peer',
  ] as Target[]) {
    if (named === t || field.name.toLowerCase().includes(t.toLowerCase())) return t;
  }
  return undefined;
}

describe('IDOR sweep over every operation that takes an id', () => {
  let t: TestApp;
  let attacker: TestUser;
  const foreign = {} as Record<Target, string>;
  const operations: { kind: 'query' | 'mutation'; field: Operation }[] = [];
  for (const [kind, type] of [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const) {
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
    foreign.Session = (await t.gql(`{ mySessions { id } }`, {}, analystB.token)).data.mySessions[0].id;
    // An e-mail to a member of B that failed after its last retry.
    [{ id: foreign.NotificationDelivery }] = await t.dataSource.query(
      `INSERT INTO notification_deliveries (bulletin_id, version, kind, user_id, organisation_id, subscription_id, channel, status)
       VALUES ($1, 1, 'PUBLISHED', $2, $3, gen_random_uuid(), 'EMAIL', 'FAILED') RETURNING id`,
      [foreign.Bulletin, adminB.id, orgB],
    );
    const rule = await t.gql(
      `mutation($i: SharingRuleInput!) { createSharingRule(input: $i) { id } }`,
      { i: { subject: 'BULLETIN', maxTlp: 'AMBER', audience: { organisationTypes: ['POLICE'] } } },
      adminB.token,
    );
    foreign.SharingRule = rule.data.createSharingRule.id;
    foreign.MachineClient = (
      await t.gql(
        `mutation { createMachineClient(input: { name: "B's MISP", maxTlp: AMBER }) { client { id } } }`,
        {},
        adminB.token,
      )
    ).data.createMachineClient.client.id;
    foreign.Webhook = (
      await t.gql(
        `mutation { createWebhook(input: { name: "B's SIEM", url: "https://siem.b.example/hook", maxTlp: GREEN }) { webhook { id } } }`,
        {},
        adminB.token,
      )
    ).data.createWebhook.webhook.id;
    // A webhook delivery of B that failed after its last retry.
    [{ id: foreign.WebhookDelivery }] = await t.dataSource.query(
      `INSERT INTO webhook_deliveries (id, webhook_id, organisation_id, bulletin_id, version, kind, status)
       VALUES (gen_random_uuid(), $1, $2, $3, 1, 'PUBLISHED', 'FAILED') RETURNING id`,
      [foreign.Webhook, orgB, foreign.Bulletin],
    );
    foreign.Invitation = (
      await t.gql(`mutation { inviteMember(email: "new.b@example.eu", role: ANALYST) { id } }`, {}, adminB.token)
    ).data.inviteMember.id;
    const subscription = await t.gql(
      `mutation($i: AlertSubscriptionInput!) { createAlertSubscription(input: $i) { id } }`,
      { i: { name: 'B watches', channels: ['EMAIL'], mode: 'IMMEDIATE' } },
      analystB.token,
    );
    foreign.AlertSubscription = subscription.data.createAlertSubscription.id;
    // A view B's analyst shares with B's members: the attacker is none of them.
    const view = await t.gql(
      `mutation($i: SavedViewInput!) { createSavedView(input: $i) { id } }`,
      { i: { name: 'B at night', query: 'tlp=AMBER', shared: true } },
      analystB.token,
    );
    foreign.SavedView = view.data.createSavedView.id;
    // A value B's admin left out of B's correlation.
    const exclusion = await t.gql(
      `mutation($i: CorrelationExclusionInput!) { addCorrelationExclusion(input: $i) { id } }`,
      { i: { type: 'DOMAIN_NAME', value: 'resolver.example.net' } },
      adminB.token,
    );
    foreign.CorrelationExclusion = exclusion.data.addCorrelationExclusion.id;
    // Another authority's record (the attacker's organisation is a vetting authority too).
    const customs = await member(t, await makeOrganisation(t, OrganisationType.CUSTOMS, ['NLRTM']), MemberRole.ANALYST);
    const vetting = await t.gql(
      `mutation($i: RecordVettingInput!) { recordVetting(input: $i) { id } }`,
      {
        i: {
          documentNumber: 'IDOR1234',
          issuingCountry: 'NL',
          fullName: 'Sweep Target',
          dateOfBirth: '1980-01-01',
          employerOrganisationId: orgB,
          level: 'BASIC',
          status: 'CLEARED',
          validUntil: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
      customs.token,
    );
    foreign.VettingRecord = vetting.data.recordVetting.id;
    // A whistleblower case of another organisation (the attacker's accepts reports too, and handles them).
    await t.gql(OPT_IN, { accept: true }, attacker.token);
    await t.gql(OPT_IN, { accept: true }, adminB.token);
    await submitReport(t, { recipientOrganisationId: orgB, text: 'sweep target' });
    foreign.WhistleblowerCase = (await t.gql(CASES, {}, adminB.token)).data.whistleblowerCases.edges[0].node.id;
    // B's identity provider, and a passkey of B's analyst with a registration under way.
    [{ id: foreign.IdentityProvider }] = await t.dataSource.query(
      `INSERT INTO identity_providers (organisation_id, issuer, client_id, client_auth, signing_key_sealed, scopes, domains)
       VALUES ($1, 'https://idp.b.example', 'b', 'private_key_jwt', 'sealed', '{openid}', '{b.example}') RETURNING id`,
      [orgB],
    );
    [{ id: foreign.Passkey }] = await t.dataSource.query(
      `INSERT INTO passkeys (user_id, credential_id, public_key, device_type, backed_up, name)
       VALUES ($1, 'b-credential', '\\x00', 'singleDevice', false, 'B laptop') RETURNING id`,
      [analystB.id],
    );
    foreign.PasskeyChallenge = (
      await t.gql(`mutation { passkeyRegistrationOptions { challengeId } }`, {}, analystB.token)
    ).data.passkeyRegistrationOptions.challengeId;
    foreign.Organisation = await makeOrganisation(t, OrganisationType.OTHER);
    const platform = await platformAdmin(t);
    await t.gql(
      `mutation($id: ID!) { suspendOrganisation(id: $id, reason: "sweep target") { id } }`,
      { id: foreign.Organisation },
      platform,
    );
    foreign.Peer = (
      await t.gql(
        `mutation($i: PeerInput!) { savePeer(input: $i) { id } }`,
        {
          i: {
            id: '7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
            name: 'A peer',
            url: 'https://peer.example',
            publicKey: Buffer.alloc(32, 9).toString('base64'),
            sends: true,
            receives: true,
            maxTlp: 'GREEN',
            localOrganisationIds: [],
            remoteOrganisationIds: [],
            remoteTypes: [],
            remotePorts: [],
          },
        },
        platform,
      )
    ).data.savePeer.id;
  });
  afterAll(async () => {
    printSummary(`idor: ${operations.length} operations, ${leaks} leaks`);
    await t.close();
  });

  it('finds the operations to sweep in the schema', () => {
    expect(operations.map((o) => o.field.name)).toEqual(
      expect.arrayContaining([
        'bulletin',
        'publishBulletin',
        'removeMember',
        'deleteSharingRule',
        'whoCanSee',
        'vettingRecord',
        'changeVettingStatus',
        'whistleblowerCase',
        'referCase',
        'updateSavedView',
        'deleteSavedView',
        'setDefaultSavedView',
      ]),
    );
  });

  it.each(operations.map((o) => [o.field.name, o] as const))(
    '%s answers NOT_FOUND for a foreign id',
    async (_name, { kind, field }) => {
      const variables: Record<string, unknown> = {};
      for (const arg of field.args) {
        if (isIdArg(arg)) {
          const target = targetOf(field, arg);
          if (!target)
            throw new Error(`Cannot tell what ${field.name}(${arg.name}) refers to: add it to TARGET_OVERRIDES`);
          variables[arg.name] = foreign[target];
        } else if (arg.type instanceof GraphQLNonNull) {
          variables[arg.name] = sampleValue(arg);
        }
      }
      const code = codeOf(await t.gql(documentFor(kind, field), variables, attacker.token));
      if (code !== 'NOT_FOUND') leaks++;
      expect(code).toBe('NOT_FOUND');
    },
  );
});
