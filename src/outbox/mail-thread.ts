import { Logger } from '@nestjs/common';
import { Worker } from 'node:worker_threads';
import type { SendMailOptions } from 'nodemailer';

/** How much lower the thread's CPU priority is than the server's (Linux nice; up to 19). */
const MAIL_THREAD_NICE = 10;

/** Mails handed to the thread at once: enough to keep the pool's connections busy. */
const IN_FLIGHT = 10;

type Reply = { id: number; messageId: string } | { id: number; error: string };
type Queued = { id: number; mail: SendMailOptions };

/**
 * The SMTP side of the mail service, in a worker thread of its own at a lower CPU priority. Building
 * and writing a mail costs about half a millisecond of CPU: an organisation's alert to thousands of
 * subscribers, sent on the server's event loop, made every other request wait behind its mails. In a
 * thread the mails use a core the requests do not need, and yield it when they do.
 * Fair: mails wait here in one lane per sender (an organisation's alerts) and go to the thread in
 * turns, a few at a time, so one organisation's thousands do not queue another's one behind them in
 * the SMTP pool.
 */
export class MailThread {
  private readonly logger = new Logger(MailThread.name);
  private worker?: Worker;
  private readonly pending = new Map<number, { resolve: (messageId: string) => void; reject: (e: Error) => void }>();
  /** Mails not yet handed to the thread, by lane; the map's order is the turn order. */
  private readonly lanes = new Map<string, Queued[]>();
  private inFlight = 0;
  private nextId = 0;
  private closing = false;

  constructor(private readonly smtpUrl: string) {}

  /** Sends one mail through the thread's pooled SMTP transport, in `lane`'s turn; its Message-ID. */
  send(mail: SendMailOptions, lane = ''): Promise<string> {
    const id = this.nextId++;
    return new Promise<string>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.lanes.set(lane, [...(this.lanes.get(lane) ?? []), { id, mail }]);
      this.handOver();
    });
  }

  /** The next mail of each lane in turn, while fewer than IN_FLIGHT are in the thread. */
  private handOver(): void {
    for (const [lane, queue] of this.lanes) {
      if (this.inFlight >= IN_FLIGHT) return;
      this.lanes.delete(lane);
      const next = queue.shift()!;
      if (queue.length) this.lanes.set(lane, queue); // to the back of the turn order
      this.inFlight++;
      this.started().postMessage(next);
    }
  }

  /** Closes the SMTP connections and ends the thread (mails not yet answered fail, and are retried). */
  async close(): Promise<void> {
    this.closing = true;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise((r) => worker.once('exit', r));
    worker.postMessage('close');
    const timer = setTimeout(() => void worker.terminate(), 5000);
    await exited;
    clearTimeout(timer);
  }

  /** The thread, started on first use and again after it died (its unanswered mails were failed). */
  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(`(${mailThreadMain.toString()})()`, {
      eval: true,
      workerData: { smtpUrl: this.smtpUrl, nodemailer: require.resolve('nodemailer'), nice: MAIL_THREAD_NICE },
    });
    worker.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      this.inFlight--;
      if ('error' in reply) waiting?.reject(new Error(reply.error));
      else waiting?.resolve(reply.messageId);
      this.handOver();
    });
    worker.on('error', (err) => this.logger.error(err));
    worker.on('exit', (code) => {
      this.worker = undefined;
      if (!this.closing) this.logger.error(`The mail thread exited (${code}); it starts again with the next mail`);
      for (const { reject } of this.pending.values()) reject(new Error('The mail thread stopped'));
      this.pending.clear();
      this.lanes.clear();
      this.inFlight = 0;
    });
    this.worker = worker;
    return worker;
  }
}

/**
 * The thread's whole program, run from its source text (so that it needs no file of its own next to
 * the compiled server or the TypeScript the tests run): it may use nothing from outside its body.
 */
function mailThreadMain(): void {
  /* eslint-disable @typescript-eslint/no-require-imports -- a thread run from source text has only require */
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const { readlinkSync } = require('node:fs') as typeof import('node:fs');
  const { setPriority } = require('node:os') as typeof import('node:os');
  const data = workerData as { smtpUrl: string; nodemailer: string; nice: number };
  const nodemailer = require(data.nodemailer) as typeof import('nodemailer');
  /* eslint-enable @typescript-eslint/no-require-imports */
  try {
    // Linux gives each thread its own priority: /proc/thread-self names this one.
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), data.nice);
  } catch {
    // Elsewhere the thread keeps the server's priority; it still leaves the event loop to the requests.
  }
  const transport = nodemailer.createTransport(data.smtpUrl);
  parentPort!.on('message', (message: 'close' | { id: number; mail: import('nodemailer').SendMailOptions }) => {
    if (message === 'close') {
      transport.close();
      parentPort!.close();
      return;
    }
    transport.sendMail(message.mail).then(
      (info: { messageId: string }) => parentPort!.postMessage({ id: message.id, messageId: info.messageId }),
      (err: unknown) =>
        parentPort!.postMessage({ id: message.id, error: err instanceof Error ? err.message : String(err) }),
    );
  });
}
