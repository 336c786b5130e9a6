import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { TOTP_CONTEXT } from '../auth/totp.service';
import { keyIdOf, SecretBox } from '../common/secret-box';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { refreshContext } from '../identity/federated-sign-in.service';
import { clientSecretContext, signingKeyContext } from '../identity/provider-clients';
import { secretContext } from '../notifications/webhook-delivery.service';
import { OutboxService } from '../outbox/outbox.service';
import { QUEUE } from '../outbox/outbox-queues';
import { dataKeyContext, IdentityEnvelope } from '../vetting/identity-envelope';
import { pseudonymKeyId, subjectPseudonym } from '../vetting/subject-pseudonym';
import { KeyRotationState } from './dto/platform-health.types';

interface SealedRow {
  id: string;
  sealed: string;
  a: string | null;
  b: string | null;
}

/**
 * Each column sealed under ENCRYPTION_KEY that the job seals again (migration KeyRotation's sealed_column),
 * with its sealing context. Not here, as they live minutes: sign-in verifiers and invitation e-mails in the
 * outbox (opened under any configured key until they expire).
 */
const SEALED: Record<string, (row: SealedRow) => string> = {
  totp: () => TOTP_CONTEXT,
  totpPending: () => TOTP_CONTEXT,
  webhookSecret: (r) => secretContext(r.id),
  providerClientSecret: (r) => clientSecretContext(r.id),
  providerSigningKey: (r) => signingKeyContext(r.a!),
  idpRefresh: (r) => refreshContext(r.a!, r.b!),
  vettingDataKey: (r) => dataKeyContext(r.id),
};

/** Rows per statement and transaction. */
const BATCH = 500;
/** How often the job looks for values under a replaced key: a restart with new keys is followed within this. */
const EVERY_MINUTES = 15;
const FIRST_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Key rotation's second half: once ENCRYPTION_KEY or VETTING_PSEUDONYM_KEY is new and the old one is in
 * its _PREVIOUS list (read with, never written with), this job seals every stored secret again under the
 * new key and re-keys every vetting pseudonym (from the record's sealed identity), batch by batch, each in
 * a transaction of its own; what it did goes to the platform's audit trail, its progress to the platform
 * desk. Receipt lookups cannot be re-keyed without the receipt: they move when their reporter comes back.
 */
@Injectable()
export class KeyRotationService implements OnApplicationBootstrap {
  private readonly logger = new Logger(KeyRotationService.name);
  private readonly box: SecretBox;
  private readonly envelope: IdentityEnvelope;
  private readonly sealingKeyId: string;
  private readonly pseudonymKeyId: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
  ) {
    this.box = new SecretBox(config.encryptionKeys);
    this.envelope = new IdentityEnvelope(config.encryptionKeys);
    this.sealingKeyId = keyIdOf(config.encryptionKey, 'sealing');
    this.pseudonymKeyId = pseudonymKeyId(config.pseudonymKey);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.outbox.runEvery(QUEUE.keyRotation, EVERY_MINUTES, () => this.rotate());
  }

  /** Moves everything it can to the current keys; how many values of each kind it moved. */
  async rotate(): Promise<Record<string, number>> {
    const moved: Record<string, number> = {};
    for (const [kind, context] of Object.entries(SEALED)) {
      moved[kind] = await this.inBatches<SealedRow>(
        `SELECT * FROM sealed_values_batch($1, $2, $3, $4)`,
        [kind, this.box.currentPrefix],
        async (rows) => {
          const resealed = rows.flatMap((r) => {
            const plain = this.attempt(kind, r.id, () => this.box.open(r.sealed, context(r)));
            return plain === null ? [] : [{ ...r, after: this.box.seal(plain, context(r)) }];
          });
          return this.count(`SELECT sealed_values_replace($1, $2::uuid[], $3::text[], $4::text[]) AS n`, [
            kind,
            resealed.map((r) => r.id),
            resealed.map((r) => r.sealed),
            resealed.map((r) => r.after),
          ]);
        },
      );
    }
    moved.vettingPseudonym = await this.inBatches<{
      id: string;
      subject_pseudonym: Buffer;
      identity_key: string;
      identity: string;
    }>(`SELECT * FROM vetting_pseudonyms_batch($1, $2, $3)`, [this.pseudonymKeyId], async (rows) => {
      const rekeyed = rows.flatMap((r) => {
        const identity = this.attempt('vettingPseudonym', r.id, () =>
          this.envelope.openIdentity(r.id, { dataKey: r.identity_key, identity: r.identity }),
        );
        return identity === null ? [] : [{ id: r.id, pseudonym: subjectPseudonym(this.config.pseudonymKey, identity) }];
      });
      return this.count(`SELECT vetting_pseudonyms_replace($1, $2::uuid[], $3::bytea[]) AS n`, [
        this.pseudonymKeyId,
        rekeyed.map((r) => r.id),
        rekeyed.map((r) => r.pseudonym),
      ]);
    });
    if (this.config.encryptionKeys.length === 1) {
      moved.receiptLookup = await this.db.withRequest({}, () =>
        this.count(`SELECT whistleblower_receipt_lookups_name_key($1) AS n`, [this.sealingKeyId]),
      );
    }
    const changed = Object.fromEntries(Object.entries(moved).filter(([, n]) => n > 0));
    if (Object.keys(changed).length) {
      this.logger.log(`sealed or keyed again under the current keys: ${JSON.stringify(changed)}`);
      await this.audit.record({ action: 'rotateKeys', objectType: 'Platform', details: changed });
    }
    return moved;
  }

  /** Each key, its predecessors still configured, and what is still under one of them. */
  async status(): Promise<KeyRotationState[]> {
    const rows: { kind: string; pending: string; total: string }[] = await (
      await this.db.em()
    ).query(`SELECT * FROM key_rotation_pending($1, $2, $3)`, [
      this.box.currentPrefix,
      this.pseudonymKeyId,
      this.sealingKeyId,
    ]);
    const values = rows.map((r) => ({ kind: r.kind, pending: Number(r.pending), total: Number(r.total) }));
    const pseudonyms = (v: { kind: string }) => v.kind === 'vettingPseudonym';
    return [
      {
        key: 'ENCRYPTION_KEY',
        currentKeyId: this.sealingKeyId,
        previousKeyIds: this.config.encryptionKeys.slice(1).map((k) => keyIdOf(k, 'sealing')),
        values: values.filter((v) => !pseudonyms(v)),
      },
      {
        key: 'VETTING_PSEUDONYM_KEY',
        currentKeyId: this.pseudonymKeyId,
        previousKeyIds: this.config.pseudonymKeys.slice(1).map(pseudonymKeyId),
        values: values.filter(pseudonyms),
      },
    ];
  }

  /** Pages through `sql` (its last two parameters: the id to start after, the batch size), one transaction a page. */
  private async inBatches<T extends { id: string }>(
    sql: string,
    params: unknown[],
    work: (rows: T[]) => Promise<number>,
  ): Promise<number> {
    let total = 0;
    for (let after = FIRST_ID, full = true; full;) {
      ({ after, full } = await this.db.withRequest({}, async () => {
        const rows: T[] = await (await this.db.em()).query(sql, [...params, after, BATCH]);
        total += rows.length ? await work(rows) : 0;
        return { after: rows.at(-1)?.id ?? after, full: rows.length === BATCH };
      }));
    }
    return total;
  }

  /** A value no configured key opens is skipped and reported: it is lost already, the others are not. */
  private attempt<T>(kind: string, id: string, open: () => T): T | null {
    try {
      return open();
    } catch (err) {
      this.logger.error(`${kind} of ${id} opens under no configured key: ${(err as Error).message}`);
      return null;
    }
  }

  private async count(sql: string, params: unknown[]): Promise<number> {
    const [{ n }]: { n: number }[] = await (await this.db.em()).query(sql, params);
    return n;
  }
}
