/**
 * The mail thread's lanes (issue 26, fair delivery): one sender's hundreds of mails do not queue
 * another sender's one behind them. A real SMTP server that takes a while per mail receives them.
 */
import { MailThread } from '../src/outbox/mail-thread';
import { SmtpSink } from './helpers/smtp-sink';
import { until } from './helpers/wait';

describe('mail thread', () => {
  const sink = new SmtpSink();
  let thread: MailThread;

  beforeAll(async () => {
    await sink.start();
    sink.delayMs = 10;
    thread = new MailThread(`${sink.url}?pool=true`);
  });
  afterAll(async () => {
    await thread.close();
    await sink.stop();
  });

  it("sends another sender's mail in its turn, not after a busy sender's backlog", async () => {
    const mail = (to: string) => ({ from: 'hw@example.org', to, subject: to, text: to });
    const busy = Array.from({ length: 60 }, (_, i) => thread.send(mail(`busy-${i}@example.org`), 'busy'));
    const other = thread.send(mail('other@example.org'), 'other');
    const shared = thread.send(mail('invitation@example.org'));
    await Promise.all([...busy, other, shared]);
    await until(() => sink.mails.length === 62, 10_000);
    const arrived = sink.mails.map((m) => m.to[0]);
    // First in, first out it would be 61st and 62nd; in turns, right after what was already in the thread.
    expect(arrived.indexOf('other@example.org')).toBeLessThan(15);
    expect(arrived.indexOf('invitation@example.org')).toBeLessThan(15);
  });
});
