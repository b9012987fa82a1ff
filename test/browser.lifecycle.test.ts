import type { Browser, Page } from 'playwright-core';
import { addDays } from '../domain/calendar';
import { PromiseContentSchema } from '../domain/content';
import { durationToMs } from '../domain/durations';
import { expandSchedule } from '../domain/schedule';
import { formFieldsOf } from './support/app-client';
import { htmlErrors } from './support/html-check';
import { checkPage, htmlErrorsOfCheckedPages, launchBrowser, press } from './support/browser';
import { eventually } from './support/eventually';
import { startApiTestbed, type ApiTestbed } from './support/http';
import { lessebo, mailTo, signingToken, startingOn, subjectsStartingWith, today } from './support/promises';

// The "done when", in a real browser: a coordinator signs in from the e-mailed link, types
// the Lessebo promise into a blank form, previews its year and sends it for signing; the
// signatories sign from their e-mails, one address bounces and is corrected from the promise page;
// the promise is active, an activity is reported, a renewal is launched and sent for signing, and
// when the year has passed (on the time-skipping server) the follow-up is edited and published.
// axe-core runs on every page the test visits.

const SARA = 'sara.webbapp@lessebo.example';
const BOUNCING = 'fel.adress@lessebo.example';
const CORRECTED = 'ratt.adress@lessebo.example';
let testbed: ApiTestbed;
let browser: Browser;

beforeAll(async () => {
  testbed = await startApiTestbed(SARA, {}, 'time-skipping');
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await testbed?.stop();
});

const isChoice = (name: string) => /\.(atLeast|dateToBeSet|responsiblePartyKeys|within\.months)$/.test(name);

/**
 * Makes the field `name` appear in the editor as a coordinator would: adds the missing row of its
 * list, or, for fields that follow a choice (a shape's kind, a new party), shows the form again.
 */
async function reach(page: Page, name: string, value: string) {
  const selector = isChoice(name) ? `input[name="${name}"][value="${value}"]` : `[name="${name}"]`;
  let refreshed = false;
  for (let attempt = 0; attempt < 10; attempt++) {
    if ((await page.locator(selector).count()) > 0) return page.locator(selector);
    const segments = name.split('.');
    let added = false;
    for (let i = 1; i < segments.length && !added; i++) {
      if (!/^\d+$/.test(segments[i]!)) continue;
      const row = segments.slice(0, i + 1).join('.');
      if ((await page.locator(`[name^="${row}."]`).count()) === 0) {
        await press(page, `button[value="add:${segments.slice(0, i).join('.')}"]`);
        added = true;
      }
    }
    if (added) continue;
    if (refreshed) break;
    await press(page, 'button[value="refresh"]');
    refreshed = true;
  }
  throw new Error(`Fältet ${name} (${value}) visas inte i formuläret`);
}

/** Types a promise into the editor, field by field, adding rows as it goes. */
async function typePromise(page: Page, content: unknown) {
  // Top to bottom as the form asks: the parties before the commitments that name them.
  const fields = formFieldsOf(content);
  const organisationsFirst = [
    ...fields.filter(([name]) => /^(parties|participants)\./.test(name)),
    ...fields.filter(([name]) => !/^(parties|participants)\./.test(name)),
  ];
  for (const [name, value] of organisationsFirst) {
    const field = await reach(page, name, value);
    if (isChoice(name)) await field.check();
    else if ((await field.evaluate((element) => element.tagName)) === 'SELECT') {
      await field.selectOption(value);
      // A shape's kind decides which fields follow it.
      if (/\.kind$/.test(name) && name.includes('shape')) await press(page, 'button[value="refresh"]');
    } else await field.fill(value);
  }
}

test('a coordinator takes the Lessebo promise from a blank form to active, through its first report, a renewal and the follow-up', async () => {
  const base = testbed.api.baseUrl;
  const { mailbox } = testbed.engine;
  mailbox.refuse(BOUNCING);
  const original = startingOn(lessebo(), today());
  // As a person types it: a commitment's key is not in the form, so the one made from its text is stored.
  const typed = {
    ...original,
    signatories: original.signatories.map((s, i) => (i === 1 ? { ...s, email: BOUNCING } : s)),
    priorityAreas: original.priorityAreas.map((area) => ({ ...area, commitments: area.commitments.map(({ key: _key, ...c }) => c) })),
  };
  const content = PromiseContentSchema.parse(typed);
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();

  // Signed in from the e-mailed link.
  await page.goto(`${base}/logga-in`);
  await page.fill('#email', SARA);
  await press(page, 'main button');
  const signInMail = await eventually(() => {
    expect(mailTo(mailbox.messages, SARA)).toHaveLength(1);
    return mailTo(mailbox.messages, SARA)[0]!;
  });
  await page.goto(`${base}${/\/logga-in\/[A-Za-z0-9_-]{43}/.exec(signInMail.text)![0]}`);
  await press(page, 'main button');
  expect(page.url()).toBe(`${base}/app`);

  // A blank form, typed in, its year previewed, saved and sent for signing.
  await press(page, 'a[href="/app/loften/ny"]');
  await checkPage(page, 'nytt-lofte');
  // By keyboard: a row added with Enter takes the focus (visibly), and is removed the same way.
  await page.focus('button[value="add:situation.sources"]');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('situation.sources.0.description');
  expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe('solid');
  await page.keyboard.type('Trygghetsmätningen hösten 2019');
  await page.focus('button[value="remove:situation.sources.0"]');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  expect(await page.locator('[name^="situation.sources.0."]').count()).toBe(0);
  await typePromise(page, typed);
  await press(page, 'button[value="preview"]');
  const previewRows = await page
    .locator('#forhandsgranskning ~ table tbody tr, section[aria-labelledby="forhandsgranskning"] tbody tr')
    .count();
  expect(previewRows).toBe(expandSchedule(content).length);
  await checkPage(page, 'nytt-lofte-forhandsgranskning');
  await press(page, 'button[value="save"]');
  expect(await page.textContent('main')).toContain('Utkastet är sparat.');
  const promiseId = /\/app\/loften\/([0-9a-f-]{36})/.exec(page.url())![1]!;
  expect((await testbed.coordinator.get(`/api/promises/${promiseId}`)).json.content).toEqual(content);
  await checkPage(page, 'utkast');
  await press(page, 'button:has-text("Skicka för signering")');
  expect(await page.textContent('main')).toContain('Löftet är skickat för signering.');

  // Everyone signs from their e-mail but the one whose address bounces.
  const signer = await context.newPage();
  const signFrom = async (address: string, name: string) => {
    const mail = await eventually(() => {
      const requests = subjectsStartingWith(mailTo(mailbox.messages, address), 'Signera medborgarlöftet');
      expect(requests.length).toBeGreaterThan(0);
      return requests.at(-1)!;
    });
    await signer.goto(`${base}/sign/${signingToken(mail)}`);
    if (name) await checkPage(signer, name);
    await press(signer, 'a:has-text("gå vidare till signering")');
    await press(signer, 'button[value="SIGN"]');
  };
  for (const [i, signatory] of content.signatories.entries())
    if (i !== 1) await signFrom(signatory.email, i === 0 ? 'signeringssidan' : '');

  // The bounce needs the coordinator: the start page says so, and the promise page corrects it.
  await eventually(async () => {
    await page.goto(`${base}/app`);
    expect(await page.textContent('main')).toContain('Behöver åtgärdas');
  }, 30_000);
  await checkPage(page, 'startsida-atgarda');
  await page.goto(`${base}/app/loften/${promiseId}`);
  await page.selectOption('#previous', BOUNCING);
  await page.fill('#email', CORRECTED);
  await press(page, 'button:has-text("Rätta adressen")');
  expect(await page.textContent('main')).toContain('Adressen är rättad');
  await signFrom(CORRECTED, '');

  await eventually(async () => {
    await page.goto(`${base}/app`);
    expect(await page.textContent('table')).toContain('Aktivt');
  }, 30_000);
  await checkPage(page, 'startsida-aktivt');

  // The first report, for the activity's contact.
  await eventually(async () => {
    await page.goto(`${base}/app/loften/${promiseId}`);
    expect(await page.locator(`a[href^="/app/loften/${promiseId}/aktiviteter/"]`).count()).toBeGreaterThan(0);
  }, 30_000);
  await checkPage(page, 'aktivt-lofte');
  await press(page, `a[href^="/app/loften/${promiseId}/aktiviteter/"]`);
  await checkPage(page, 'aktivitet');
  await page.selectOption('#kind', 'DONE');
  await page.fill('#performedOn', today());
  await page.fill('#description', 'Dialogmöte med butikerna i centrum.');
  await press(page, 'button:has-text("Skicka rapporten")');
  expect(await page.textContent('main')).toContain('Genomförd');
  await checkPage(page, 'aktivitet-rapporterad');

  // A renewal: launched, reviewed (what was carried over, and why) and sent for signing.
  await page.goto(`${base}/app/loften/${promiseId}`);
  await press(page, 'button:has-text("Förnya löftet")');
  expect(await page.textContent('main')).toContain('Förnyelsen är skapad som utkast');
  expect(await page.textContent('main')).toContain('Överfört från förra perioden');
  await checkPage(page, 'fornyelse');
  await press(page, 'button:has-text("Skicka för signering")');
  expect(await page.textContent('main')).toContain('Löftet är skickat för signering.');

  // The year passes; the final follow-up is edited and published, and the promise closes.
  const afterPeriod = Date.parse(`${addDays(content.period.end, 3)}T00:00:00Z`) - (await testbed.engine.env.currentTimeMs());
  await testbed.engine.env.sleep(Math.max(afterPeriod, durationToMs('1d')));
  await eventually(async () => {
    await page.goto(`${base}/app/loften/${promiseId}`);
    expect(await page.locator(`a[href="/app/loften/${promiseId}/uppfoljningar/1"]`).count()).toBe(1);
  }, 30_000);
  await press(page, `a[href="/app/loften/${promiseId}/uppfoljningar/1"]`);
  await checkPage(page, 'uppfoljning');
  await page.fill('#narrative', 'Butikerna och polisen har träffats; en aktivitet genomfördes.');
  await press(page, 'button:has-text("Publicera uppföljningen")');
  expect(await page.textContent('main')).toContain('Uppföljningen är publicerad.');
  await eventually(async () => {
    await page.goto(`${base}/app/loften/${promiseId}`);
    expect(await page.textContent('main')).toContain('Avslutat');
  });
  await checkPage(page, 'avslutat');
  await context.close();
}, 300_000);

test('every page checked here, and every e-mail sent, is valid HTML (Nu HTML Checker)', async () => {
  expect(await htmlErrorsOfCheckedPages()).toEqual([]);
  const mails = testbed.engine.mailbox.messages.map((mail) => ({ name: `e-post "${mail.subject}"`, html: mail.html }));
  expect(mails.length).toBeGreaterThan(0);
  expect(await htmlErrors(mails)).toEqual([]);
});
