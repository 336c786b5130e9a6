import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { MailService } from '../outbox/mail.service';
import { OutboxService } from '../outbox/outbox.service';
import { QUEUE } from '../outbox/outbox-queues';

/** Housekeeping, after the other daily purges (03:00 to 03:45 by default). */
const PURGE_TIME = '04:00';
/** Rows per table and statement: short transactions, few locks. */
const BATCH = 5000;
/** Bulletins per statement: each takes its versions, indicators and deliveries with it. */
const BULLETIN_BATCH = 500;

/** Each purge's audit event: the type of what it deletes, and the name of its count. */
const AUDITED = {
  purgeSessions: ['PersonalData', 'sessions'],
  purgeInvitations: ['PersonalData', 'invitations'],
  purgeLoginFailures: ['PersonalData', 'loginFailures'],
  purgeDeliveries: ['PersonalData', 'deliveries'],
  purgeBulletins: ['Bulletin', 'bulletins'],
  purgeAccounts: ['User', 'accounts'],
  purgeMailFiles: ['MailFile', 'files'],
  purgeAuditEvents: ['AuditEvent', 'events'],
  purgeFederatedBulletins: ['FederatedBulletin', 'bulletins'],
} as const;

export type Purged = { action: string; organisation_id: string | null; purged: number }[];

/**
 * Enforces the retention of ended bulletins, peers' bulletins, accounts after leaving, sessions,
 * invitations, login failures, delivery records and audit events (see RETENTION in common/personal-data.ts), daily, batch after batch;
 * each organisation's trail (the platform's for login failures, accounts and mail files) records how
 * many went.
 */
@Injectable()
export class PersonalDataRetentionService implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    private readonly db: DatabaseService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.outbox.runDaily(QUEUE.personalDataRetention, PURGE_TIME, () => this.purge());
  }

  async purge(): Promise<Purged> {
    const purged = [
      ...(await this.inBatches(
        `SELECT action, organisation_id, purged FROM retention_purge($1, $2, $3, $4)`,
        [
          this.config.SESSION_RETENTION_DAYS,
          this.config.LOGIN_FAILURE_RETENTION_DAYS,
          this.config.DELIVERY_RETENTION_DAYS,
          BATCH,
        ],
        BATCH,
      )),
      // Bulletins past their organisation's retention after they ended.
      ...(await this.inBatches(
        `SELECT 'purgeBulletins' AS action, organisation_id, bulletins AS purged FROM bulletins_purge_ended($1, $2)`,
        [this.config.BULLETIN_RETENTION_DAYS, BULLETIN_BATCH],
        BULLETIN_BATCH,
      )),
      // Accounts of people who left their last organisation ACCOUNT_RETENTION_DAYS ago, pseudonymised.
      ...(await this.inBatches(
        `SELECT 'purgeAccounts' AS action, NULL::uuid AS organisation_id, count(*)::int AS purged
           FROM (SELECT erase_person(u.id, NULL) AS erased FROM (
                   SELECT id FROM users
                    WHERE left_at < now() - make_interval(days => $1) AND erased_at IS NULL AND NOT is_platform_admin
                    LIMIT $2) u) e
          WHERE (e.erased->>'pseudonymised')::boolean`,
        [this.config.ACCOUNT_RETENTION_DAYS, BATCH],
        BATCH,
      )),
      // Peer instances' bulletins past the agreement's retention (the platform's trail).
      ...(await this.inBatches(
        `SELECT 'purgeFederatedBulletins' AS action, NULL::uuid AS organisation_id, purged FROM federated_bulletins_purge($1)`,
        [BULLETIN_BATCH],
        BULLETIN_BATCH,
      )),
      // Audit events sealed by a checkpoint older than the retention, each chain's head kept; on the
      // chain's own trail (a chain is an organisation's id, or the platform's).
      ...(await this.inBatches(
        `SELECT 'purgeAuditEvents' AS action,
                CASE WHEN pruned_chain ~ '^[0-9a-f-]{36}$' THEN pruned_chain::uuid END AS organisation_id,
                events AS purged
           FROM audit_prune($1, $2)`,
        [this.config.AUDIT_RETENTION_DAYS, BATCH],
        BATCH,
      )),
    ];
    const files = await this.mail.purgeFiles(this.config.DELIVERY_RETENTION_DAYS);
    if (files > 0) purged.push({ action: 'purgeMailFiles', organisation_id: null, purged: files });
    for (const [action, [objectType, counted]] of Object.entries(AUDITED)) {
      await this.audit.recordPurged(
        action,
        objectType,
        purged
          .filter((p) => p.action === action)
          .map((p) => ({ organisation_id: p.organisation_id, [counted]: p.purged })),
      );
    }
    return purged;
  }

  /**
   * Runs a purge statement (rows of action, organisation and count), each call in a transaction of its
   * own, until no action's batch comes back full; the counts added up, those that deleted anything.
   */
  private async inBatches(sql: string, params: unknown[], batch: number): Promise<Purged> {
    const totals = new Map<string, Purged[number]>();
    for (let full = true; full;) {
      const rows: Purged = await this.db.withRequest({}, async () => (await this.db.em()).query(sql, params));
      const perAction = new Map<string, number>();
      for (const row of rows) {
        const key = `${row.action}/${row.organisation_id}`;
        totals.set(key, { ...row, purged: (totals.get(key)?.purged ?? 0) + row.purged });
        perAction.set(row.action, (perAction.get(row.action) ?? 0) + row.purged);
      }
      full = [...perAction.values()].some((n) => n >= batch);
    }
    return [...totals.values()].filter((t) => t.purged > 0);
  }
}
