import type { Browser, Page } from 'playwright-core';
import { DEFAULT_SETTINGS } from '../domain/default-settings';
import { createDraft } from '../store/promises';
import { joinOrganisation } from '../store/organisations';
import { htmlErrors } from './support/html-check';
import { checkPage, htmlErrorsOfCheckedPages, launchBrowser, tabTo } from './support/browser';
import { eventually } from './support/eventually';
import { startApiTestbed, type ApiTestbed } from './support/http';
import { inComingYear, lessebo } from './support/promises';

// The coordinator's way into the web app in a real browser, by keyboard: ask for a link, open it
// from the e-mail, confirm, see the start page, switch language, sign out. axe-core finds nothing
// on any page; targets are 44 px; a phone's width needs no sideways scrolling.

const SARA = 'sara@lessebo.example';
let testbed: ApiTestbed;
let browser: Browser;

beforeAll(async () => {
  testbed = await startApiTestbed(SARA);
  browser = await launchBrowser();
  const { db } = testbed.engine.database;
  const sara = await db.coordinator.findUniqueOrThrow({ where: { email: SARA } });
  await joinOrganisation(db, sara.id, { kind: 'MUNICIPALITY', name: 'Lessebo' });
  await createDraft(db, {
    content: inComingYear(lessebo()),
    settings: DEFAULT_SETTINGS,
    coordinatorId: sara.id,
    actor: { kind: 'COORDINATOR', id: sara.id },
  });
});
afterAll(async () => {
  await browser?.close();
  await testbed?.stop();
});

/** The focused element's outline: a visible focus is at least 2 px wide and not "none". */
const focusOutline = (page: Page) =>
  page.evaluate(() => {
    const style = getComputedStyle(document.activeElement!);
    return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });

test('signing in and out by keyboard, every page passing axe, on a desktop and on a phone', async () => {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const base = testbed.api.baseUrl;

  await page.goto(`${base}/logga-in`);
  expect(await page.getAttribute('html', 'lang')).toBe('sv');
  await checkPage(page, 'logga-in');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Hoppa till innehållet');
  await tabTo(page, '#email');
  expect(await focusOutline(page)).toEqual({ style: 'solid', width: 3 });
  await page.keyboard.type(SARA);
  const before = testbed.engine.mailbox.messages.length;
  await page.keyboard.press('Enter');
  await page.waitForSelector('text=Titta i din e-post');
  await checkPage(page, 'logga-in-skickad');

  const mail = await eventually(() => {
    const found = testbed.engine.mailbox.messages.slice(before).find((m) => m.to.includes(SARA));
    expect(found).toBeDefined();
    return found!;
  });
  const linkPath = /\/logga-in\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0];
  await page.goto(`${base}${linkPath}`);
  await checkPage(page, 'logga-in-bekrafta');
  await tabTo(page, 'main button');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${base}/app`);
  expect(await page.textContent('h1')).toBe('Mina medborgarlöften');
  expect(await page.textContent('table')).toContain('Trygg i butik i Lessebo kommun');
  await checkPage(page, 'startsida');

  await page.click('text=Trygg i butik i Lessebo kommun');
  await page.waitForSelector('h2:has-text("Signering")');
  await checkPage(page, 'loftet');
  await page.goto(`${base}/app`);

  await page.click('header a[href="/app/api-nycklar"]');
  await page.fill('#label', 'Kommunens ärendesystem');
  await page.keyboard.press('Enter');
  await page.waitForSelector('text=Nyckeln är skapad');
  await checkPage(page, 'api-nycklar');

  await page.click('header a[href="/app/kollegor"]');
  await page.fill('#name', 'Kalle Kollega');
  await page.fill('#email', 'kalle.kollega@lessebo.example');
  await page.click('form[action="/app/kollegor"] button[type=submit]');
  await page.waitForSelector('text=Kalle Kollega är inbjuden');
  await checkPage(page, 'kollegor');
  await page.goto(`${base}/app`);

  await tabTo(page, 'a[lang=en]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('html[lang=en]');
  expect(await page.textContent('h1')).toBe('My citizen promises');
  await checkPage(page, 'startsida-engelska');

  await tabTo(page, 'header button');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${base}/logga-in`);
  await page.goto(`${base}/app`);
  expect(page.url()).toBe(`${base}/logga-in?utloggad=1`);
  await context.close();
});

test('every page checked here, and every e-mail sent, is valid HTML (Nu HTML Checker)', async () => {
  expect(await htmlErrorsOfCheckedPages()).toEqual([]);
  const mails = testbed.engine.mailbox.messages.map((mail) => ({ name: `e-post "${mail.subject}"`, html: mail.html }));
  expect(mails.length).toBeGreaterThan(0);
  expect(await htmlErrors(mails)).toEqual([]);
});
