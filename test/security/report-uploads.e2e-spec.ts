/**
 * Issue 11, item 8: unauthenticated uploads to the reporter pages cannot exhaust the server's memory.
 * The challenge is checked before any file byte is read, and the bytes in flight are capped per server.
 */
import { request, IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { once } from 'node:events';
import { MemberRole, OrganisationType } from '../../src/common/organisation-type';
import { captureOutput } from '../helpers/captured-output';
import { makeOrganisation, member } from '../helpers/factory';
import { startTestApp, TestApp } from '../helpers/test-app';
import { OPT_IN } from '../helpers/whistleblowing';
import { printSummary } from './summary';

const printed = captureOutput([process.stdout, process.stderr]);

const BOUNDARY = 'harbourwatch-test-boundary';
const MB = 1024 * 1024;

/**
 * A multipart post to `path` declaring `fileBytes` of attachment, whose file part is sent slowly (1 MB
 * every 50 ms). Resolves with the response and how many file bytes had been sent when it arrived.
 */
function slowUpload(t: TestApp, path: string, fields: Record<string, string>, fileBytes: number) {
  const head =
    Object.entries(fields)
      .map(([k, v]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('') +
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="attachments"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const tail = `\r\n--${BOUNDARY}--\r\n`;
  const length = Buffer.byteLength(head) + fileBytes + Buffer.byteLength(tail);
  const url = new URL(path, t.baseUrl);
  const target = url.pathname + url.search;
  let sent = 0;
  let stop = false;
  let aborted = false;
  const req = request({
    host: url.hostname,
    port: url.port,
    path: target,
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': length },
  });
  const response = new Promise<{ res: IncomingMessage; sentWhenAnswered: number; body: string }>((resolve, reject) => {
    // A connection reset before any answer fails the test instead of leaving it waiting.
    req.on(
      'error',
      (err) => aborted || reject(new Error(`connection failed after ${sent} file bytes: ${err.message}`)),
    );
    req.on('response', (res) => {
      const sentWhenAnswered = sent;
      stop = true;
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ res, sentWhenAnswered, body }));
    });
  });
  void (async () => {
    req.write(head);
    // The headers carry the challenge: a refusal comes before the first file byte is due.
    await new Promise((r) => setTimeout(r, 300));
    const chunk = Buffer.alloc(MB, 7);
    while (sent < fileBytes && !stop) {
      req.write(chunk.subarray(0, Math.min(MB, fileBytes - sent)));
      sent += Math.min(MB, fileBytes - sent);
      await new Promise((r) => setTimeout(r, 50));
    }
    if (!stop) req.end(tail);
    else req.destroy();
  })();
  return {
    response,
    abort: () => {
      stop = true;
      aborted = true;
      req.destroy();
    },
  };
}

describe('reporter uploads', () => {
  let t: TestApp;
  let recipient: string;

  beforeAll(async () => {
    t = await startTestApp({ REPORT_FORM_MIN_SECONDS: '0', REPORT_UPLOADS_INFLIGHT_MB: '210' });
    recipient = await makeOrganisation(t, OrganisationType.POLICE);
    await t.gql(OPT_IN, { accept: true }, (await member(t, recipient, MemberRole.ORG_ADMIN)).token);
  });
  afterAll(() => t.close());

  /** The form's upload address, challenge included, as a browser would post to it. */
  const formAction = async () =>
    /action="([^"]+)"/.exec(await (await fetch(`${t.baseUrl}/report`)).text())![1].replace(/&amp;/g, '&');
  const fields = (text: string) => ({ category: 'BRIBERY', recipientOrganisationId: recipient, text });

  it('refuses a post whose challenge is forged or spent before reading its files', async () => {
    const spent = await formAction();
    expect((await slowUpload(t, spent, fields('first'), MB).response).res.statusCode).toBe(200);
    for (const path of ['/report?challenge=form.SUBMIT.1.0.x.forged', '/report', spent]) {
      const { response } = slowUpload(t, path, fields('x'), 40 * MB);
      const { res, sentWhenAnswered } = await response;
      expect([path, res.statusCode]).toEqual([path, 400]);
      expect(sentWhenAnswered).toBeLessThan(5 * MB);
    }
    // A reply to a case by receipt: the same, before the receipt costs any work.
    const { response } = slowUpload(
      t,
      '/report/follow-up/reply?challenge=form.FOLLOW_UP.1.0.x.y',
      { receipt: '0'.repeat(28), body: 'x' },
      40 * MB,
    );
    expect((await response).res.statusCode).toBe(400);
    expect((await response).sentWhenAnswered).toBeLessThan(5 * MB);
  }, 60_000);

  it('answers every post at once with a page: a NUL in any field, urlencoded or multipart, and a refused challenge', async () => {
    const answer = async (path: string, body: URLSearchParams | FormData) => {
      const res = await fetch(new URL(path, t.baseUrl), { method: 'POST', body, signal: AbortSignal.timeout(10_000) });
      const page = await res.text();
      return [
        res.status,
        page.startsWith('<!doctype html>') ? (/<p[^>]*role="alert"[^>]*>([^<]*)/.exec(page)?.[1] ?? 'page') : page,
      ];
    };
    const urlencoded = (f: Record<string, string>) => new URLSearchParams(f);
    const multipart = (f: Record<string, string>) => {
      const data = new FormData();
      for (const [k, v] of Object.entries(f)) data.append(k, v);
      return data;
    };
    const followUpChallenge = async () =>
      /name="challenge" value="([^"]+)"/.exec(await (await fetch(`${t.baseUrl}/report/follow-up`)).text())![1];
    const nul = 'crane\u0000driver';
    const refused = (why: string) => [400, `Please check what you entered: ${why}`];
    const refusedText = refused('Text must be valid Unicode without NUL characters');

    for (const encode of [urlencoded, multipart])
      expect(await answer(await formAction(), encode(fields(nul)))).toEqual(refusedText);
    expect(
      await answer('/report/follow-up', urlencoded({ challenge: await followUpChallenge(), receipt: nul })),
    ).toEqual(refusedText);
    const reply = `/report/follow-up/reply?challenge=${encodeURIComponent(await followUpChallenge())}`;
    expect(await answer(reply, multipart({ receipt: '0'.repeat(28), body: nul }))).toEqual(refusedText);

    const spent = await formAction();
    expect((await answer(spent, urlencoded(fields('first'))))[0]).toBe(200);
    expect(await answer(spent, urlencoded(fields('again')))).toEqual(
      refused('This challenge was used already: start again'),
    );
    expect(await answer('/report?challenge=form.SUBMIT.1.0.x.forged', urlencoded(fields('x')))).toEqual(
      refused('The challenge is not valid or has expired: start again'),
    );
  });

  it('caps the bytes in flight on the server: a post beyond the budget is answered 503 before it is read', async () => {
    const first = slowUpload(t, await formAction(), fields('x'), 150 * MB);
    await new Promise((r) => setTimeout(r, 300));
    const second = slowUpload(t, await formAction(), fields('y'), 150 * MB);
    const { res, sentWhenAnswered, body } = await second.response;
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('60');
    expect(body).toMatch(/busy/);
    expect(sentWhenAnswered).toBeLessThan(5 * MB);
    first.abort();
    // The budget is given back when the first post ends.
    await new Promise((r) => setTimeout(r, 300));
    const third = slowUpload(t, await formAction(), fields('z'), 2 * MB);
    expect((await third.response).res.statusCode).toBe(200);
    // The abandoned post is not logged: the reporter pages log nothing.
    expect(printed.filter((line) => /Request (aborted|closed)|"level":50/.test(line))).toEqual([]);
  }, 60_000);

  it('lets a client that keeps sending after the refusal read it, instead of resetting its connection', async () => {
    const url = new URL(t.baseUrl);
    const socket = connect(Number(url.port), url.hostname);
    await once(socket, 'connect');
    socket.pause(); // a busy browser: the answer is not read before it sends its file
    socket.write(
      `POST /report HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\n` +
        `Content-Length: ${300 * MB}\r\n\r\n`,
    );
    await new Promise((r) => setTimeout(r, 300));
    await new Promise<void>((resolve, reject) =>
      socket.write(Buffer.alloc(2 * MB, 7), (e) => (e ? reject(e) : resolve())),
    );
    await new Promise((r) => setTimeout(r, 300));
    let answer = '';
    socket.on('data', (c: Buffer) => (answer += c.toString('latin1')));
    socket.resume();
    await once(socket, 'close');
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 413 Payload Too Large');
  });

  it('refuses a declared size above the largest possible report at once', async () => {
    const { response } = slowUpload(t, await formAction(), fields('w'), 205 * MB);
    expect((await response).res.statusCode).toBe(413);
    printSummary(
      'report uploads: forged, empty and spent challenges, over-budget and oversized posts answered before their files were read',
    );
  });
});
