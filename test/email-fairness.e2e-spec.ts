/**
 * Fair e-mail (issue 26, fair delivery): a large fan-out of one organisation does not hold another
 * organisation's small alert behind all of its mail. One e-mail worker, batches of five, a sink that
 * takes 50 ms a mail: a bulletin to a hundred officers is twenty jobs, and a later bulletin to one
 * officer goes out before the last of them (first in, first out, it went after all twenty). Nor does
 * it take more than its organisation's sending rate: 20 mails at once, then 20 a second.
 */
import { login } from './helpers/factory';
import { seedFanOut } from './helpers/fan-out';
import { publishBulletin } from './helpers/bulletins';
import { startTestApp, TestApp } from './helpers/test-app';
import { until } from './helpers/wait';

describe('fair e-mail delivery', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      EMAIL_WORKERS: '1',
      EMAIL_BATCH_SIZE: '5',
      EMAIL_RATE_PER_ORGANISATION: '20',
      EMAIL_BURST_PER_ORGANISATION: '20',
    });
    t.smtp.delayMs = 50;
  });
  afterAll(() => t.close());

  const police = async (name: string) =>
    (await t.dataSource.query<{ id: string }[]>(`SELECT id FROM organisations WHERE name = $1`, [name]))[0].id;

  it("sends a small fan-out's mail before the rest of a large one enqueued earlier", async () => {
    const big = await seedFanOut(t.urls.owner, 'bigfan', 100);
    const small = await seedFanOut(t.urls.owner, 'smallfan', 1);
    // AMBER to each one's own police only, so each officer gets one bulletin.
    const bigAlert = await publishBulletin(t, (await login(t, big.analyst)).token, {
      tlp: 'AMBER',
      recipientOrganisationIds: [await police('bigfan police')],
    });
    const fromBig = () => t.smtp.mails.filter((m) => m.text.includes(bigAlert)).length;
    await until(() => fromBig() > 0, 20_000);
    const smallAlert = await publishBulletin(t, (await login(t, small.analyst)).token, {
      tlp: 'AMBER',
      recipientOrganisationIds: [await police('smallfan police')],
    });
    await until(() => t.smtp.mails.some((m) => m.text.includes(smallAlert)), 30_000);
    expect(fromBig()).toBeLessThan(100);
    await until(() => fromBig() === 100, 60_000);
  });

  it("schedules an organisation's mail beyond its burst at its rate, on a clock of its own", async () => {
    const steady = await seedFanOut(t.urls.owner, 'steady', 60);
    const other = await seedFanOut(t.urls.owner, 'other', 5);
    const [steadyToken, otherToken] = [(await login(t, steady.analyst)).token, (await login(t, other.analyst)).token];
    const alert = await publishBulletin(t, steadyToken, {
      tlp: 'AMBER',
      recipientOrganisationIds: [await police('steady police')],
    });
    const meanwhile = await publishBulletin(t, otherToken, {
      tlp: 'AMBER',
      recipientOrganisationIds: [await police('other police')],
    });
    // Each batch's start after its job was created: the first four batches (the burst of 20) at once,
    // then one batch of five every quarter of a second; the other organisation's batch at once.
    const delays = async (bulletinId: string) =>
      (
        await t.dataSource.query<{ ms: number }[]>(
          `SELECT round(extract(epoch FROM start_after - created_on) * 1000)::int AS ms
             FROM pgboss.job WHERE name = 'email' AND data->>'bulletinId' = $1 ORDER BY start_after`,
          [bulletinId],
        )
      ).map((r) => r.ms);
    await until(async () => (await delays(alert)).length > 0, 20_000);
    expect(await delays(alert)).toEqual([0, 0, 0, 0, 0, 250, 500, 750, 1000, 1250, 1500, 1750]);
    await until(async () => (await delays(meanwhile)).length > 0, 20_000);
    expect(await delays(meanwhile)).toEqual([0]);

    // Its next alert's fan-out waits until its clock is back within the burst (3 s ahead, 1 s
    // allowed): its recipients are worked out when its mail can leave.
    const next = await publishBulletin(t, steadyToken, {
      tlp: 'AMBER',
      recipientOrganisationIds: [await police('steady police')],
    });
    const fanouts = async () =>
      (
        await t.dataSource.query<{ ms: number }[]>(
          `SELECT round(extract(epoch FROM start_after - created_on) * 1000)::int AS ms
             FROM pgboss.job WHERE name = 'bulletin-fanout' AND data->>'bulletinId' = $1 ORDER BY created_on`,
          [next],
        )
      ).map((r) => r.ms);
    await until(async () => (await fanouts()).length === 2, 20_000);
    expect((await fanouts())[1]).toBeGreaterThan(300);

    // And every mail arrives, once.
    const to = (bulletinId: string) => t.smtp.mails.filter((m) => m.text.includes(bulletinId));
    await until(() => to(alert).length >= 60 && to(next).length >= 60, 60_000);
    for (const id of [alert, next]) expect(new Set(to(id).map((m) => m.messageId)).size).toBe(to(id).length);
  });
});
