import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { htmlErrors } from './html-check';

// A real browser for the pages: Debian's Chromium driven by playwright-core, offline and as root
// (hence no sandbox), with axe-core run on every page a test visits.

export const SCREENSHOTS_DIR = join(__dirname, '..', '..', 'test-artifacts', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH;
  if (!executablePath) throw new Error('CHROMIUM_PATH saknas: kör testerna med `npm test`.');
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** axe-core's violations on the page as it is now (of any impact), in a form a failing test shows well. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axe.source });
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return violations;
}

/** A screenshot of the page for the test's artifacts (not committed). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
}

/**
 * Every target a person taps that is smaller than 44 × 44 CSS pixels (WCAG 2.5.5, as the issue
 * asks): buttons, fields, header links, and links that stand alone (the whole of their paragraph,
 * item or cell); a link inside running text is exempt. A checkbox inside its label is the label's
 * size: a press anywhere on it ticks the box.
 */
export async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const standalone = (link: Element) => {
      const block = link.closest('p, li, td, th, dd, dt, div, nav, footer');
      return block !== null && (block.textContent ?? '').trim() === (link.textContent ?? '').trim();
    };
    return Array.from(document.querySelectorAll('button, input:not([type=hidden]), select, textarea, summary, a[href]'))
      .filter((element) => element.tagName !== 'A' || element.closest('header') !== null || standalone(element))
      .filter((element) => element.getClientRects().length > 0 && !element.classList.contains('skip'))
      .map((element) => ({
        element,
        box: (element.matches('label > input[type=checkbox], label > input[type=radio]')
          ? element.parentElement!
          : element
        ).getBoundingClientRect(),
      }))
      .filter(({ box }) => box.height < 44)
      .map(
        ({ element, box }) =>
          `${element.tagName.toLowerCase()} "${(element.textContent ?? '').trim()}": ${Math.round(box.width)}×${Math.round(box.height)}`,
      );
  });
}

/** Whether the page scrolls sideways at its current width. */
export const scrollsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

/** What sticks out past the right edge (the innermost elements), so a failing width names its cause. */
const overflowing = (page: Page) =>
  page.evaluate(() =>
    Array.from(document.body.querySelectorAll('*'))
      .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5)
      .filter((element, _, all) => !all.some((other) => other !== element && element.contains(other)))
      .slice(0, 5)
      .map(
        (element) =>
          `${element.tagName.toLowerCase()}${element.className ? `.${element.className}` : ''} "${(element.textContent ?? '').trim().slice(0, 40)}"`,
      ),
  );

/** The pages checkPage has seen, for one run of the Nu HTML Checker at the end of a suite. */
const checkedPages: { name: string; html: string }[] = [];

/** The Nu HTML Checker's errors in every page checked since the last call (the DOM as served, serialised). */
export const htmlErrorsOfCheckedPages = () => htmlErrors(checkedPages.splice(0));

/** The widths every page is checked at: a desktop, a common phone, and WCAG's reflow width. */
const PHONE_WIDTHS = [360, 320] as const;

/**
 * What every page a browser test visits must pass, at its own width and on phones (360 and 320
 * CSS px): axe-core finds nothing of any impact, every target is 44 px, nothing scrolls sideways.
 * Screenshots at the widest and at 320 px go to the artifacts.
 */
export async function checkPage(page: Page, name: string) {
  checkedPages.push({ name, html: await page.evaluate(() => `<!doctype html>\n${document.documentElement.outerHTML}`) });
  const viewport = page.viewportSize()!;
  const widths = [viewport.width, ...PHONE_WIDTHS.filter((width) => width < viewport.width)];
  for (const width of widths) {
    await page.setViewportSize({ width, height: viewport.height });
    const at = `${name} @ ${width}px`;
    expect({ page: at, violations: await accessibilityViolations(page) }).toEqual({ page: at, violations: [] });
    expect({ page: at, small: await smallTargets(page) }).toEqual({ page: at, small: [] });
    const sideways = (await scrollsSideways(page)) ? await overflowing(page) : [];
    expect({ page: at, sideways }).toEqual({ page: at, sideways: [] });
    if (width === viewport.width || width === 320) await screenshot(page, width === 320 ? `${name}-320` : name);
  }
  await page.setViewportSize(viewport);
}

/** Presses a link or a button that posts a form, and waits for the page it leads to. */
export async function press(page: Page, selector: string) {
  await Promise.all([page.waitForNavigation(), page.locator(selector).first().click()]);
}

/** Tabs forward until the element matching `selector` has focus (a keyboard user's way to it). */
export async function tabTo(page: Page, selector: string, most = 60) {
  for (let i = 0; i < most; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${selector} nås inte med Tab`);
}
