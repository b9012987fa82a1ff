import { parse } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import { startApi, startApiTestbed, type ApiTestbed } from './support/http';
import { lessebo, startingOn, today } from './support/promises';
import { activePromise } from './support/signing';

// What other systems rely on (issue 25): Atom feeds as RFC 4287 asks (an author, ids that survive a
// new address, the time things happened, a corrected report updating its entry, marked), open data
// that marks corrections and reads in a Swedish spreadsheet, and every file meant for others
// readable from any site and answered with 304 when the reader's copy is current.

let testbed: ApiTestbed;
let promiseId: string;
let reportId: string;
let correctionId: string;

const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'entry' || name === 'link' });
interface AtomEntry {
  id: string;
  title: string | { '#text': string };
  updated: string;
  published: string;
}
const atom = (xml: string) =>
  (parser.parse(xml) as { feed: { id: string; updated: string; author: { name: string }; entry: AtomEntry[] } }).feed;
const titleOf = (e: AtomEntry) => (typeof e.title === 'string' ? e.title : e.title['#text']);
const get = (path: string, headers: Record<string, string> = {}, base = testbed.api.baseUrl) => fetch(`${base}${path}`, { headers });

beforeAll(async () => {
  testbed = await startApiTestbed('samordnare.delade-filer@lessebo.example');
  const { coordinator } = testbed;
  promiseId = await activePromise(testbed, startingOn(lessebo(), today()));
  const occurrences = (await coordinator.get(`/api/promises/${promiseId}/occurrences`)).json as { id: string; dueDate: string | null }[];
  const path = `/api/promises/${promiseId}/occurrences/${occurrences.find((o) => o.dueDate)!.id}/reports`;
  const reported = await coordinator.post(path, { report: { kind: 'DONE', performedOn: today(), description: 'Vandring i centrum.' } });
  reportId = reported.json.reports[0].id;
  const corrected = await coordinator.post(path, {
    report: { kind: 'DONE', performedOn: today(), description: 'Vandring i centrum med tolv deltagare.' },
    correctsReportId: reportId,
  });
  expect(corrected.status).toBe(201);
  correctionId = corrected.json.reports.find((r: { id: string }) => r.id !== reportId).id;
});
afterAll(async () => {
  await testbed?.stop();
});

const FEEDS = () => [`/loften/${promiseId}/flode.atom`, '/kommuner/lessebo/flode.atom'];

test('a feed has an author, ids that stay when the installation moves, and the times things happened', async () => {
  const { db } = testbed.engine.database;
  const original = await db.activityReport.findUniqueOrThrow({ where: { id: reportId } });
  const correction = await db.activityReport.findUniqueOrThrow({ where: { id: correctionId } });
  const moved = await startApi(testbed.engine, { publicBaseUrl: 'https://loften.annan-adress.example' });
  try {
    for (const path of FEEDS()) {
      const feed = atom(await (await get(path)).text());
      expect(feed.author.name).toBe('Lessebo');
      expect(feed.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
      for (const entry of feed.entry) expect(entry.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
      // Another address: the same feed and entries, so no reader sees everything again.
      const elsewhere = atom(await (await get(path, {}, moved.baseUrl)).text());
      expect([elsewhere.id, ...elsewhere.entry.map((e) => e.id)]).toEqual([feed.id, ...feed.entry.map((e) => e.id)]);

      // The corrected report is one entry: the original's id, marked, updated when corrected, published when first reported.
      const reports = feed.entry.filter((e) => titleOf(e).includes('Genomfört'));
      expect(reports).toHaveLength(1);
      expect(reports[0]).toMatchObject({
        id: `urn:uuid:${reportId}`,
        updated: correction.createdAt.toISOString(),
        published: original.createdAt.toISOString(),
      });
      expect(titleOf(reports[0]!)).toContain('(rättad)');
      const round = await db.signingRound.findFirstOrThrow({ where: { promiseId, status: 'COMPLETED' } });
      expect(feed.entry.find((e) => titleOf(e).includes('Signerat'))!.updated).toBe(round.endedAt!.toISOString());
      expect(feed.updated).toBe(correction.createdAt.toISOString());
    }
  } finally {
    await moved.app.close();
  }
});

test('open data marks a correction; the spreadsheet CSV is the same data with semicolons and a byte order mark', async () => {
  const data = JSON.parse(await (await get('/oppna-data/loften.json')).text());
  const [promise] = data.promises.filter((p: { id: string }) => p.id === promiseId);
  expect(promise.reports).toEqual([expect.objectContaining({ id: correctionId, corrects: reportId })]);
  const latest = await testbed.engine.database.db.activityReport.findUniqueOrThrow({ where: { id: correctionId } });
  expect(data.generatedAt).toBe(latest.createdAt.toISOString());

  for (const file of ['loften', 'atgarder', 'rapporter']) {
    const plain = await (await get(`/oppna-data/${file}.csv`)).text();
    const bytes = Buffer.from(await (await get(`/oppna-data/${file}-kalkylblad.csv`)).arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const spreadsheet = bytes.subarray(3).toString('utf8');
    expect(spreadsheet.split('\n')[0]).toContain(';');
    expect(parse(spreadsheet, { delimiter: ';', columns: true })).toEqual(parse(plain, { columns: true }));
  }
  const rows = parse(await (await get('/oppna-data/rapporter.csv')).text(), { columns: true }) as Record<string, string>[];
  expect(rows.filter((row) => row.lofte_id === promiseId)).toEqual([
    expect.objectContaining({ rapport_id: correctionId, rattar: reportId }),
  ]);
});

test('every file meant for others is readable from any site and answers 304 when the copy is current; pages are not', async () => {
  const files = [
    ...FEEDS(),
    '/oppna-data/loften.json',
    '/oppna-data/rapporter.csv',
    '/oppna-data/rapporter-kalkylblad.csv',
    `/loften/${promiseId}/loftet.pdf`,
    `/loften/${promiseId}/kalender.ics`,
  ];
  const origin = { origin: 'https://intranat.kommun.example' };
  for (const path of files) {
    const first = await get(path, origin);
    expect({ path, status: first.status }).toEqual({ path, status: 200 });
    expect({
      path,
      cors: first.headers.get('access-control-allow-origin'),
      exposed: first.headers.get('access-control-expose-headers'),
      corp: first.headers.get('cross-origin-resource-policy'),
    }).toEqual({ path, cors: '*', exposed: 'ETag, Last-Modified', corp: 'cross-origin' });
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(Date.parse(lastModified)).not.toBeNaN();

    const byTag = await get(path, { 'if-none-match': etag });
    expect({ path, status: byTag.status, body: await byTag.text() }).toEqual({ path, status: 304, body: '' });
    const byDate = await get(path, { 'if-modified-since': lastModified });
    expect({ path, status: byDate.status }).toEqual({ path, status: 304 });
    // A tag that is not the current one wins over the date: the file is sent.
    expect((await get(path, { 'if-none-match': '"annan"', 'if-modified-since': lastModified })).status).toBe(200);
    expect((await get(path, { 'if-modified-since': new Date(Date.parse(lastModified) - 1000).toUTCString() })).status).toBe(200);
  }
  const page = await get(`/loften/${promiseId}`, origin);
  expect(page.headers.get('access-control-allow-origin')).toBeNull();
  expect(page.headers.get('cross-origin-resource-policy')).toBe('same-origin');
});

test('a new report changes the files: the old tag no longer matches', async () => {
  const path = '/oppna-data/loften.json';
  const before = (await get(path)).headers.get('etag')!;
  const occurrences = (await testbed.coordinator.get(`/api/promises/${promiseId}/occurrences`)).json as {
    id: string;
    dueDate: string | null;
    status: string;
  }[];
  const open = occurrences.find((o) => o.dueDate && o.status === 'PLANNED')!;
  await testbed.coordinator.post(`/api/promises/${promiseId}/occurrences/${open.id}/reports`, {
    report: { kind: 'CANCELLED', reason: 'Inställt på grund av storm.' },
  });
  const after = await get(path, { 'if-none-match': before });
  expect(after.status).toBe(200);
  expect(after.headers.get('etag')).not.toBe(before);
});
