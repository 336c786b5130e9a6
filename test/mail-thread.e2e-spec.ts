/**
 * Mail leaves from a thread of its own at a lower CPU priority (outbox/mail-thread.ts): an alert to
 * thousands of subscribers must not hold the event loop every request needs (issue 26, e-mail
 * fan-out). Against a real SMTP server: what it accepts arrives whole, what it refuses fails with its
 * reason, and a thread that dies fails its unanswered mails (the outbox retries them) and starts again.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { MailThread } from '../src/outbox/mail-thread';
import { SmtpSink } from './helpers/smtp-sink';

/** The nice value of each thread of this process (field 19 of /proc/self/task/<tid>/stat). */
const threadNices = () =>
  readdirSync('/proc/self/task').map((tid) =>
    Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]),
  );

describe('the mail thread', () => {
  const sink = new SmtpSink();
  let thread: MailThread;

  beforeAll(async () => {
    await sink.start();
    thread = new MailThread(`${sink.url}?pool=true`);
  });
  afterAll(async () => {
    await thread.close();
    await sink.stop();
  });

  const mail = (to: string, n: number) => ({
    from: 'alerts@harbourwatch.test',
    to,
    messageId: `<thread-${n}@harbourwatch>`,
    subject: `Alert ${n}`,
    text: `Alert ${n} for ${to}`,
    html: `<p>Alert ${n}</p>`,
  });

  it('sends what the SMTP server accepts, from a thread of lower priority', async () => {
    const nicesBefore = threadNices();
    expect(await thread.send(mail('officer@police.test', 1))).toBe('<thread-1@harbourwatch>');
    const received = await sink.waitFor('officer@police.test');
    expect(received).toMatchObject({ subject: 'Alert 1', text: 'Alert 1 for officer@police.test' });
    expect(threadNices().filter((n) => n === 10).length).toBe(nicesBefore.filter((n) => n === 10).length + 1);
  });

  it("fails a mail the server refuses with the server's reason", async () => {
    sink.rejected.add('gone@police.test');
    await expect(thread.send(mail('gone@police.test', 2))).rejects.toThrow(/Mailbox unavailable/);
  });

  it('fails the mails a dead thread did not answer, and starts again with the next', async () => {
    sink.delayMs = 500;
    const unanswered = thread.send(mail('slow@police.test', 3));
    await new Promise((r) => setTimeout(r, 100));
    await (thread as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await expect(unanswered).rejects.toThrow('The mail thread stopped');
    sink.delayMs = 0;
    expect(await thread.send(mail('again@police.test', 4))).toBe('<thread-4@harbourwatch>');
    await sink.waitFor('again@police.test');
  });
});
