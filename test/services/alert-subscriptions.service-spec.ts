/** Alert subscriptions, one behaviour per test, through the services. */
import type { Actor } from '../../src/common/actor';
import { MemberRole, OrganisationType } from '../../src/common/organisation-type';
import { Tlp } from '../../src/common/tlp';
import { AlertSubscriptionsService } from '../../src/subscriptions/alert-subscriptions.service';
import { AlertFilterInput } from '../../src/subscriptions/dto/alert-subscription.inputs';
import { Fixtures, OrganisationFixture, parsed } from '../helpers/fixtures';
import { startTestApp, TestApp } from '../helpers/test-app';

describe('alert filter preview (service tier)', () => {
  let t: TestApp;
  let f: Fixtures;
  let subscriptions: AlertSubscriptionsService;
  let terminal: OrganisationFixture;
  let author: Actor;
  let reader: Actor;

  beforeAll(async () => {
    t = await startTestApp();
    f = new Fixtures(t);
    subscriptions = f.service(AlertSubscriptionsService);
    terminal = await f.newOrganisation(OrganisationType.TERMINAL_OPERATOR, ['NLRTM']);
    author = await f.newMember(terminal);
    reader = await f.newMember(await f.newOrganisation(OrganisationType.POLICE, ['NLRTM']), MemberRole.MEMBER);
  });
  afterAll(() => t.close());

  const preview = async (actor: Actor, filter: object, first = 20) =>
    f.as(actor, async () => subscriptions.preview(actor, await parsed(AlertFilterInput, filter), first));

  it('counts what the filter matches among what the reader may read, newest first', async () => {
    const older = await f.newBulletin(author, Tlp.GREEN, { category: 'PIN_FRAUD' });
    const newer = await f.newBulletin(author, Tlp.GREEN, { category: 'PIN_FRAUD' });
    await f.newBulletin(author, Tlp.GREEN, { category: 'EXTRACTION_TEAM' });
    await f.newBulletin(author, Tlp.AMBER_STRICT, { category: 'PIN_FRAUD' });
    const result = await preview(reader, { categories: ['PIN_FRAUD'] }, 1);
    expect(result).toMatchObject({ matched: 2, capped: false });
    expect(result.recent.map((b) => b.id)).toEqual([newer.id]);
    expect((await preview(reader, { categories: ['PIN_FRAUD'] })).recent.map((b) => b.id)).toEqual([
      newer.id,
      older.id,
    ]);
  });

  it('looks back 30 days, no further', async () => {
    const old = await f.newBulletin(author, Tlp.GREEN, { category: 'CORRUPTION_ATTEMPT' });
    await t.dataSource.query(`UPDATE bulletins SET published_at = now() - interval '31 days' WHERE id = $1`, [old.id]);
    expect((await preview(reader, { categories: ['CORRUPTION_ATTEMPT'] })).matched).toBe(0);
  });

  it("filters by the author's organisation type as delivery does", async () => {
    const b = await f.newBulletin(author, Tlp.GREEN, { category: 'SUSPICIOUS_CARGO' });
    const byType = (types: string[]) => preview(reader, { categories: ['SUSPICIOUS_CARGO'], organisationTypes: types });
    expect((await byType(['TERMINAL_OPERATOR'])).recent.map((x) => x.id)).toEqual([b.id]);
    expect((await byType(['SHIPPING_COMPANY'])).matched).toBe(0);
  });

  it('records AMBER and above it shows in the audit trail, as the feed does', async () => {
    const amber = await f.newBulletin(author, Tlp.AMBER, {
      category: 'CYBER_INTRUSION',
      recipientOrganisationIds: [reader.organisationId],
    });
    await preview(reader, { categories: ['CYBER_INTRUSION'] });
    const [event] = await t.dataSource.query(
      `SELECT details FROM audit_events WHERE action = 'previewAlertFilter' AND actor_user_id = $1`,
      [reader.userId],
    );
    expect(JSON.stringify(event.details)).toContain(amber.id);
  });
});
