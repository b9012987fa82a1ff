import { parse } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import type { Browser } from 'playwright-core';
import { checkPage, htmlErrorsOfCheckedPages, launchBrowser } from './support/browser';
import { attachedSignedText } from '../api/pdf/attached-text';
import { sha256Hex } from '../domain/crypto';
import { eventually } from './support/eventually';
import { pdfText } from './support/pdf';
import { startApiTestbed, type ApiTestbed } from './support/http';
import { inComingYear, lessebo, startingOn, today } from './support/promises';
import { signEveryRequest } from './support/signing';

// The citizens' pages (issue 11, first part): the municipalities with signed promises, a
// municipality's promises, and a promise as signed with what has been done. Drafts, promises
// withdrawn before signing, texts that were never signed and every e-mail address stay out.

let testbed: ApiTestbed;
let browser: Browser;
const ids = {} as Record<'signed' | 'draft' | 'withdrawn', string>;
const OLD_GOAL = 'En formulering som aldrig signerades.';
let unsignedHash: string;

const create = async (content: unknown) => (await testbed.coordinator.post('/api/promises', { content })).json.id as string;

beforeAll(async () => {
  testbed = await startApiTestbed('samordnare.public@lessebo.example');
  browser = await launchBrowser();
  const content = startingOn(lessebo(), today());
  // Signed after a revision: the first text was never signed and must not show.
  ids.signed = await create({ ...content, goal: OLD_GOAL });
  await testbed.coordinator.post(`/api/promises/${ids.signed}/submit`, {});
  unsignedHash = (await testbed.coordinator.get(`/api/promises/${ids.signed}`)).json.currentVersion.sha256;
  await testbed.coordinator.put(`/api/promises/${ids.signed}/content`, { content });
  await eventually(async () =>
    expect((await testbed.coordinator.get(`/api/promises/${ids.signed}`)).json.signingRound).toMatchObject({ number: 2, status: 'OPEN' }),
  );
  await signEveryRequest(testbed.engine, ids.signed);

  ids.draft = await create({ ...inComingYear(lessebo()), title: 'Ett utkast som ingen ska se' });
  ids.withdrawn = await create({ ...inComingYear(lessebo()), title: 'Ett löfte som återkallades före signering' });
  await testbed.coordinator.post(`/api/promises/${ids.withdrawn}/submit`, {});
  await testbed.coordinator.post(`/api/promises/${ids.withdrawn}/withdraw`, { reason: 'Fel kommun.' });
});
afterAll(async () => {
  await browser?.close();
  await testbed?.stop();
});

const page = async (path: string) => testbed.anonymous.get(path);

test('a citizen finds the municipality and its signed promise; drafts and promises withdrawn before signing do not exist here', async () => {
  expect((await page('/')).text).toContain('href="/kommuner"');
  const municipalities = await page('/kommuner');
  expect(municipalities.text).toContain('<a href="/kommuner/lessebo">Lessebo</a>');
  const lesseboPage = await page('/kommuner/lessebo');
  expect(lesseboPage.status).toBe(200);
  expect(lesseboPage.text).toContain(`href="/loften/${ids.signed}"`);
  for (const hidden of [ids.draft, ids.withdrawn]) {
    expect(lesseboPage.text).not.toContain(hidden);
    expect((await page(`/loften/${hidden}`)).status).toBe(404);
  }
  expect(lesseboPage.text).not.toContain('Ett utkast som ingen ska se');
  expect(lesseboPage.text).not.toContain('återkallades före signering');
  expect((await page('/kommuner/astorp')).status).toBe(404);
});

test('in English, the words the product adds around the signed text are English, and the signed text is marked as Swedish', async () => {
  const english = await (await fetch(`${testbed.api.baseUrl}/loften/${ids.signed}`, { headers: { cookie: '__Host-lang=en' } })).text();
  const swedish = (await page(`/loften/${ids.signed}`)).text;
  expect(english).toContain('The promise is written and signed in Swedish');
  for (const [sv, en] of [
    ['<h3>Lägesbild</h3>', '<h3>The situation</h3>'],
    ['<h3>Fokusområden och löften</h3>', '<h3>Priority areas and commitments</h3>'],
    ['<h3>Parter och undertecknare</h3>', '<h3>Parties and signatories</h3>'],
  ]) {
    expect(swedish).toContain(sv);
    expect(english).toContain(en);
    expect(english).not.toContain(sv);
  }
  // The notes under each item are the product's: how often, who is responsible, what kind of party.
  expect(english).not.toMatch(/<small>[^<]*(Ansvar:|löpande|gång|Näringsidkare|Kommun<)/);
  expect(english).toContain('<small>Business</small>');
  expect(english).toMatch(/<small>(at least )?(once|twice|\d+ times) a year[^<]*Responsible: /);
  // The promise's own words, as signed, are marked as Swedish.
  const { content } = (await testbed.coordinator.get(`/api/promises/${ids.signed}`)).json;
  expect(english).toContain(`<h2 lang="sv">${content.title}</h2>`);
  expect(english).toContain(`<span lang="sv">${content.priorityAreas[0].commitments[0].text}</span>`);
});

test('a municipality typed as a name leads to its address; one with no promises, typed any way, is not found', async () => {
  const answer = (path: string) => fetch(`${testbed.api.baseUrl}${path}`, { redirect: 'manual' });
  for (const [typed, canonical] of [
    ['/kommuner/Lessebo', '/kommuner/lessebo'],
    ['/kommuner/LESSEBO/flode.atom', '/kommuner/lessebo/flode.atom'],
    ['/kommuner/v%C3%A4xj%C3%B6', '/kommuner/vaxjo'],
  ] as const) {
    const moved = await answer(typed);
    expect({ typed, status: moved.status, location: moved.headers.get('location') }).toEqual({ typed, status: 308, location: canonical });
  }
  expect((await page('/kommuner/Lessebo')).text).toContain(`href="/loften/${ids.signed}"`);
  expect((await page('/kommuner/v%C3%A4xj%C3%B6')).status).toBe(404);
  expect((await page('/kommuner/%20')).status).toBe(404);
});

test('the promise page shows the text as signed, who signed it, and "no report yet" until a report comes; no e-mail address anywhere', async () => {
  const api = (await testbed.coordinator.get(`/api/promises/${ids.signed}`)).json;
  const before = (await page(`/loften/${ids.signed}`)).text;
  expect(before).toContain(api.title);
  expect(before).toContain(api.currentVersion.sha256);
  expect(before).not.toContain(unsignedHash);
  expect(before).not.toContain(OLD_GOAL);
  for (const signatory of api.content.signatories as { name: string; title: string }[]) {
    expect(before).toContain(`${signatory.name}, ${signatory.title}`);
  }
  const commitments = api.content.priorityAreas.flatMap((a: { commitments: unknown[] }) => a.commitments).length;
  expect(before.match(/<td>Ingen rapport ännu<\/td>/g)).toHaveLength(commitments);
  expect(before).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);

  const occurrences = (await testbed.coordinator.get(`/api/promises/${ids.signed}/occurrences`)).json as {
    id: string;
    commitment: string;
    commitmentKey: string;
  }[];
  const first = occurrences[0]!;
  const planned = occurrences.filter((o) => o.commitmentKey === first.commitmentKey).length;
  await testbed.coordinator.post(`/api/promises/${ids.signed}/occurrences/${first.id}/reports`, {
    report: { kind: 'DONE', performedOn: today(), description: 'Trygghetsvandring i centrum med butikerna.\nMed <a> & Co.' },
  });
  const after = (await page(`/loften/${ids.signed}`)).text;
  expect(after).toContain(`<td>${first.commitment}</td><td>1 av ${planned} genomförda</td>`);
  expect(after).toContain(`<strong>${today()}: Genomfört</strong>`);
  expect(after).toContain('Trygghetsvandring i centrum med butikerna.');
  expect(after).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
});

test('the promise and its municipality can be followed by Atom feeds that parse back: the signing and the report, nothing hidden', async () => {
  const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'entry' || name === 'link' });
  for (const path of [`/loften/${ids.signed}/flode.atom`, '/kommuner/lessebo/flode.atom']) {
    const response = await fetch(`${testbed.api.baseUrl}${path}`);
    expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const xml = await response.text();
    const { feed } = parser.parse(xml) as {
      feed: { '@_xmlns': string; id: string; entry: { id: string; title: string | { '#text': string } }[] };
    };
    expect(feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    // A title is plain text or, typed as html, an element with its text.
    const titles = feed.entry.map((e) => (typeof e.title === 'string' ? e.title : e.title['#text']));
    expect(titles.some((title) => title.includes(`Genomfört ${today()}`))).toBe(true);
    expect(titles.some((title) => title.includes('Signerat'))).toBe(true);
    expect(xml).toContain('Trygghetsvandring i centrum med butikerna.');
    // Text people wrote stays text where the feed says html: escaped, never markup.
    expect(xml).toContain('&lt;a&gt; &amp; Co');
    expect(xml).not.toContain('<a> & Co');
    expect(xml).not.toMatch(/[\w.+-]+@[\w-]+\.(example|se)\b/);
    expect(xml).not.toContain('Ett utkast som ingen ska se');
    expect(xml).not.toContain(OLD_GOAL);
  }
});

test('open data: the JSON and the three CSV files parse back and match the records; no address, no draft, no unsigned text', async () => {
  const api = (await testbed.coordinator.get(`/api/promises/${ids.signed}`)).json;
  const occurrences = (await testbed.coordinator.get(`/api/promises/${ids.signed}/occurrences`)).json as {
    commitmentKey: string;
    status: string;
  }[];
  const raw = (await page('/oppna-data/loften.json')).text;
  const data = JSON.parse(raw);
  expect(data.licence).toBe('CC0-1.0');
  expect(data.promises).toHaveLength(1);
  const [promise] = data.promises;
  expect(promise).toMatchObject({ id: ids.signed, title: api.title, sha256: api.currentVersion.sha256, status: 'ACTIVE' });
  const commitmentKeys = api.content.priorityAreas.flatMap((a: { commitments: { key: string }[] }) => a.commitments.map((c) => c.key));
  expect(promise.commitments.map((c: { key: string }) => c.key)).toEqual(commitmentKeys);
  for (const commitment of promise.commitments) {
    const mine = occurrences.filter((o) => o.commitmentKey === commitment.key);
    expect(commitment).toMatchObject({ planned: mine.length, done: mine.filter((o) => o.status === 'DONE').length });
  }
  expect(promise.reports).toEqual([
    expect.objectContaining({ kind: 'DONE', date: today(), description: expect.stringContaining('Trygghetsvandring') }),
  ]);
  for (const text of [
    raw,
    ...(await Promise.all(['loften', 'atgarder', 'rapporter'].map(async (f) => (await page(`/oppna-data/${f}.csv`)).text))),
  ]) {
    expect(text).not.toMatch(/[\w.+-]+@[\w-]+\.(example|se)\b/);
    expect(text).not.toContain('Ett utkast som ingen ska se');
    expect(text).not.toContain(OLD_GOAL);
  }

  const csv = async (file: string) => parse((await page(`/oppna-data/${file}.csv`)).text, { columns: true }) as Record<string, string>[];
  expect(await csv('loften')).toEqual([
    expect.objectContaining({ lofte_id: ids.signed, titel: api.title, sha256: api.currentVersion.sha256 }),
  ]);
  const commitmentRows = await csv('atgarder');
  expect(commitmentRows.map((row) => row.nyckel)).toEqual(commitmentKeys);
  expect(commitmentRows.filter((row) => row.rapporterat === 'ja')).toHaveLength(1);
  expect(await csv('rapporter')).toEqual([
    expect.objectContaining({ lofte_id: ids.signed, slag: 'DONE', datum: today(), beskrivning: promise.reports[0].description }),
  ]);
});

test('the public pages pass axe, have 44 px targets and fit a phone, in Swedish and English', async () => {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const tab = await context.newPage();
  for (const [name, path] of [
    ['kommuner', '/kommuner'],
    ['kommun-lessebo', '/kommuner/lessebo'],
    ['loftet-publikt', `/loften/${ids.signed}`],
    ['oppna-data', '/oppna-data'],
  ] as const) {
    await tab.goto(`${testbed.api.baseUrl}${path}`);
    expect(await tab.getAttribute('html', 'lang')).toBe('sv');
    await checkPage(tab, name);
  }
  await tab.click('a[lang=en]');
  await tab.waitForSelector('html[lang=en]');
  expect(await tab.textContent('h1')).toBe('Open data');
  await tab.goto(`${testbed.api.baseUrl}/loften/${ids.signed}`);
  expect(await tab.textContent('main')).toContain('What has been done');
  await checkPage(tab, 'loftet-publikt-engelska');
  await context.close();
});

test('the verify page checks a text and a fingerprint against the signed promises, and names what is wrong with a form', async () => {
  const { currentVersion } = (await testbed.coordinator.get(`/api/promises/${ids.signed}`)).json;
  const { canonicalText } = await testbed.engine.database.db.documentVersion.findFirstOrThrow({ where: { sha256: currentVersion.sha256 } });
  const check = async (fields: Record<string, string>) => {
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    const response = await fetch(`${testbed.api.baseUrl}/verifiera`, { method: 'POST', body });
    return { status: response.status, text: await response.text() };
  };

  const looked = await page(`/verifiera?fingeravtryck=${currentVersion.sha256}`);
  expect(looked.status).toBe(200);
  expect(looked.text).toContain(`href="/loften/${ids.signed}"`);
  const same = await check({ text: canonicalText, fingeravtryck: currentVersion.sha256 });
  expect(same.status).toBe(200);
  expect(same.text).toContain('Stämmer: texten har exakt det fingeravtryck du angav.');
  const changed = await check({ text: canonicalText.replace('Lessebo', 'Lesebo'), fingeravtryck: currentVersion.sha256 });
  expect(changed.text).toContain('Stämmer inte');
  expect(changed.text).toContain('Inget medborgarlöfte som alla parter har signerat har det fingeravtrycket.');
  // The unsigned first version is nobody's signed text.
  expect((await page(`/verifiera?fingeravtryck=${unsignedHash}`)).text).toContain('Inget medborgarlöfte som alla parter har signerat');

  const badFingerprint = await page('/verifiera?fingeravtryck=abc');
  expect(badFingerprint.status).toBe(400);
  expect(badFingerprint.text).toContain('<span class="field-problem" id="fingeravtryck-problem">ska vara 64 tecken, 0–9 och a–f</span>');
  const empty = await check({});
  expect(empty.status).toBe(400);
  expect(empty.text).toContain('välj en PDF-fil, klistra in en text eller skriv ett fingeravtryck');
  const notPdf = new FormData();
  notPdf.append('fil', new Blob(['inte en pdf'], { type: 'application/pdf' }), 'x.pdf');
  const refused = await fetch(`${testbed.api.baseUrl}/verifiera`, { method: 'POST', body: notPdf });
  expect(refused.status).toBe(400);
  expect(await refused.text()).toContain('filen är ingen PDF från den här tjänsten');
  // A multipart form without its boundary is a request that cannot be read, not a server error.
  const broken = await fetch(`${testbed.api.baseUrl}/verifiera`, { method: 'POST', headers: { 'content-type': 'multipart/form-data' } });
  expect(broken.status).toBe(400);
  const huge = new FormData();
  huge.append('fil', new Blob([new Uint8Array(11 * 1024 * 1024)], { type: 'application/pdf' }), 'stor.pdf');
  const tooLarge = await fetch(`${testbed.api.baseUrl}/verifiera`, { method: 'POST', body: huge });
  expect(tooLarge.status).toBe(413);
  const tooLargePage = await tooLarge.text();
  expect(tooLargePage).toContain('Filen är för stor (högst 10 MB).');
  // The page offers the form again, not only the start page.
  expect(tooLargePage).toContain('<a href="/verifiera">Till formuläret igen</a>');
});

test('the signed PDF carries the text as signed and who signed it, and no address, no unsigned text', async () => {
  const api = (await testbed.coordinator.get(`/api/promises/${ids.signed}`)).json;
  const response = await fetch(`${testbed.api.baseUrl}/loften/${ids.signed}/loftet.pdf`);
  expect(response.headers.get('content-type')).toBe('application/pdf');
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = pdfText(bytes);
  for (const signatory of api.content.signatories as { name: string; title: string }[]) expect(text).toContain(signatory.name);
  expect(text).toContain(api.currentVersion.sha256);
  expect(text).not.toContain(unsignedHash);
  expect(text).not.toContain(OLD_GOAL);
  expect(text).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
  const attached = await attachedSignedText(bytes);
  expect(sha256Hex(attached!)).toBe(api.currentVersion.sha256);
  expect(attached).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
  for (const hidden of [ids.draft, ids.withdrawn]) expect((await page(`/loften/${hidden}/loftet.pdf`)).status).toBe(404);
});

test('every page checked here is valid HTML (Nu HTML Checker)', async () => {
  expect(await htmlErrorsOfCheckedPages()).toEqual([]);
});
