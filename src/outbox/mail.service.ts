import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { Transporter } from 'nodemailer';
import { APP_CONFIG, AppConfig } from '../config/config';

export interface Mail {
  to: string;
  /** A fixed Message-ID (`<id@host>`), so that a resend is recognisably the same message. */
  messageId?: string;
  subject: string;
  text: string;
  html: string;
  /** One-click unsubscribe (RFC 8058): mail clients offer it from the List-Unsubscribe headers. */
  unsubscribeUrl?: string;
}

/**
 * Sends mail over SMTP (SMTP_URL). Without SMTP_URL (the embedded default) mails are written as .eml
 * files under DATA_DIR/mail instead, and startup says so.
 */
@Injectable()
export class MailService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(MailService.name);
  private transport: Transporter;
  private outbox?: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onModuleInit(): void {
    if (this.config.SMTP_URL) {
      // Pooled: a fan-out reuses a few SMTP connections instead of opening one per mail.
      const url = new URL(this.config.SMTP_URL);
      if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
      this.transport = nodemailer.createTransport(url.toString());
    } else {
      this.outbox = join(this.config.DATA_DIR, 'mail');
      this.transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
      this.logger.warn(`SMTP_URL is not set: e-mails are written to ${this.outbox}/ instead of being sent`);
    }
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }

  /** Returns the SMTP Message-ID. */
  async send({ unsubscribeUrl, ...mail }: Mail): Promise<string> {
    const info = await this.transport.sendMail({
      from: this.config.MAIL_FROM,
      ...mail,
      ...(unsubscribeUrl && {
        list: { unsubscribe: { url: unsubscribeUrl, comment: 'Unsubscribe' } },
        headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      }),
    });
    if (this.outbox) {
      await mkdir(this.outbox, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${info.messageId.replace(/[^\w.-]/g, '')}.eml`;
      await writeFile(join(this.outbox, name), (info as unknown as { message: Buffer }).message);
    }
    return info.messageId;
  }
}
