/** Saved views of the feed, one behaviour per test, through the service. */
import type { Actor } from '../../src/common/actor';
import { MemberRole, OrganisationType } from '../../src/common/organisation-type';
import { SavedViewInput } from '../../src/bulletins/dto/saved-view.inputs';
import { MAX_SAVED_VIEWS, SavedViewsService } from '../../src/bulletins/saved-views.service';
import { DatabaseService } from '../../src/database/database.service';
import { Fixtures, OrganisationFixture, outcome, parsed } from '../helpers/fixtures';
import { startTestApp, TestApp } from '../helpers/test-app';

describe('saved views (service tier)', () => {
  let t: TestApp;
  let f: Fixtures;
  let views: SavedViewsService;
  let terminal: OrganisationFixture;
  let owner: Actor;
  let colleague: Actor;
  let outsider: Actor;

  beforeAll(async () => {
    t = await startTestApp();
    f = new Fixtures(t);
    views = f.service(SavedViewsService);
    terminal = await f.newOrganisation(OrganisationType.TERMINAL_OPERATOR, ['NLRTM']);
    owner = await f.newMember(terminal, MemberRole.ANALYST);
    colleague = await f.newMember(terminal, MemberRole.MEMBER);
    outsider = await f.newMember(await f.newOrganisation(OrganisationType.POLICE, ['NLRTM']), MemberRole.ORG_ADMIN);
  });
  afterAll(() => t.close());

  const input = (fields: Partial<SavedViewInput>) =>
    parsed(SavedViewInput, { name: 'Night shift', query: 'tlp=AMBER', shared: false, ...fields });
  const names = async (actor: Actor) => (await f.as(actor, () => views.list(actor))).map((v) => v.name);
  /** What row-level security alone lets the actor's request see, whatever the service asks. */
  const rowsSeenBy = (actor: Actor) =>
    f.as(actor, async () =>
      (await f.service(DatabaseService).em()).query<{ name: string }[]>(`SELECT name FROM saved_views ORDER BY name`),
    );

  it('keeps a view to its owner until shared; then colleagues read it, and only its owner changes it', async () => {
    const view = await f.as(owner, async () => views.create(owner, await input({ name: 'Mine alone' })));
    expect(await names(owner)).toContain('Mine alone');
    expect(await names(colleague)).not.toContain('Mine alone');
    expect(await outcome(f.as(colleague, () => views.setDefault(colleague, view.id)))).toBe('NOT_FOUND');

    await f.as(owner, async () => views.update(owner, view.id, await input({ name: 'Mine alone', shared: true })));
    expect(await names(colleague)).toContain('Mine alone');
    const change = await input({ name: 'Taken over', shared: true });
    expect(await outcome(f.as(colleague, () => views.update(colleague, view.id, change)))).toBe('NOT_FOUND');
    expect(await outcome(f.as(colleague, () => views.delete(colleague, view.id)))).toBe('NOT_FOUND');
  });

  it("never shows another organisation's shared views, by the service or by row-level security", async () => {
    const view = await f.as(owner, async () =>
      views.create(owner, await input({ name: 'Shared inside', shared: true })),
    );
    expect(await names(outsider)).not.toContain('Shared inside');
    expect((await rowsSeenBy(outsider)).map((r) => r.name)).not.toContain('Shared inside');
    expect((await rowsSeenBy(colleague)).map((r) => r.name)).toContain('Shared inside');
    expect(await outcome(f.as(outsider, () => views.setDefault(outsider, view.id)))).toBe('NOT_FOUND');
  });

  it("opens a colleague's feed on a shared view until its owner unshares or deletes it", async () => {
    const view = await f.as(owner, async () => views.create(owner, await input({ name: 'Gate team', shared: true })));
    await f.as(colleague, () => views.setDefault(colleague, view.id));
    expect(await f.as(colleague, () => views.defaultId(colleague))).toBe(view.id);

    await f.as(owner, async () => views.update(owner, view.id, await input({ name: 'Gate team', shared: false })));
    expect(await f.as(colleague, () => views.defaultId(colleague))).toBeNull();
    await f.as(owner, async () => views.update(owner, view.id, await input({ name: 'Gate team', shared: true })));
    expect(await f.as(colleague, () => views.defaultId(colleague))).toBe(view.id);

    // The colleague's default goes with the view, though the owner's request cannot see that row.
    await f.as(owner, () => views.delete(owner, view.id));
    expect(await f.as(colleague, () => views.defaultId(colleague))).toBeNull();
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM saved_view_defaults WHERE view_id = $1`,
      [view.id],
    );
    expect(n).toBe(0);
  });

  it('keeps only the feed’s parameters, in one order, and refuses others and a name used twice', async () => {
    const view = await f.as(owner, async () =>
      views.create(owner, await input({ name: 'Ordered', query: '?order=SEVERITY&tlp=RED,AMBER&q=stack' })),
    );
    expect(view.query).toBe('q=stack&tlp=RED%2CAMBER&order=SEVERITY');
    const foreign = await input({ name: 'Sneaky', query: 'tlp=RED&token=abc' });
    expect(await outcome(f.as(owner, () => views.create(owner, foreign)))).toBe('BAD_USER_INPUT');
    const twice = await input({ name: ' Ordered ' });
    expect(await outcome(f.as(owner, () => views.create(owner, twice)))).toBe('CONFLICT');
  });

  it(`holds a person to ${MAX_SAVED_VIEWS} views`, async () => {
    const busy = await f.newMember(terminal, MemberRole.ANALYST);
    for (let i = 0; i < MAX_SAVED_VIEWS; i++)
      await f.as(busy, async () => views.create(busy, await input({ name: `View ${i}` })));
    const oneMore = await input({ name: 'One more' });
    expect(await outcome(f.as(busy, () => views.create(busy, oneMore)))).toBe('CONFLICT');
  });
});
