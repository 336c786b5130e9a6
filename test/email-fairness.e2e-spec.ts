/**
 * Fair e-mail (issue 26, fair delivery): a large fan-out of one organisation does not hold another
 * organisation's small alert behind all of its mail. One e-mail worker, batches of five, a sink that
 * takes 50 ms a mail: a bulletin to a hundred officers is twenty jobs, and a later bulletin to one
 * officer goes out before the last of them (first in, first out, it went after all twenty).
 */
import { login } from './helpers/factory';
import { seedFanOut } from './helpers/fan-out';
import { publishBulletin } from './helpers/bulletins';
import { startTestApp, TestApp } from './helpers/test-app';
import { until } from './helpers/wait';

describe('fair e-mail delivery', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ EMAIL_WORKERS: '1', EMAIL_BATCH_SIZE: '5' });
    t.smtp.delayMs = 50;
  });
  afterAll(() => t.close());

  it("sends a small fan-out's mail before the rest of a large one enqueued earlier", async () => {
    const big = await seedFanOut(t.urls.owner, 'bigfan', 100);
    const small = await seedFanOut(t.urls.owner, 'smallfan', 1);
    const police = async (name: string) =>
      (await t.dataSource.query<{ id: string }[]>(`SELECT id FROM organisations WHERE name = $1`, [name]))[0].id;
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
});
