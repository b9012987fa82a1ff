import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';

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
 * Every button, field and header link that is smaller than 44 × 44 CSS pixels (WCAG 2.5.5 as the
 * issue asks). A checkbox inside its label is the label's size: a press anywhere on it ticks the box.
 */
export async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('button, input:not([type=hidden]), select, textarea, header a'))
      .map((element) => ({
        element,
        box: (element.matches('label > input[type=checkbox]') ? element.parentElement! : element).getBoundingClientRect(),
      }))
      .filter(({ box }) => box.height < 44)
      .map(
        ({ element, box }) =>
          `${element.tagName.toLowerCase()} "${(element.textContent ?? '').trim()}": ${Math.round(box.width)}×${Math.round(box.height)}`,
      ),
  );
}

/** Whether the page scrolls sideways at its current width. */
export const scrollsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

/**
 * What every page a browser test visits must pass: axe-core finds nothing, every target is 44 px,
 * and (with `phone`) a phone's width scrolls nothing sideways; screenshots for the artifacts.
 */
export async function checkPage(page: Page, name: string, options: { phone?: boolean } = {}) {
  expect({ page: name, violations: await accessibilityViolations(page) }).toEqual({ page: name, violations: [] });
  expect({ page: name, small: await smallTargets(page) }).toEqual({ page: name, small: [] });
  if (options.phone) {
    const viewport = page.viewportSize()!;
    await page.setViewportSize({ width: 360, height: 740 });
    expect({ page: name, sideways: await scrollsSideways(page) }).toEqual({ page: name, sideways: false });
    await screenshot(page, `${name}-telefon`);
    await page.setViewportSize(viewport);
  }
  await screenshot(page, name);
}

/** Presses a link or a button that posts a form, and waits for the page it leads to. */
export async function press(page: Page, selector: string) {
  await Promise.all([page.waitForNavigation(), page.locator(selector).first().click()]);
}
