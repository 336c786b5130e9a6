/**
 * The console in a real browser (Debian's Chromium, driven by playwright-core): people with their own
 * browser context, signing in as a user does, and axe-core (WCAG 2.1 AA) on what they see. Every page
 * a person opens reports Content-Security-Policy violations to `violations` (a test asserts none).
 */
import { readFileSync } from 'node:fs';
import { Browser, BrowserContext, BrowserContextOptions, chromium, Locator, Page } from 'playwright-core';
import { PASSWORD } from './factory';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const SCREENSHOTS = 'docs/screenshots';
export const LANGUAGES = ['en', 'nl', 'fr', 'de', 'es'];
/** A translation key shown instead of its text (i18next shows the key when a language lacks it). */
export const RAW_KEY =
  /\b(common|errors|shell|login|feed|dashboard|bulletin|compose|search|alerts|sessions|invitation|members|overview|organisations|sharing|audit|vetting|gate|crossMatch|cases|platform|intake|profile|machineClients|webhooks|enums)\.[a-zA-Z_]+/;
export const PHONE = { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true };

export interface Person {
  email: string;
  context: BrowserContext;
  page: Page;
}

export class Browsers {
  readonly violations: string[] = [];

  private constructor(
    private readonly browser: Browser,
    private readonly baseUrl: string,
  ) {}

  static async launch(baseUrl: string): Promise<Browsers> {
    return new Browsers(await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }), baseUrl);
  }

  /** A person's own browser (a desk; with `PHONE` a gate officer's phone; a reporter's without JavaScript). */
  async open(email: string, device: BrowserContextOptions = {}): Promise<Person> {
    const context = await this.browser.newContext({
      locale: 'en-GB',
      timezoneId: 'Europe/Amsterdam',
      viewport: { width: 1280, height: 900 },
      ...device,
    });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) this.violations.push(m.text());
    });
    return { email, context, page };
  }

  async signIn(p: Person, totp?: () => Promise<string>): Promise<void> {
    await p.page.goto(`${this.baseUrl}/login`);
    await enterEmail(p.page, p.email);
    await p.page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await p.page.getByRole('button', { name: 'Sign in' }).click();
    if (totp) {
      await p.page.getByLabel('Authenticator code').fill(await totp());
      await p.page.getByRole('button', { name: 'Sign in' }).click();
    }
    await p.page.getByRole('heading', { name: 'Bulletins' }).waitFor();
  }

  close(): Promise<void> {
    return this.browser.close();
  }
}

/** The login page's first step: the e-mail, then Continue; the password field follows. */
export async function enterEmail(page: Page, email: string): Promise<void> {
  await page.getByLabel('E-mail').fill(email);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('textbox', { name: 'Password' }).waitFor();
}

/** No WCAG 2.1 AA violation; `within`: a selector (an open dialog, whose overlay dims the page behind it on purpose). */
export async function axe(page: Page, within = 'document'): Promise<void> {
  // A dialog fading in is measured at its final colours, not half transparent (endless spinners aside;
  // an animation cancelled meanwhile is over too).
  // Two frames first: a transition scheduled for the next frame has started by then.
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  await page.evaluate(`Promise.all(document.getAnimations()
    .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
    .map((a) => a.finished.catch(() => undefined)))`);
  await page.evaluate(AXE);
  // Run in the page (strings: this project's types are Node's, not the DOM's).
  const found: { id: string; nodes: { target: string[] }[] }[] = await page.evaluate(`
    axe.run(${within === 'document' ? within : JSON.stringify(within)}, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
      .then((result) => result.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => ({ target: n.target })) })))`);
  expect(found).toEqual([]);
}

/** Nothing wider than the screen (a phone scrolls down, never sideways). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}

/**
 * Visits `paths` in every language (the language the console keeps in localStorage) and expects
 * every string translated: no i18next key shown instead of its text. `also` checks more on each page.
 */
export async function inEveryLanguage(
  page: Page,
  baseUrl: string,
  paths: string[],
  also: (language: string, path: string) => Promise<void> = async () => undefined,
): Promise<void> {
  for (const language of LANGUAGES) {
    await page.evaluate(`localStorage.setItem('harbourwatch.language', '${language}')`);
    for (const path of paths) {
      await page.goto(`${baseUrl}${path}`);
      await page.locator('main h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      const text = RAW_KEY.exec(await page.locator('body').innerText())?.[0];
      expect({ language, path, text }).toEqual({ language, path, text: undefined });
      await also(language, path);
    }
  }
  await page.evaluate(`localStorage.setItem('harbourwatch.language', 'en')`);
}

/** Presses Tab until `target` has the focus, as someone without a mouse gets there (fails after `max`). */
export async function tabTo(page: Page, target: Locator, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((e) => e === e.ownerDocument.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${String(target)}`);
}
