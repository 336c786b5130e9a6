/** The dashboard's figures, through the service: each counts only what the caller may read. */
import type { Actor } from '../../src/common/actor';
import { MemberRole, OrganisationType } from '../../src/common/organisation-type';
import { Tlp } from '../../src/common/tlp';
import { BulletinsService } from '../../src/bulletins/bulletins.service';
import { DashboardService } from '../../src/bulletins/dashboard.service';
import { SightingInput } from '../../src/bulletins/dto/bulletin.inputs';
import { SightingsService } from '../../src/bulletins/sightings.service';
import { Fixtures, OrganisationFixture, parsed } from '../helpers/fixtures';
import { startTestApp, TestApp } from '../helpers/test-app';

describe('dashboard (service tier)', () => {
  let t: TestApp;
  let f: Fixtures;
  let dashboards: DashboardService;
  let author: Actor;
  let police: OrganisationFixture;
  let officer: Actor;
  let outsider: Actor;

  beforeAll(async () => {
    t = await startTestApp();
    f = new Fixtures(t);
    dashboards = f.service(DashboardService);
    author = await f.newMember(await f.newOrganisation(OrganisationType.TERMINAL_OPERATOR, ['BEANR']));
    police = await f.newOrganisation(OrganisationType.POLICE, ['BEANR']);
    officer = await f.newMember(police, MemberRole.ANALYST);
    outsider = await f.newMember(await f.newOrganisation(OrganisationType.SHIPPING_COMPANY, ['DEHAM']));

    await f.newBulletin(author, Tlp.GREEN, { category: 'PIN_FRAUD', ports: ['BEANR'] });
    const amber = await f.newBulletin(author, Tlp.AMBER, {
      category: 'EXTRACTION_TEAM',
      ports: ['BEANR', 'NLRTM'],
      recipientOrganisationIds: [police.id],
      respondWithinMinutes: 240,
      indicators: [{ type: 'CONTAINER_NUMBER', value: 'CSQU3054383' }],
    });
    await f.newBulletin(author, Tlp.GREEN, { category: 'PIN_FRAUD' }, { draft: true });
    await f.as(officer, () => f.service(BulletinsService).acknowledge(officer, amber.id, undefined));
    const sighting = await parsed(SightingInput, {
      bulletinId: amber.id,
      indicatorType: 'CONTAINER_NUMBER',
      value: 'CSQU3054383',
      kind: 'SEEN',
      port: 'NLRTM',
      seenAt: new Date(Date.now() - 60_000),
    });
    await f.as(officer, () => f.service(SightingsService).record(officer, sighting));
  });
  afterAll(() => t.close());

  const figures = (actor: Actor) => f.as(actor, () => dashboards.dashboard(actor, 4));
  const thisWeek = (d: Awaited<ReturnType<typeof figures>>) =>
    Object.fromEntries(d.weeks.at(-1)!.byCategory.map((c) => [c.category, c.count]));

  it('counts the bulletins of each week by category, of those the caller may read, drafts never', async () => {
    expect(thisWeek(await figures(officer))).toEqual({ PIN_FRAUD: 1, EXTRACTION_TEAM: 1 });
    expect(thisWeek(await figures(outsider))).toEqual({ PIN_FRAUD: 1 });
    const weeks = (await figures(outsider)).weeks;
    expect(weeks).toHaveLength(4);
    expect(weeks[1].weekStart.getTime() - weeks[0].weekStart.getTime()).toBe(7 * 86_400_000);
  });

  it('counts bulletins and sightings per port, a sighting on a bulletin one cannot read never', async () => {
    expect((await figures(officer)).ports).toEqual([
      { port: 'BEANR', bulletins: 2, sightings: 0 },
      { port: 'NLRTM', bulletins: 1, sightings: 1 },
    ]);
    expect((await figures(outsider)).ports).toEqual([{ port: 'BEANR', bulletins: 1, sightings: 0 }]);
    expect((await figures(outsider)).recentSightings).toEqual([]);
    expect((await figures(officer)).recentSightings.map((s) => [s.port, s.indicatorType])).toEqual([
      ['NLRTM', 'CONTAINER_NUMBER'],
    ]);
  });

  it("counts the responses asked of the caller's organisation, and the acknowledgements of its own bulletins", async () => {
    expect(await figures(officer)).toMatchObject({ openResponses: 1, overdueResponses: 0 });
    expect(await figures(outsider)).toMatchObject({ openResponses: 0, overdueResponses: 0 });
    expect((await figures(author)).acknowledgements).toEqual({ bulletins: 1, recipients: 1, acknowledged: 1 });
    expect((await figures(officer)).acknowledgements).toEqual({ bulletins: 0, recipients: 0, acknowledged: 0 });
  });
});
