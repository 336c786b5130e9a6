/**
 * Audit events past AUDIT_RETENTION_DAYS are pruned behind a signed checkpoint older than the retention:
 * the checkpoint and each chain's head it sealed stay, verification stays green and says what went and
 * when, each prune is audited with its count, and nothing else can delete an event or pass off a deletion
 * as a prune.
 */
import {
  ChainHead,
  CheckpointRow,
  GENESIS_HASH,
  keyId,
  merkleRoot,
  signingKey,
  signStatement,
  statementHash,
  statementOf,
} from '../src/audit/audit-chain';
import { AuditCheckpointsService } from '../src/audit/audit-checkpoints.service';
import { verifyAuditTrail } from '../src/audit/audit-verifier';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { PersonalDataRetentionService } from '../src/data-protection/personal-data-retention.service';
import { verifyTrail } from './helpers/audit';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { platformAdmin } from './helpers/platform-admin';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';

const DAY = 86_400_000;
const SUBSCRIBE = `mutation($i: AlertSubscriptionInput!) { createAlertSubscription(input: $i) { id } }`;
const subscription = (name: string) => ({ i: { name, channels: ['EMAIL'], mode: 'IMMEDIATE' } });

/** A checkpoint over the chains' heads as they are now, dated `daysAgo` days back, signed with the app's key. */
async function backdatedCheckpoint(t: TestApp, daysAgo: number): Promise<CheckpointRow> {
  const key = signingKey(t.config.auditSigningKey);
  const heads: ChainHead[] = (await t.dataSource.query(`SELECT chain, seq, hash FROM audit_chain_heads()`)).map(
    (h: ChainHead) => ({ chain: h.chain, seq: Number(h.seq), hash: h.hash }),
  );
  const [last]: CheckpointRow[] = await t.dataSource.query(`SELECT * FROM audit_checkpoints ORDER BY id DESC LIMIT 1`);
  const row: CheckpointRow = {
    id: String(last ? Number(last.id) + 1 : 1),
    at: new Date(Date.now() - daysAgo * DAY),
    heads,
    root: merkleRoot(heads),
    previous: last ? statementHash(statementOf(last)) : GENESIS_HASH,
    key_id: keyId(key),
    signature: '',
  };
  row.signature = signStatement(statementOf(row), key);
  await t.dataSource.query(
    `INSERT INTO audit_checkpoints (id, at, heads, root, previous, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [row.id, row.at, JSON.stringify(heads), row.root, row.previous, row.key_id, row.signature],
  );
  return row;
}

describe('audit pruning', () => {
  let t: TestApp;
  afterAll(() => t?.close());

  it('prunes events behind an old signed checkpoint, keeps the trail verifiable and says what went and when', async () => {
    t = await startTestApp({ AUDIT_RETENTION_DAYS: '365' });
    const org = await makeOrganisation(t, OrganisationType.POLICE);
    const analyst: TestUser = await member(t, org, MemberRole.ANALYST);
    for (let i = 0; i < 6; i++)
      expect(codeOf(await t.gql(SUBSCRIBE, subscription(`Old ${i}`), analyst.token))).toBe('OK');
    const platform = await platformAdmin(t);
    // What a checkpoint sealed 400 days ago is past the retention; what came after it is not.
    const old = await backdatedCheckpoint(t, 400);
    const sealedHead = old.heads.find((h) => h.chain === org)!;
    expect(sealedHead.seq).toBeGreaterThan(6);
    for (let i = 0; i < 3; i++)
      expect(codeOf(await t.gql(SUBSCRIBE, subscription(`New ${i}`), analyst.token))).toBe('OK');
    expect(await t.app.get(AuditCheckpointsService).checkpoint()).not.toBeNull();
    const before: { chain: string; n: string }[] = await t.dataSource.query(
      `SELECT chain, count(*) AS n FROM audit_events GROUP BY chain`,
    );

    const purged = await t.app.get(PersonalDataRetentionService).purge();
    const pruned = purged.filter((p) => p.action === 'purgeAuditEvents');
    expect(pruned).toContainEqual({ action: 'purgeAuditEvents', organisation_id: org, purged: sealedHead.seq - 1 });
    // The organisation's chain starts at the head the old checkpoint sealed; everything after it is there.
    const [{ first }] = await t.dataSource.query(
      `SELECT min(chain_seq)::int AS first FROM audit_events WHERE chain = $1`,
      [org],
    );
    expect(first).toBe(sealedHead.seq);
    const after: { chain: string; n: string }[] = await t.dataSource.query(
      `SELECT chain, count(*) AS n FROM audit_events GROUP BY chain`,
    );
    const count = (rows: typeof before, chain: string) => Number(rows.find((r) => r.chain === chain)?.n ?? 0);
    // Gone: the events before the sealed head; added: the prune's own event on the chain's trail.
    expect(count(after, org)).toBe(count(before, org) - (sealedHead.seq - 1) + 1);
    const [event] = await t.dataSource.query(
      `SELECT details FROM audit_events WHERE chain = $1 AND action = 'purgeAuditEvents'`,
      [org],
    );
    expect(event.details).toEqual({ events: sealedHead.seq - 1 });

    const verified = await verifyTrail(t);
    expect(verified).toMatchObject({ ok: true });
    expect(verified.prunes).toContainEqual({
      chain: org,
      throughSeq: sealedHead.seq - 1,
      events: sealedHead.seq - 1,
      lastPrunedAt: expect.any(Date),
    });
    // A second run finds nothing more to prune: the old checkpoint's heads stay.
    expect(
      (await t.app.get(PersonalDataRetentionService).purge()).filter((p) => p.action === 'purgeAuditEvents'),
    ).toEqual([]);
    expect(await verifyTrail(t)).toMatchObject({ ok: true });

    // Nothing else deletes an event, not even the schema owner without a recorded prune.
    await expect(
      t.dataSource.query(`DELETE FROM audit_events WHERE chain = $1 AND chain_seq = $2`, [org, sealedHead.seq + 1]),
    ).rejects.toThrow(/append-only/);
    // A deletion passed off as a prune (recent events, under a recent checkpoint) does not verify.
    const runner = t.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      const [recent] = await runner.query(`SELECT id FROM audit_checkpoints ORDER BY at DESC LIMIT 1`);
      const [victim] = await runner.query(`SELECT hash FROM audit_events WHERE chain = $1 AND chain_seq = $2`, [
        org,
        sealedHead.seq + 1,
      ]);
      await runner.query(
        `INSERT INTO audit_prunes (chain, through_seq, through_hash, checkpoint_id, retention_days, events)
         VALUES ($1, $2, $3, $4, 365, 2)`,
        [org, sealedHead.seq + 1, victim.hash, recent.id],
      );
      await runner.query(`DELETE FROM audit_events WHERE chain = $1 AND chain_seq <= $2`, [org, sealedHead.seq + 1]);
      expect(await verifyAuditTrail(runner.manager, signingKey(t.config.auditSigningKey))).toMatchObject({
        ok: false,
        reason: `events of chain ${org} were pruned before their retention ended`,
      });
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    // The platform desk's verification says it too.
    const desk = await t.gql(`mutation { verifyAuditChain { ok prunedEvents lastPrunedAt } }`, {}, platform);
    expect(desk.data.verifyAuditChain).toEqual({
      ok: true,
      prunedEvents: verified.prunes.reduce((sum, p) => sum + p.events, 0),
      lastPrunedAt: expect.any(String),
    });
  });
});
