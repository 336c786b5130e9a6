/**
 * The platform administrators' desk through GraphQL: the system's health (database, outbox, failed
 * deliveries, running instances), who administers the platform and with which second factor, and the
 * audit hash chain verified on demand with the outcome kept. Nobody else gets any of it.
 */
import { AuditCheckpointsService } from '../src/audit/audit-checkpoints.service';
import { tamper } from './helpers/audit';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { makeOrganisation, member } from './helpers/factory';
import { platformAdmin } from './helpers/platform-admin';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';

const HEALTH = `{ platformHealth { checkedAt database { ok latencyMs version sizeBytes } outbox { queue waiting } failedDeliveries instances { host pid seenAt } } }`;
const ADMINS = `{ platformAdministrators { id email displayName totpEnabled status } }`;
const STATUS = `{ auditChainStatus { verifiedAt verifiedBy ok events chains checkpoints failedSeq failedCheckpoint reason milliseconds } }`;
const VERIFY = `mutation { verifyAuditChain { verifiedAt ok events chains checkpoints failedSeq failedCheckpoint reason } }`;
const TRAIL = `{ auditEvents(first: 100) { edges { node { actorOrganisationId } } } }`;

describe('the platform desk', () => {
  let t: TestApp;
  let platform: string;
  let orgAdmin: string;

  beforeAll(async () => {
    t = await startTestApp();
    platform = await platformAdmin(t);
    orgAdmin = (await member(t, await makeOrganisation(t, OrganisationType.POLICE), MemberRole.ORG_ADMIN)).token;
    await member(t, await makeOrganisation(t, OrganisationType.CUSTOMS), MemberRole.ORG_ADMIN);
  });
  afterAll(() => t.close());

  it('shows the health of the system: database, outbox queues, failed deliveries and this instance', async () => {
    const health = (await t.gql(HEALTH, {}, platform)).data.platformHealth;
    expect(health.database).toMatchObject({ ok: true, version: expect.stringMatching(/^\d+/) });
    expect(health.database.sizeBytes).toBeGreaterThan(0);
    expect(health.outbox.map((q: { queue: string }) => q.queue)).toEqual(
      expect.arrayContaining(['email', 'bulletin-fanout', 'case-reminders', 'vetting-retention']),
    );
    expect(health.failedDeliveries).toBe(0);
    expect(health.instances.map((i: { pid: number }) => i.pid)).toContain(process.pid);
  });

  it('lists the platform administrators with their second factor', async () => {
    const admins = (await t.gql(ADMINS, {}, platform)).data.platformAdministrators;
    expect(admins).toHaveLength(1);
    expect(admins[0]).toMatchObject({ totpEnabled: true, status: 'ACTIVE' });
  });

  it('verifies the whole audit chain on demand and keeps the outcome, also when a link is broken', async () => {
    expect((await t.gql(STATUS, {}, platform)).data.auditChainStatus).toBeNull();
    const verified = (await t.gql(VERIFY, {}, platform)).data.verifyAuditChain;
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_events`);
    expect(verified).toMatchObject({ ok: true, failedSeq: null });
    // Every event there was when it ran: those of every organisation (its own request's comes after).
    expect(verified.events).toBeGreaterThanOrEqual(n - 1);
    expect((await t.gql(STATUS, {}, platform)).data.auditChainStatus).toMatchObject({ ok: true });

    // The platform's chain and the organisation's the fixtures made, each sealed by a signed checkpoint.
    await t.app.get(AuditCheckpointsService).checkpoint();
    const sealed = (await t.gql(VERIFY, {}, platform)).data.verifyAuditChain;
    expect(sealed).toMatchObject({ ok: true, failedCheckpoint: null });
    expect(sealed.checkpoints).toBeGreaterThanOrEqual(1);
    expect(sealed.chains).toBeGreaterThanOrEqual(2);

    const [{ seq }] = await t.dataSource.query(`SELECT seq FROM audit_events ORDER BY seq LIMIT 1 OFFSET 1`);
    await tamper(t, `UPDATE audit_events SET details = '{"tampered":true}' WHERE seq = $1`, [seq]);
    expect((await t.gql(VERIFY, {}, platform)).data.verifyAuditChain).toMatchObject({
      ok: false,
      failedSeq: String(seq),
      reason: 'its content does not match its hash',
    });
    expect((await t.gql(STATUS, {}, platform)).data.auditChainStatus).toMatchObject({ ok: false });
  });

  it('lets platform administrators read the whole trail; an organisation admin reads its own only', async () => {
    const all = (await t.gql(TRAIL, {}, platform)).data.auditEvents.edges;
    const organisations = new Set(
      all.map((e: { node: { actorOrganisationId: string } }) => e.node.actorOrganisationId),
    );
    expect(organisations.size).toBeGreaterThan(2);
    const own = (await t.gql(TRAIL, {}, orgAdmin)).data.auditEvents.edges;
    expect(new Set(own.map((e: { node: { actorOrganisationId: string } }) => e.node.actorOrganisationId)).size).toBe(1);
  });

  it('refuses all of it to everyone else', async () => {
    for (const query of [HEALTH, ADMINS, STATUS, VERIFY])
      expect(codeOf(await t.gql(query, {}, orgAdmin))).toBe('FORBIDDEN');
  });
});
