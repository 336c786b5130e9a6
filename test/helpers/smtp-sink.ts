import { simpleParser, ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SinkMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Map<string, unknown>;
}

/** A real SMTP server in the test process that keeps every mail it accepts. */
export class SmtpSink {
  readonly mails: SinkMail[] = [];
  /** Refuse this many messages with a temporary error (451) before accepting again. */
  failNext = 0;
  /** Time the server takes per message, to make a fan-out last long enough to interrupt. */
  delayMs = 0;
  /** Recipients refused permanently (550). */
  readonly rejected = new Set<string>();
  /** Recipients refused with a temporary error (451) this many more times, whatever else is being sent. */
  readonly deferred = new Map<string, number>();
  /** When set, mails to no one it names are accepted unread (a benchmark's background load). */
  keepOnly?: (recipient: string) => boolean;
  private server: SMTPServer;
  private waiters: (() => void)[] = [];
  port = 0;

  async start(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        const to = address.address.toLowerCase();
        const deferrals = this.deferred.get(to) ?? 0;
        if (deferrals > 0) {
          this.deferred.set(to, deferrals - 1);
          return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
        }
        if (!this.rejected.has(to)) return callback();
        callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
      },
      onData: (stream, session, callback) => {
        if (this.failNext > 0) {
          this.failNext--;
          stream.resume();
          stream.on('end', () => callback(Object.assign(new Error('Try again later'), { responseCode: 451 })));
          return;
        }
        if (this.keepOnly && !session.envelope.rcptTo.some((r) => this.keepOnly!(r.address))) {
          stream.resume();
          stream.on('end', () => callback());
          return;
        }
        simpleParser(stream)
          .then(async (mail: ParsedMail) => {
            if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
            this.mails.push({
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
              messageId: mail.messageId ?? '',
              headers: mail.headers,
            });
            this.waiters.splice(0).forEach((w) => w());
            callback();
          })
          .catch(callback);
      },
    });
    // A client that dies mid-connection (the crash test kills the server) resets its socket: expected.
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as { port: number }).port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Waits until `count` mails to `to` arrived (mail is sent after the request commits, so not at once); the first. */
  async waitFor(to: string, timeoutMs = 10_000, count = 1): Promise<SinkMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.mails.filter((m) => m.to.some((r) => r.toLowerCase() === to.toLowerCase()));
      if (found.length >= count) return found[0];
      if (Date.now() > deadline) throw new Error(`No mail to ${to} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
