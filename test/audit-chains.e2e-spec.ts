/**
 * One audit chain per organisation (issue 26): an organisation's appends wait for no other
 * organisation's, and signed checkpoints over every chain's head make the whole trail verifiable. Each
 * attack below runs as the schema owner with the append-only triggers off (an attacker with full
 * database access), inside a transaction that is rolled back, and verification must name it.
 */
import { generateKeyPairSync } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { migrations } from '../migrations';
import {
  CheckpointStatement,
  GENESIS_HASH,
  keyId,
  legacyHash,
  merkleRoot,
  signingKey,
  signStatement,
  statementHash,
  statementOf,
} from '../src/audit/audit-chain';
import { AuditCheckpointsService } from '../src/audit/audit-checkpoints.service';
import { verifyAuditTrail } from '../src/audit/audit-verifier';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { createDataSource } from '../src/database/data-source';
import { verifyTrail } from './helpers/audit';
import { publishBulletin } from './helpers/bulletins';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { platformAdmin } from './helpers/platform-admin';
import { cloneDatabase, startTestApp, TestApp } from './helpers/test-app';

describe('audit chains per organisation', () => {
  let t: TestApp;
  let analystA: TestUser;
  let analystB: TestUser;
  let checkpoints: AuditCheckpointsService;

  beforeAll(async () => {
    t = await startTestApp();
    analystA = await member(t, await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR), MemberRole.ANALYST);
    analystB = await member(t, await makeOrganisation(t, OrganisationType.SHIPPING_COMPANY), MemberRole.ANALYST);
    for (const analyst of [analystA, analystB, analystA]) await publishBulletin(t, analyst.token, { tlp: 'GREEN' });
    await platformAdmin(t);
    checkpoints = t.app.get(AuditCheckpointsService);
  });
  afterAll(() => t.close());

  const chainOf = async (organisationId: string) =>
    t.dataSource.query<{ n: number; action: string }[]>(
      `SELECT chain_seq::int AS n, action FROM audit_events WHERE chain = $1 ORDER BY chain_seq`,
      [organisationId],
    );

  /** Verification of the trail after `attack`, which is then undone. */
  async function verifyAfter(attack: (em: EntityManager) => Promise<unknown>) {
    const runner = t.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete`);
      await runner.query(`ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_no_update_delete`);
      await attack(runner.manager);
      return await verifyAuditTrail(runner.manager, signingKey(t.config.auditSigningKey));
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  it("puts each organisation's events in its own chain, numbered from 1, and the platform's in its own", async () => {
    for (const analyst of [analystA, analystB]) {
      const chain = await chainOf(analyst.organisationId!);
      expect(chain.map((e) => e.n)).toEqual(chain.map((_, i) => i + 1));
      expect(chain.map((e) => e.action)).toContain('publishBulletin');
    }
    expect((await chainOf('platform')).map((e) => e.action)).toContain('confirmTotp');
    expect(await verifyTrail(t)).toMatchObject({ ok: true, chains: 3 });
  });

  it("lets an organisation append while another organisation's chain is locked", async () => {
    const holder = t.appDataSource.createQueryRunner();
    await holder.startTransaction();
    try {
      // What a slow commit of organisation A holds: its chain's lock.
      await holder.query(`SELECT audit_chain_claim($1)`, [analystA.organisationId]);
      const b = await publishBulletin(t, analystB.token, { tlp: 'GREEN' });
      expect(b).toBeTruthy();
      let aDone = false;
      const a = publishBulletin(t, analystA.token, { tlp: 'GREEN' }).then((id) => ((aDone = true), id));
      await new Promise((r) => setTimeout(r, 300));
      expect(aDone).toBe(false); // A's own appends wait for A's lock
      await holder.commitTransaction();
      expect(await a).toBeTruthy();
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
    expect(await verifyTrail(t)).toMatchObject({ ok: true });
  });

  // The scheduled job may write one of its own meanwhile: each checkpoint below follows a fresh event.
  it('seals every chain head in a signed checkpoint, linked to the one before, and only when a chain moved', async () => {
    await publishBulletin(t, analystA.token, { tlp: 'GREEN' });
    const first = (await checkpoints.checkpoint())!;
    expect(first.heads.map((h) => h.chain).sort()).toEqual(
      [analystA.organisationId, analystB.organisationId, 'platform'].sort(),
    );
    expect(await checkpoints.checkpoint()).toBeNull();
    await publishBulletin(t, analystB.token, { tlp: 'GREEN' });
    const second = (await checkpoints.checkpoint())!;
    expect(second.previous).toBe(statementHash(statementOf(first)));
    expect(second.heads.find((h) => h.chain === analystB.organisationId)!.seq).toBeGreaterThan(
      first.heads.find((h) => h.chain === analystB.organisationId)!.seq,
    );
    const verified = await verifyTrail(t);
    expect(verified).toMatchObject({ ok: true, chains: 3 });
    expect(verified.checkpoints).toBeGreaterThanOrEqual(2);
  });

  it('detects a tampered event', async () => {
    const [e] = await chainOf(analystA.organisationId!);
    const [{ seq }] = await t.dataSource.query(`SELECT seq FROM audit_events WHERE chain = $1 AND chain_seq = 1`, [
      analystA.organisationId,
    ]);
    expect(e.n).toBe(1);
    expect(
      await verifyAfter((em) => em.query(`UPDATE audit_events SET details = '{"x":1}' WHERE seq = $1`, [seq])),
    ).toMatchObject({ ok: false, seq: Number(seq), reason: 'its content does not match its hash' });
  });

  it('detects an event removed from the middle of a chain', async () => {
    const chain = analystB.organisationId;
    expect(
      await verifyAfter((em) => em.query(`DELETE FROM audit_events WHERE chain = $1 AND chain_seq = 2`, [chain])),
    ).toMatchObject({ ok: false, reason: `event 2 of chain ${chain} is missing` });
  });

  it('detects a reordered pair', async () => {
    const chain = analystA.organisationId;
    const result = await verifyAfter(async (em) => {
      const swap = `UPDATE audit_events SET chain_seq = $2 WHERE chain = $1 AND chain_seq = $3`;
      await em.query(swap, [chain, -1, 2]);
      await em.query(swap, [chain, 2, 3]);
      await em.query(swap, [chain, 3, -1]);
    });
    expect(result).toMatchObject({ ok: false, reason: 'its link does not match the previous event of its chain' });
  });

  it('detects events removed from the end of a chain after a checkpoint sealed them', async () => {
    const chain = analystB.organisationId;
    const result = await verifyAfter((em) =>
      em.query(
        `DELETE FROM audit_events WHERE chain = $1 AND chain_seq = (SELECT max(chain_seq) FROM audit_events WHERE chain = $1)`,
        [chain],
      ),
    );
    expect(result).toMatchObject({ ok: false, seq: null });
    expect((result as { reason: string }).reason).toMatch(new RegExp(`of chain ${chain}, sealed by this checkpoint`));
  });

  it('detects a forged checkpoint, a checkpoint whose heads were changed, and a removed checkpoint', async () => {
    const [last] = await t.dataSource.query(`SELECT * FROM audit_checkpoints ORDER BY id DESC LIMIT 1`);
    const forger = generateKeyPairSync('ed25519').privateKey;
    const statement: CheckpointStatement = {
      id: Number(last.id) + 1,
      at: new Date().toISOString(),
      chains: 1,
      root: merkleRoot([{ chain: 'platform', seq: 1, hash: 'f'.repeat(64) }]),
      previous: last.previous,
    };
    const forged = await verifyAfter((em) =>
      em.query(`INSERT INTO audit_checkpoints VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        statement.id,
        statement.at,
        JSON.stringify([{ chain: 'platform', seq: 1, hash: 'f'.repeat(64) }]),
        statement.root,
        statement.previous,
        keyId(forger),
        signStatement(statement, forger),
      ]),
    );
    expect(forged).toMatchObject({
      ok: false,
      checkpoint: statement.id,
      reason: 'checkpoint not signed by the audit signing key',
    });

    const changed = await verifyAfter((em) =>
      em.query(`UPDATE audit_checkpoints SET heads = jsonb_set(heads, '{0,seq}', '1') WHERE id = $1`, [last.id]),
    );
    expect(changed).toMatchObject({
      ok: false,
      checkpoint: Number(last.id),
      reason: "checkpoint's root does not match its heads",
    });

    const removed = await verifyAfter((em) => em.query(`DELETE FROM audit_checkpoints WHERE id = 1`));
    expect(removed).toMatchObject({ ok: false, reason: 'checkpoint out of line with the one before it' });
  });
});

describe('the audit trail from before per-organisation chains', () => {
  it('stays verifiable as the sealed legacy chain, and a change to it is detected', async () => {
    const urls = await cloneDatabase();
    const db = createDataSource(urls.owner, { entities: [], migrations }, 2);
    await db.initialize();
    try {
      // Back to before per-organisation chains (and whatever came after them).
      const chained = async () =>
        (
          await db.query(
            `SELECT 1 FROM information_schema.columns WHERE table_name = 'audit_events' AND column_name = 'chain'`,
          )
        ).length > 0;
      while (await chained()) await db.undoLastMigration({ transaction: 'each' });
      // Three events of the old single chain, hashed the old way.
      let prev = GENESIS_HASH;
      for (let seq = 1; seq <= 3; seq++) {
        const content = {
          at: new Date(Date.UTC(2026, 10, seq)).toISOString(),
          actorUserId: null,
          actorOrganisationId: null,
          subjectOrganisationId: null,
          action: `legacy${seq}`,
          objectType: 'Test',
          objectId: null,
          details: { n: seq },
        };
        const hash = legacyHash(prev, seq, content);
        await db.query(
          `INSERT INTO audit_events (seq, at, action, object_type, details, prev_hash, hash) VALUES ($1, $2, $3, 'Test', $4, $5, $6)`,
          [seq, content.at, content.action, content.details, prev, hash],
        );
        prev = hash;
      }
      await db.runMigrations({ transaction: 'each' });
      const key = signingKey(Buffer.alloc(32, 3));
      expect(await verifyAuditTrail(db, key)).toMatchObject({ ok: true, count: 3, chains: 1 });
      const [{ chain, chain_seq, next }] = await db.query(
        `SELECT chain, chain_seq::int, nextval('audit_events_seq')::int AS next FROM audit_events WHERE seq = 3`,
      );
      expect({ chain, chain_seq, next }).toEqual({ chain: 'legacy', chain_seq: 3, next: 4 });
      await db.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete`);
      await db.query(`UPDATE audit_events SET action = 'rewritten' WHERE seq = 2`);
      expect(await verifyAuditTrail(db, key)).toMatchObject({ ok: false, seq: 2 });
    } finally {
      await db.destroy();
    }
  });
});
