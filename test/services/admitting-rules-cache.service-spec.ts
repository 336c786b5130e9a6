/** The in-memory admitting rules: kept between requests, dropped by any change, never past a rule's end. */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AdmittingRule } from '../../src/sharing/ability.factory';
import { AdmittingRulesCache } from '../../src/sharing/admitting-rules.cache';
import { SharingSubject, Tlp } from '../../src/common/tlp';
import { Organisation } from '../../src/organisations/organisation.entity';
import { Fixtures } from '../helpers/fixtures';
import { holdSharingNotifications } from '../helpers/late-notifications';
import { startTestApp, TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

describe('admitting rules cache (service tier)', () => {
  let t: TestApp;
  let cache: AdmittingRulesCache;
  let loads = 0;
  const rule = (validUntil: Date | null): AdmittingRule => ({
    id: randomUUID(),
    subject: SharingSubject.BULLETIN,
    organisationId: null,
    categories: [],
    maxTlp: Tlp.AMBER,
    validUntil,
  });
  const load = (rules: AdmittingRule[]) => async () => {
    loads++;
    return rules;
  };

  beforeAll(async () => {
    t = await startTestApp();
    cache = new Fixtures(t).service(AdmittingRulesCache);
  });
  afterAll(() => t.close());

  it('answers from memory until a change to organisations or sharing rules is notified', async () => {
    const org = randomUUID();
    loads = 0;
    await cache.get(org, load([rule(null)]));
    await cache.get(org, load([rule(null)]));
    expect(loads).toBe(1);
    await t.dataSource.query(`UPDATE organisations SET name = name WHERE false`);
    await until(async () => {
      await cache.get(org, load([rule(null)]));
      return loads === 2;
    });
  });

  it('drops every entry on a write through the ORM here, before any notification', async () => {
    const org = randomUUID();
    loads = 0;
    await cache.get(org, load([rule(null)]));
    const release = holdSharingNotifications(t);
    try {
      // The app's own connection (t.dataSource is the owner's, another "instance").
      await t.app.get(DataSource).manager.update(Organisation, { id: org }, { name: 'none' });
      await cache.get(org, load([rule(null)]));
      expect(loads).toBe(2);
    } finally {
      release();
    }
  });

  it('keeps no entry past the end of one of its rules', async () => {
    const org = randomUUID();
    loads = 0;
    const ending = [rule(new Date(Date.now() + 300))];
    await cache.get(org, load(ending));
    await cache.get(org, load(ending));
    expect(loads).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await cache.get(org, load(ending));
    expect(loads).toBe(2);
  });
});
