/** A request's queries share one connection: fired together (dataloaders), they run one at a time, in order. */
import { Client } from 'pg';
import { DatabaseService } from '../../src/database/database.service';
import { Fixtures } from '../helpers/fixtures';
import { startTestApp, TestApp } from '../helpers/test-app';

/** pg's own queue of a connection (private): what pg deprecates is adding to it while a query runs. */
type Queue = { _activeQuery: unknown; _queryQueue: unknown[] };

describe('request transaction (service tier)', () => {
  let t: TestApp;
  let fixtures: Fixtures;

  beforeAll(async () => {
    t = await startTestApp();
    fixtures = new Fixtures(t);
  });
  afterAll(() => t.close());

  it('runs queries fired together in its one transaction, in order, never queued on pg', async () => {
    const actor = await fixtures.newMember(await fixtures.newOrganisation());
    const db = fixtures.service(DatabaseService);
    const waiting: number[] = [];
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called with each connection as `this`
    const send = Client.prototype.query as (...args: unknown[]) => unknown;
    const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Queue, ...args: unknown[]) {
      waiting.push(this._queryQueue.length + (this._activeQuery ? 1 : 0));
      return send.apply(this, args) as never;
    });
    try {
      const rows = await fixtures.as(actor, async () => {
        const em = await db.em();
        return Promise.all(
          [40, 0, 20, 0].map(async (ms, i) => {
            const [row] = await em.query<{ i: number; tx: string; at: Date }[]>(
              `SELECT $1::int AS i, txid_current()::text AS tx, clock_timestamp() AS at FROM pg_sleep($2::float / 1000)`,
              [i, ms],
            );
            return row;
          }),
        );
      });
      expect(rows.map((r) => r.i)).toEqual([0, 1, 2, 3]);
      expect(new Set(rows.map((r) => r.tx)).size).toBe(1);
      const times = rows.map((r) => r.at.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      // A failed query ends the transaction, not the line: the next one still gets its own answer.
      const next = await fixtures.as(actor, async () => {
        const em = await db.em();
        const settled = await Promise.allSettled([em.query(`SELECT 1/0`), em.query(`SELECT 1 AS one`)]);
        return settled.map((s) => (s.status === 'rejected' ? String(s.reason) : s.status));
      });
      expect(next).toEqual([
        expect.stringMatching(/division by zero/),
        expect.stringMatching(/transaction is aborted/),
      ]);
      expect(waiting.length).toBeGreaterThanOrEqual(6);
      expect(waiting.filter((n) => n > 0)).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('one pooled connection per request or job (service tier)', () => {
  let t: TestApp;
  let fixtures: Fixtures;
  let db: DatabaseService;

  beforeAll(async () => {
    t = await startTestApp();
    fixtures = new Fixtures(t);
    db = fixtures.service(DatabaseService);
  });
  afterAll(() => t.close());

  const SECOND = /second pooled connection/;

  it('refuses the pool to a request that holds its transaction, and to work nested in it', async () => {
    const actor = await fixtures.newMember(await fixtures.newOrganisation());
    await fixtures.as(actor, async () => {
      await db.em();
      await expect(db.dataSource.query('SELECT 1')).rejects.toThrow(SECOND);
      await expect(db.autonomous((em) => em.query('SELECT 1'))).rejects.toThrow(SECOND);
      await expect(db.withRequest({}, async () => (await db.em()).query('SELECT 1'))).rejects.toThrow(SECOND);
    });
  });

  it('refuses the pool to work running on a connection of its own', async () => {
    await expect(db.autonomous(() => db.dataSource.query('SELECT 1'))).rejects.toThrow(SECOND);
  });

  it('lets a request take its one connection, and the next once the first is over', async () => {
    const actor = await fixtures.newMember(await fixtures.newOrganisation());
    const before = db.connections.violations;
    await fixtures.as(actor, async () => {
      await db.dataSource.query('SELECT 1'); // nothing held yet: one connection, given back at once
      await (await db.em()).query('SELECT 1');
    });
    await db.autonomous((em) => em.query('SELECT 1'));
    expect(db.connections.violations).toBe(before);
  });
});
