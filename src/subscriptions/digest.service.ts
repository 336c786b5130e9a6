import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { escapeHtml } from '../common/html';
import { DatabaseService } from '../database/database.service';
import { LINK_ONLY, tlpLabel } from '../notifications/bulletin-mail';
import { MailService } from '../notifications/mail.service';
import { OutboxService } from '../notifications/outbox.service';
import { QUEUE } from '../notifications/outbox-queues';
import { Tlp } from '../sharing/tlp';

interface DigestLine {
  bulletin_id: string;
  title: string;
  severity: string;
  tlp: Tlp;
  kind: string;
}


/**
 * The daily digest: one mail per user (and organisation) listing the bulletins their DAILY_DIGEST
 * subscriptions matched since the last one, sent at DIGEST_TIME (UTC) by a scheduled outbox job.
 * Each line is re-checked as the recipient under row-level security; AMBER_STRICT and RED lines show
 * the marking and the link only.
 */
@Injectable()
export class DigestService implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly outbox: OutboxService,
    private readonly mail: MailService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.outbox.runDaily(QUEUE.digest, this.config.DIGEST_TIME, () => this.sendDigests());
  }

  /** Mails every waiting digest; a user already mailed today is skipped if the job runs again. */
  async sendDigests(today = new Date()): Promise<number> {
    const day = today.toISOString().slice(0, 10);
    const recipients: { user_id: string; organisation_id: string }[] = await this.db.withRequest({}, async () =>
      (await this.db.em()).query(`SELECT * FROM digest_recipients()`),
    );
    let sent = 0;
    for (const r of recipients) {
      const identity = { userId: r.user_id, organisationId: r.organisation_id, isPlatformAdmin: false };
      sent += await this.db.withRequest({ identity }, async () => {
        const em = await this.db.em();
        const pending: { bulletin_id: string }[] = await em.query(
          `SELECT bulletin_id FROM digest_items WHERE user_id = $1 AND organisation_id = $2 AND mailed_on IS NULL FOR UPDATE`,
          [r.user_id, r.organisation_id],
        );
        if (!pending.length) return 0;
        // The join reads bulletins as the recipient: what they may no longer see drops out.
        const lines: DigestLine[] = await em.query(
          `SELECT DISTINCT ON (d.bulletin_id, d.kind) d.bulletin_id, b.title, b.severity, b.tlp, d.kind
             FROM digest_items d JOIN bulletins b ON b.id = d.bulletin_id
            WHERE d.user_id = $1 AND d.organisation_id = $2 AND d.mailed_on IS NULL
            ORDER BY d.bulletin_id, d.kind, d.version DESC`,
          [r.user_id, r.organisation_id],
        );
        await em.query(`UPDATE digest_items SET mailed_on = $3 WHERE user_id = $1 AND organisation_id = $2 AND mailed_on IS NULL`, [
          r.user_id, r.organisation_id, day,
        ]);
        if (!lines.length) return 0;
        const [user] = await em.query(`SELECT email FROM users WHERE id = $1`, [r.user_id]);
        await this.mail.send({
          to: user.email,
          messageId: `<digest-${r.user_id}-${r.organisation_id}-${day}@harbourwatch>`,
          ...this.compose(lines, day),
        });
        return 1;
      });
    }
    return sent;
  }

  private compose(lines: DigestLine[], day: string) {
    const entries = lines.map((l) => ({
      label: LINK_ONLY.includes(l.tlp) ? `a bulletin marked ${tlpLabel(l.tlp)}` : `[${tlpLabel(l.tlp)}] [${l.severity}] ${l.title}`,
      kind: l.kind.toLowerCase(),
      link: `${this.config.publicUrl}/bulletins/${l.bulletin_id}`,
    }));
    return {
      subject: `Harbourwatch daily digest, ${day}: ${lines.length} bulletin${lines.length === 1 ? '' : 's'}`,
      text: `Bulletins matching your subscriptions since the last digest:\n\n${entries.map((e) => `- ${e.label} (${e.kind})\n  ${e.link}`).join('\n')}\n`,
      html: `<p>Bulletins matching your subscriptions since the last digest:</p><ul>${entries
        .map((e) => `<li><a href="${escapeHtml(e.link)}">${escapeHtml(e.label)}</a> (${escapeHtml(e.kind)})</li>`)
        .join('')}</ul>`,
    };
  }
}
