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

/** What each purge deletes, as its audit event names the count. */
const COUNTED = {
  purgeSessions: 'sessions',
  purgeInvitations: 'invitations',
  purgeLoginFailures: 'loginFailures',
  purgeDeliveries: 'deliveries',
} as const;
type Purge = keyof typeof COUNTED;

export type Purged = { action: string; organisation_id: string | null; purged: number }[];

/**
 * Enforces the retention of ended bulletins, accounts after leaving, sessions, invitations, login failures and delivery records (see
 * RETENTION in common/personal-data.ts), daily, batch after batch; each organisation's trail (the
 * platform's for login failures and mail files) records how many went.
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
    const totals = new Map<string, { action: string; organisation_id: string | null; purged: number }>();
    for (let full = true; full;) {
      const rows: Purged = await this.db.withRequest({}, async () =>
        (await this.db.em()).query(`SELECT action, organisation_id, purged FROM retention_purge($1, $2, $3, $4)`, [
          this.config.SESSION_RETENTION_DAYS,
          this.config.LOGIN_FAILURE_RETENTION_DAYS,
          this.config.DELIVERY_RETENTION_DAYS,
          BATCH,
        ]),
      );
      const perAction = new Map<string, number>();
      for (const row of rows) {
        const key = `${row.action}/${row.organisation_id}`;
        const total = totals.get(key) ?? { ...row, purged: 0 };
        totals.set(key, { ...total, purged: total.purged + row.purged });
        perAction.set(row.action, (perAction.get(row.action) ?? 0) + row.purged);
      }
      // Another call only while some table may hold more: a batch came back full.
      full = [...perAction.values()].some((n) => n >= BATCH);
    }
    const purged = [...totals.values()];
    for (const action of Object.keys(COUNTED) as Purge[]) {
      await this.audit.recordPurged(
        action,
        'PersonalData',
        purged
          .filter((p) => p.action === action)
          .map((p) => ({ organisation_id: p.organisation_id, [COUNTED[action]]: p.purged })),
      );
    }
    const bulletins = await this.purgeEndedBulletins();
    await this.audit.recordPurged('purgeBulletins', 'Bulletin', bulletins);
    const accounts = await this.pseudonymiseLeftAccounts();
    if (accounts > 0) await this.audit.recordPurged('purgeAccounts', 'User', [{ organisation_id: null, accounts }]);
    const files = await this.mail.purgeFiles(this.config.DELIVERY_RETENTION_DAYS);
    if (files > 0) await this.audit.recordPurged('purgeMailFiles', 'MailFile', [{ organisation_id: null, files }]);
    return [
      ...purged,
      ...bulletins.map((b) => ({ action: 'purgeBulletins', organisation_id: b.organisation_id, purged: b.bulletins })),
      ...(accounts > 0 ? [{ action: 'purgeAccounts', organisation_id: null, purged: accounts }] : []),
      ...(files > 0 ? [{ action: 'purgeMailFiles', organisation_id: null, purged: files }] : []),
    ];
  }

  /** Bulletins past their organisation's retention after they ended, a batch at a time; counts per organisation. */
  private async purgeEndedBulletins(): Promise<{ organisation_id: string; bulletins: number }[]> {
    const totals = new Map<string, number>();
    for (let full = true; full;) {
      const rows: { organisation_id: string; bulletins: number }[] = await this.db.withRequest({}, async () =>
        (await this.db.em()).query(`SELECT organisation_id, bulletins FROM bulletins_purge_ended($1, $2)`, [
          this.config.BULLETIN_RETENTION_DAYS,
          BULLETIN_BATCH,
        ]),
      );
      for (const r of rows) totals.set(r.organisation_id, (totals.get(r.organisation_id) ?? 0) + r.bulletins);
      full = rows.reduce((sum, r) => sum + r.bulletins, 0) >= BULLETIN_BATCH;
    }
    return [...totals].map(([organisation_id, bulletins]) => ({ organisation_id, bulletins }));
  }

  /** Accounts of people who left their last organisation ACCOUNT_RETENTION_DAYS ago, a batch at a time. */
  private async pseudonymiseLeftAccounts(): Promise<number> {
    let total = 0;
    for (let n = BATCH; n === BATCH; total += n) {
      n = await this.db.withRequest({}, async () => {
        const rows: { erased: { pseudonymised: boolean } }[] = await (
          await this.db.em()
        ).query(
          `SELECT erase_person(u.id, NULL) AS erased FROM (
             SELECT id FROM users
              WHERE left_at < now() - make_interval(days => $1) AND erased_at IS NULL AND NOT is_platform_admin
              LIMIT $2) u`,
          [this.config.ACCOUNT_RETENTION_DAYS, BATCH],
        );
        return rows.filter((r) => r.erased.pseudonymised).length;
      });
    }
    return total;
  }
}
