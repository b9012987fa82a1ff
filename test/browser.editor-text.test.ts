import type { Browser } from 'playwright-core';
import type { PromiseContent } from '../domain/content';
import { appClient, signIn } from './support/app-client';
import { launchBrowser, press } from './support/browser';
import { startApiTestbed, type ApiTestbed } from './support/http';
import { fixture, inComingYear } from './support/promises';

// The signed text must not depend on which form entered it: a promise created through the API,
// opened in the web editor in Chromium and saved without a change is the same content with the
// same SHA-256 (so no new version is made), for every fixture and with every list in an order
// other than the default one.

const SARA = 'sara.text@lessebo.example';
let testbed: ApiTestbed;
let browser: Browser;
let cookies: { name: string; value: string; domain: string; path: string; secure: boolean }[];

beforeAll(async () => {
  testbed = await startApiTestbed(SARA);
  browser = await launchBrowser();
  const http = appClient(testbed.api.baseUrl);
  await signIn(testbed, http, SARA);
  // The session's __Host- cookies, as the browser would have kept them after the same sign-in.
  cookies = [...http.cookies].map(([name, value]) => ({ name, value, domain: '127.0.0.1', path: '/', secure: true }));
});
afterAll(async () => {
  await browser?.close();
  await testbed?.stop();
});

/** Every list whose order a person could choose, turned around (steps keep theirs: it is their meaning). */
function turnedAround(content: PromiseContent): PromiseContent {
  const reversed = <T>(list: readonly T[] | undefined) => (list ? [...list].reverse() : list);
  return {
    ...content,
    parties: reversed(content.parties)!,
    signatories: reversed(content.signatories)!,
    preparedBy: reversed(content.preparedBy),
    participants: reversed(content.participants),
    situation: { ...content.situation, sources: reversed(content.situation.sources)! },
    priorityAreas: reversed(content.priorityAreas)!.map((area) => ({
      ...area,
      commitments: reversed(area.commitments)!.map((commitment) => ({
        ...commitment,
        responsiblePartyKeys: reversed(commitment.responsiblePartyKeys)!,
        contacts: reversed(commitment.contacts),
        shape:
          commitment.shape.kind === 'COUNT_PER_PERIOD' && commitment.shape.within?.kind === 'MONTHS'
            ? { ...commitment.shape, within: { ...commitment.shape.within, months: reversed(commitment.shape.within.months)! } }
            : commitment.shape,
      })),
    })),
  };
}

const cases = (['lessebo-2020', 'ljungby-2021', 'astorp-2023-2025'] as const).flatMap((name) => [
  { name, order: 'as written', content: inComingYear(fixture(name)) },
  { name, order: 'turned around', content: turnedAround(inComingYear(fixture(name))) },
]);

test.each(cases)('$name ($order): the API and the editor give byte-identical content and the same hash', async ({ content }) => {
  const created = await testbed.coordinator.post('/api/promises', { content });
  expect(created.status).toBe(201);
  const { id } = created.json;
  const sha256: string = created.json.currentVersion.sha256;

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies(cookies);
  const page = await context.newPage();
  await page.goto(`${testbed.api.baseUrl}/app/loften/${id}/redigera`);
  await press(page, 'button[name="_action"][value="save"]');
  expect(page.url()).toContain(`/app/loften/${id}?klart=oforandrat`);
  await context.close();

  const after = (await testbed.coordinator.get(`/api/promises/${id}`)).json;
  expect(after.currentVersion).toMatchObject({ number: 1, sha256 });
  const versions = await testbed.engine.database.db.documentVersion.findMany({ where: { promiseId: id } });
  expect(versions).toHaveLength(1);
});

test('by keyboard: removing a row puts the focus on the row after it, or on the add button; a refused save on what to correct', async () => {
  const created = await testbed.coordinator.post('/api/promises', { content: inComingYear(fixture('lessebo-2020')) });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies(cookies);
  const page = await context.newPage();
  await page.goto(`${testbed.api.baseUrl}/app/loften/${created.json.id}/redigera`);
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('name') ?? document.activeElement?.id ?? 'body');
  const pressFocused = async (selector: string) => {
    await page.focus(selector);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  };

  // Two sources: removing the first brings the second up, and the focus is on it.
  await pressFocused('button[value="remove:situation.sources.0"]');
  expect(await focused()).toBe('situation.sources.0.description');
  expect(await page.inputValue('[name="situation.sources.0.description"]')).toBe('Medborgardialoger och samverkansforum');
  // The last one removed: the focus is on the button that adds one.
  await pressFocused('button[value="remove:situation.sources.0"]');
  expect(await focused()).toBe('_action');
  expect(await page.evaluate(() => (document.activeElement as HTMLButtonElement).value)).toBe('add:situation.sources');

  // A save that is refused: the focus is on the summary of what to correct.
  await page.fill('[name="title"]', '');
  await pressFocused('button[name="_action"][value="save"]');
  expect(await focused()).toBe('problem-summary');
  await context.close();
});
