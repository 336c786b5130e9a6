/**
 * The reporter pages' rate (issue 26, reporter intake flood): anyone may post, so their posts together
 * are taken at most REPORT_POSTS_PER_SECOND a second by a server. A post beyond the rate waits its
 * turn before its body is read; beyond REPORT_POSTS_WAITING waiting, the answer is a 503 page at once.
 * Reading the pages never waits.
 */
import { startTestApp, TestApp } from './helpers/test-app';

describe("the reporter pages' share of the server", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ REPORT_POSTS_PER_SECOND: '1', REPORT_POSTS_WAITING: '3' });
  });
  afterAll(() => t.close());

  const forged = () =>
    fetch(`${t.baseUrl}/report`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ category: 'BRIBERY', text: 'x'.repeat(2000), challenge: 'forged' }).toString(),
    });

  it('lets a flood of posts wait in turn, answers those beyond the queue at once, and never the pages', async () => {
    const flood = Array.from({ length: 12 }, () => forged());
    // While the posts wait, the form itself is served.
    const form = await fetch(`${t.baseUrl}/report`);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('<h1>Report corruption or crime in the port, anonymously</h1>');

    const answers = await Promise.all(flood);
    const statuses = answers.map((r) => r.status);
    // One at once (a second's worth), three waiting their turn a second apart: the rest turned away.
    expect(statuses.filter((s) => s === 400).length).toBe(4);
    expect(statuses.filter((s) => s === 503).length).toBe(8);
    const busy = answers.find((r) => r.status === 503)!;
    expect(busy.headers.get('retry-after')).toBe('60');
    expect(busy.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await busy.text()).toMatch(/<html[\s\S]*wait a minute and send again/);
    for (const r of answers) if (r !== busy) await r.body?.cancel();
  });
});
