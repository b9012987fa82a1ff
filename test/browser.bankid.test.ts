import type { Browser, Page } from 'playwright-core';
import { TEST_PERSONS } from '../platform/embedded/bankid-server';
import { orderIdIn, qrNow, signingLinkFor } from './support/bankid';
import { checkPage, htmlErrorsOfCheckedPages, launchBrowser, press } from './support/browser';
import { eventually } from './support/eventually';
import { startApiTestbed, type ApiTestbed } from './support/http';
import { inComingYear, lessebo } from './support/promises';

// Signing with BankID in a real browser (issue 24), on the local BankID server: by QR code in
// Swedish, the page following BankID's hint codes by itself; on the same device in English, where
// leaving the page cancels the order at BankID. Each page passes axe, 44 px targets and a phone's
// width.

const [anna, olof] = TEST_PERSONS as [(typeof TEST_PERSONS)[0], (typeof TEST_PERSONS)[0]];
let testbed: ApiTestbed;
let browser: Browser;
let promiseId: string;
const links: string[] = [];

beforeAll(async () => {
  testbed = await startApiTestbed('samordnare.bankid-webblasare@lessebo.example');
  browser = await launchBrowser();
  const content = inComingYear(lessebo());
  content.signatories.slice(0, 2).forEach((s, i) => {
    s.signingMethod = 'BANKID';
    s.name = [anna, olof][i]!.name;
  });
  promiseId = (await testbed.coordinator.post('/api/promises', { content })).json.id;
  await testbed.coordinator.post(`/api/promises/${promiseId}/submit`, {});
  for (const signatory of content.signatories.slice(0, 2)) {
    links.push(`${testbed.api.baseUrl}${await signingLinkFor(testbed.engine, promiseId, signatory.email)}`);
  }
});
afterAll(async () => {
  await browser?.close();
  await testbed?.stop();
});

/** Holds the page still while it is checked: its reloads answer 204, which leaves a page as it is. */
async function holdingStill(page: Page, check: () => Promise<void>) {
  await page.route(/\/bankid\/[0-9a-f-]{36}/, (route) =>
    route.request().isNavigationRequest() ? route.fulfill({ status: 204 }) : route.continue(),
  );
  await check();
  await page.unroute(/\/bankid\/[0-9a-f-]{36}/);
}

test('by QR code, in Swedish: the code, then what BankID says, then the receipt, all by the page itself', async () => {
  const { engine } = testbed;
  // axe is injected as a script, which the pages' Content-Security-Policy would refuse.
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1024, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${links[0]}/bekrafta`);
  await press(page, 'button[value="other"]');
  await page.waitForSelector('.qr svg');
  expect(await page.textContent('[role=status]')).toBe('Starta BankID-appen.');
  await holdingStill(page, () => checkPage(page, 'bankid-qr'));

  const { session } = engine.bankId.open({ qr: await qrNow(engine, orderIdIn(page.url())) }, anna);
  await page.waitForFunction(() => document.body.textContent?.includes('Skriv in din säkerhetskod'), undefined, { timeout: 15_000 });
  expect(await page.$('.qr svg')).toBeNull();
  engine.bankId.signAs(session);
  await page.waitForFunction(() => document.body.textContent?.includes('Underskriften gjordes med BankID.'), undefined, {
    timeout: 15_000,
  });
  await checkPage(page, 'bankid-kvitto');
  await context.close();
});

test('on the same device, in English: the app link; leaving the page cancels the order at BankID', async () => {
  const { db } = testbed.engine.database;
  // Under the pages' own Content-Security-Policy: their script is allowed to run and to tell the server.
  const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
  await page.goto(`${links[1]}/bekrafta?sprak=en`);
  expect(await page.textContent('main')).toContain('You sign with BankID.');
  await press(page, 'button[value="same"]');
  await page.waitForSelector('a[href*="autostarttoken="]');
  expect(await page.textContent('[role=status]')).toBe('Trying to start your BankID app.');
  const orderId = orderIdIn(page.url());
  const orderPage = page.url();

  // The person goes elsewhere: the page's script tells the server, which cancels at BankID.
  await page.goto('about:blank');
  await eventually(
    async () => expect((await db.bankIdOrder.findUniqueOrThrow({ where: { id: orderId } })).status).toBe('CANCELLED'),
    15_000,
  );
  await page.close();
  const checking = await browser.newContext({ bypassCSP: true, viewport: { width: 1024, height: 900 } });
  const after = await checking.newPage();
  await after.goto(orderPage);
  expect(await after.textContent('[role=status]')).toBe('Action cancelled. Please try again.');
  expect(await after.$('a[href*="/bekrafta"]')).not.toBeNull();
  await checkPage(after, 'bankid-avbruten-en');
  await checking.close();
  expect(await htmlErrorsOfCheckedPages()).toEqual([]);
});
