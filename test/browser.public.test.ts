import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { createActivities } from '../activities';
import { addDays } from '../domain/calendar';
import { durationToMs } from '../domain/durations';
import { joinOrganisation } from '../store/organisations';
import { SCREENSHOTS_DIR, checkPage, htmlErrorsOfCheckedPages, launchBrowser, press } from './support/browser';
import { eventually } from './support/eventually';
import { startApiTestbed, type ApiTestbed } from './support/http';
import { pdfText } from './support/pdf';
import { lessebo, mailTo, signingToken, startingOn, subjectsStartingWith, today } from './support/promises';
import { signEveryRequest } from './support/signing';

// The "done when" for everyone who is not a coordinator, in a real browser: a signatory
// sees who asks and what they sign, declines without a reason and is shown where, then signs in two
// steps; a citizen finds the promise active, a contact reports from a phone through the reminder's
// link, the report shows in the public progress and the feed, the signed PDF carries every
// signatory and the fingerprint and passes the verify page, and after the year a published
// follow-up appears with its PDF. axe-core, 44 px targets and a phone's width on every page.

const SARA = 'sara.medborgare@lessebo.example';
const PHONE = '0478-125 00';
let testbed: ApiTestbed;
let browser: Browser;

beforeAll(async () => {
  testbed = await startApiTestbed(SARA, {}, 'time-skipping');
  browser = await launchBrowser();
  const { db } = testbed.engine.database;
  const sara = await db.coordinator.update({ where: { email: SARA }, data: { phone: PHONE } });
  await joinOrganisation(db, sara.id, { kind: 'MUNICIPALITY', name: 'Lessebo' });
});
afterAll(async () => {
  await browser?.close();
  await testbed?.stop();
});

/** A file for the test's artifacts, and its path. */
function artifact(name: string, bytes: Uint8Array): string {
  const dir = join(SCREENSHOTS_DIR, '..', 'pdf');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), bytes);
  return join(dir, name);
}

test('a signatory knows who asks and what they sign; a citizen follows the promise, its reports, its PDF and its follow-up', async () => {
  const { coordinator, engine } = testbed;
  const base = testbed.api.baseUrl;
  const content = startingOn(lessebo(), today());
  const promiseId: string = (await coordinator.post('/api/promises', { content })).json.id;
  await coordinator.post(`/api/promises/${promiseId}/submit`, {});
  const [first] = content.signatories;
  const mail = await eventually(() => {
    const requests = subjectsStartingWith(mailTo(engine.mailbox.messages, first!.email), 'Signera medborgarlöftet');
    expect(requests).toHaveLength(1);
    return requests[0]!;
  });
  // The e-mail comes in the name of Lessebo kommun, from the coordinator, and says why.
  expect(mail.from).toContain('Lessebo kommun via Medborgarlöften');
  expect(mail.headers['reply-to']).toContain(SARA);
  expect(mail.text).toContain('Du får det här meddelandet eftersom du står som undertecknare');

  const browserContext = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const page = await browserContext.newPage();
  const signingPath = `/sign/${signingToken(mail)}`;
  await page.goto(`${base}${signingPath}`);
  const main = () => page.textContent('main').then((text) => text ?? '');
  // Who asks, how to reach them, by when, who signs, and what the fingerprint is.
  for (const expected of [
    'Sara Samordnare, samordnare för Lessebo kommun',
    SARA,
    PHONE,
    'Svara senast',
    'Parter och signaturer',
    ...content.signatories.map((s) => s.name),
    'Ändras ett enda tecken blir fingeravtrycket ett annat',
    content.title,
  ]) {
    expect(await main()).toContain(expected);
  }
  expect(await page.getAttribute(`a[href^="tel:"]`, 'href')).toBe('tel:047812500');
  // The page shows this request and no one's address but the coordinator's.
  expect((await page.innerText('main')).match(/[\w.+-]+@[\w-]+\.[\w.]+/g)).toEqual([SARA]);
  await checkPage(page, 'signering');

  // Declining without a reason: the problem stands beside the field, which has the focus.
  await press(page, 'button:has-text("Avböj att signera")');
  expect(await page.textContent('#reason-problem')).toBe('skriv varför du avböjer');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('reason');
  await checkPage(page, 'signering-avboj-utan-skal');

  // Signing is two steps: the text, then a confirmation with the signatory's name; by keyboard alone.
  const next = page.locator('a:has-text("gå vidare till signering")');
  await next.focus();
  expect(await next.evaluate((link) => getComputedStyle(link).outlineStyle)).toBe('solid');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  expect(await page.textContent('h1')).toBe('Bekräfta din signatur');
  expect(await main()).toContain(`${first!.name}, ${first!.title}`);
  await checkPage(page, 'signering-bekrafta');
  await press(page, `button:has-text("Signera som ${first!.name}")`);
  expect(await page.textContent('h1')).toBe('Tack för din signatur');
  await checkPage(page, 'signering-kvitto');
  // The same link later shows the answer, and in English too.
  await page.goto(`${base}${signingPath}?sprak=en`);
  expect(await page.getAttribute('html', 'lang')).toBe('en');
  expect(await page.textContent('h1')).toBe('You have signed');
  await checkPage(page, 'signering-besvarad-en');

  // Everyone else signs; the citizen finds the promise, active, from the list of municipalities.
  await signEveryRequest(engine, promiseId);
  await page.goto(`${base}/`);
  await press(page, 'a[href="/kommuner"]');
  await press(page, 'a[href="/kommuner/lessebo"]');
  await checkPage(page, 'kommun');
  await press(page, `a[href="/loften/${promiseId}"]`);
  expect(await main()).toContain('Pågår');
  expect(await page.getAttribute('figure.chart svg', 'role')).toBe('img');
  expect(await page.textContent('figure.chart desc')).toContain('Ingen rapport ännu');
  await checkPage(page, 'publikt-lofte');

  // A contact reports from a phone through the link in the activity's reminder.
  const occurrences = (await coordinator.get(`/api/promises/${promiseId}/occurrences`)).json as {
    id: string;
    commitment: string;
    dueDate: string;
    kind: string;
  }[];
  const meeting = occurrences.find((o) => o.kind !== 'PROGRESS_REPORT' && o.dueDate !== null)!;
  await createActivities(engine.activityDeps).sendOccurrenceReminder({
    occurrenceId: meeting.id,
    dueDate: meeting.dueDate,
    kind: 'BEFORE',
    sequence: 0,
    scheduledFor: Date.now(),
  });
  const reminder = await eventually(() => {
    const found = engine.mailbox.messages.find((m) => m.subject.includes(meeting.commitment) && /\/report\//.test(m.text));
    expect(found).toBeDefined();
    return found!;
  });
  expect(reminder.text).toContain('kontaktperson för en aktivitet');
  const phone = await browser.newContext({ bypassCSP: true, viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const contactPage = await phone.newPage();
  await contactPage.goto(/(http:\/\/\S+\/report\/[A-Za-z0-9_-]{43})/.exec(reminder.text)![1]!.replace(/^http:\/\/[^/]+/, base));
  expect(await contactPage.textContent('h1')).toBe('Rapportera aktiviteten');
  await checkPage(contactPage, 'rapport');
  await contactPage.selectOption('#kind', 'DONE');
  await contactPage.fill('#performedOn', today());
  await contactPage.fill('#description', 'Dialogmöte med butikerna på torget.');
  await press(contactPage, 'button:has-text("Skicka rapporten")');
  expect(await contactPage.textContent('h1')).toBe('Tack för rapporten');
  await checkPage(contactPage, 'rapport-tack');
  await phone.close();

  // The report shows in the public progress and in the feed.
  await eventually(async () => {
    await page.goto(`${base}/loften/${promiseId}`);
    expect(await main()).toContain('Dialogmöte med butikerna på torget.');
  });
  expect(await main()).toMatch(/1 av \d+ genomförda/);
  const feed = await page.request.get(`${base}/loften/${promiseId}/flode.atom`);
  expect(await feed.text()).toContain('Dialogmöte med butikerna på torget.');

  // The signed PDF: every signatory and the fingerprint, in text a machine can read.
  const { sha256 } = (await coordinator.get(`/api/promises/${promiseId}`)).json.currentVersion;
  const pdf = await page.request.get(`${base}/loften/${promiseId}/loftet.pdf`);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  const pdfBytes = await pdf.body();
  const pdfPath = artifact('loftet.pdf', pdfBytes);
  const text = pdfText(pdfBytes);
  for (const s of content.signatories) expect(text).toContain(`${s.name}, ${s.title}`);
  expect(text).toContain(sha256);
  expect(text).toContain('Otrygga platser i och kring butiker');
  expect(text).toMatch(/Kontrollera filen eller fingeravtrycket på\s+http:\/\/\S+\/verifiera/);

  // The verify page: the PDF's attached text has the fingerprint, and names who signed it.
  await page.goto(`${base}/verifiera`);
  await checkPage(page, 'verifiera');
  await page.setInputFiles('#fil', pdfPath);
  await page.fill('#fingeravtryck', sha256);
  await press(page, 'button:has-text("Kontrollera")');
  expect(await main()).toContain('Stämmer: texten har exakt det fingeravtryck du angav.');
  expect(await main()).toContain(`${first!.name}, ${first!.title}`);
  await checkPage(page, 'verifiera-stammer');

  // After the year, the coordinator publishes the follow-up; citizens see it, with its PDF.
  const afterPeriod = Date.parse(`${addDays(content.period.end, 3)}T00:00:00Z`) - (await engine.env.currentTimeMs());
  await engine.env.sleep(Math.max(afterPeriod, durationToMs('1d')));
  await eventually(async () => {
    expect((await coordinator.get(`/api/promises/${promiseId}/follow-ups`)).json).toHaveLength(1);
  }, 30_000);
  const narrative = 'Butikerna, polisen och kommunen har träffats; trygghetsvandringen genomfördes i maj.';
  expect((await coordinator.post(`/api/promises/${promiseId}/follow-ups/1/publish`, { narrative })).status).toBe(200);
  await eventually(async () => {
    await page.goto(`${base}/loften/${promiseId}`);
    expect(await main()).toContain(narrative);
  });
  await checkPage(page, 'publikt-lofte-uppfoljt');
  const followUp = await page.request.get(`${base}/loften/${promiseId}/uppfoljningar/1/uppfoljning.pdf`);
  const followUpText = pdfText(await followUp.body());
  artifact('uppfoljning.pdf', await followUp.body());
  expect(followUpText).toContain(narrative);
  expect(followUpText).toContain(sha256);

  // An unknown address is a page: its language, its title and a heading.
  const missing = await page.goto(`${base}/finns-inte`);
  expect(missing!.status()).toBe(404);
  expect(await page.getAttribute('html', 'lang')).toBe('sv');
  expect(await page.title()).toContain('Sidan finns inte');
  expect(await page.textContent('h1')).toBe('Sidan finns inte');
  await checkPage(page, 'sidan-finns-inte');
  await press(page, 'a[lang=en]');
  expect(await page.getAttribute('html', 'lang')).toBe('en');
  expect(await page.textContent('h1')).toBe('Page not found');
  await browserContext.close();
}, 300_000);

test('every page checked here is valid HTML (Nu HTML Checker)', async () => {
  expect(await htmlErrorsOfCheckedPages()).toEqual([]);
});
