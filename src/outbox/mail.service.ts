import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { SendMailOptions, Transporter } from 'nodemailer';
import { APP_CONFIG, AppConfig } from '../config/config';
import { MailThread } from './mail-thread';

export interface Mail {
  to: string;
  /** A fixed Message-ID (`<id@host>`), so that a resend is recognisably the same message. */
  messageId?: string;
  subject: string;
  text: string;
  html: string;
  /** One-click unsubscribe (RFC 8058): mail clients offer it from the List-Unsubscribe headers. */
  unsubscribeUrl?: string;
  /** Whose mail it is (an alert's author organisation): each sender's mails take turns with the others'. */
  sender?: string;
}

/**
 * Sends mail over SMTP (SMTP_URL), from a thread of its own (MailThread). Without SMTP_URL (the
 * embedded default) mails are written as .eml files under DATA_DIR/mail instead, and startup says so.
 */
@Injectable()
export class MailService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(MailService.name);
  private thread?: MailThread;
  private files?: { transport: Transporter; dir: string };

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onModuleInit(): void {
    if (this.config.SMTP_URL) {
      // Pooled: a fan-out reuses a few SMTP connections instead of opening one per mail.
      const url = new URL(this.config.SMTP_URL);
      if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
      this.thread = new MailThread(url.toString());
    } else {
      const dir = join(this.config.DATA_DIR, 'mail');
      this.files = {
        dir,
        transport: nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }),
      };
      this.logger.warn(`SMTP_URL is not set: e-mails are written to ${dir}/ instead of being sent`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.thread?.close();
  }

  /** Deletes mail files written more than `days` ago; answers how many (none when mail goes to SMTP). */
  async purgeFiles(days: number): Promise<number> {
    if (!this.files) return 0;
    const before = Date.now() - days * 86_400_000;
    const names = await readdir(this.files.dir).catch(() => [] as string[]);
    let purged = 0;
    for (const name of names.filter((n) => n.endsWith('.eml'))) {
      const path = join(this.files.dir, name);
      if ((await stat(path)).mtimeMs < before) {
        await rm(path, { force: true });
        purged++;
      }
    }
    return purged;
  }

  /** Returns the SMTP Message-ID. */
  async send({ unsubscribeUrl, sender, ...mail }: Mail): Promise<string> {
    const options: SendMailOptions = {
      from: this.config.MAIL_FROM,
      ...mail,
      ...(unsubscribeUrl && {
        list: { unsubscribe: { url: unsubscribeUrl, comment: 'Unsubscribe' } },
        headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      }),
    };
    if (this.thread) return this.thread.send(options, sender);
    const { transport, dir } = this.files!;
    const info = (await transport.sendMail(options)) as { messageId: string; message: Buffer };
    await mkdir(dir, { recursive: true });
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${info.messageId.replace(/[^\w.-]/g, '')}.eml`;
    await writeFile(join(dir, name), info.message);
    return info.messageId;
  }
}
