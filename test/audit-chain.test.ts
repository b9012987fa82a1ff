import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { jsonbText, verifyChain, type AuditChain } from '../domain/audit-chain';
import { auditChainOf, recordAudit } from '../store/audit';
import { startAppTestbed, type AppClient } from './support/app-client';
import type { ApiTestbed } from './support/http';
import { pdfText } from './support/pdf';
import { inComingYear, lessebo } from './support/promises';
import { signEveryRequest } from './support/signing';

// The audit trail as a hash chain (issue 24): the database chains each promise's events as it
// writes them, even many at once; a downloaded trail is checked by the page /verifiera/handelser
// and by `npm run verify-trail`, against the head published in the open data and printed in the
// PDF; a changed, removed or reordered event is caught.

const run = promisify(execFile);
let testbed: ApiTestbed;
let browser: AppClient;
let promiseId: string;
let chain: AuditChain;

beforeAll(async () => {
  ({ testbed, browser } = await startAppTestbed('samordnare.kedja@lessebo.example'));
  promiseId = (await testbed.coordinator.post('/api/promises', { content: inComingYear(lessebo()) })).json.id;
  await testbed.coordinator.post(`/api/promises/${promiseId}/submit`, {});
  await signEveryRequest(testbed.engine, promiseId);
  const response = await testbed.coordinator.get(`/api/promises/${promiseId}/audit/chain`);
  expect(response.status).toBe(200);
  chain = response.json;
});
afterAll(async () => {
  await testbed?.stop();
});

const copy = (): AuditChain => structuredClone(chain);
const eventOf = (trail: AuditChain, action: string) => trail.events.find((e) => e.action === action)!;

test('PostgreSQL prints jsonb as the verifier writes it: key order, spacing, escapes, numbers', async () => {
  const { db } = testbed.engine.database;
  const values = [
    { b: 1, aa: [1, 2, { ö: 'å', z: null }], a: 'x', åäö: true, ab: false, '': 0 },
    { text: 'rad\nny\trad "citat" \\ bak\u0001\u001f\u007f\u2028 😀', tom: {}, lista: [] },
    { stort: 1e21, litet: 1.5e-7, negativt: -12.25, noll: 0, decimal: 0.1, heltal: 12345678901234 },
    ['a', 1, null, [[]], { 'en nyckel': 'värde' }],
    'bara en sträng',
    null,
  ];
  for (const value of values) {
    const [row] = await db.$queryRaw<{ text: string }[]>`SELECT (${JSON.stringify(value)}::jsonb)::text AS text`;
    expect(jsonbText(value)).toBe(row!.text);
  }
});

test('every event of a signed promise is chained, and the downloaded trail checks out whole', () => {
  expect(chain.promiseId).toBe(promiseId);
  expect(chain.events.map((e) => e.sequence)).toEqual(chain.events.map((_, i) => i + 1));
  expect(chain.events.map((e) => e.action)).toEqual(expect.arrayContaining(['PROMISE_CREATED', 'SIGNED', 'SIGNING_ROUND_COMPLETED']));
  expect(verifyChain(chain)).toEqual({ intact: true, problems: [], events: chain.events.length, head: chain.events.at(-1)!.hash });
});

test('twenty events of one promise written at once form one chain, not a fork', async () => {
  const { db } = testbed.engine.database;
  const id = 'samtidigt-loefte';
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      db.$transaction(async (tx) => {
        await recordAudit(tx, { promiseId: id, actor: { kind: 'SYSTEM', id: `steg-${i}` }, action: 'RESUMED', details: { i } });
        // Held open a moment, as a transaction that writes more after its event does.
        await new Promise((resolve) => setTimeout(resolve, 10));
      }),
    ),
  );
  const events = await db.auditEvent.findMany({ where: { promiseId: id }, orderBy: { chainSequence: 'asc' } });
  expect(events.map((e) => e.chainSequence)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  const trail = await auditChainOf(db, id);
  expect(verifyChain(trail).intact).toBe(true);
});

test('a changed, removed or reordered event is caught, and a trail that does not reach the head given', () => {
  const changed = copy();
  eventOf(changed, 'SIGNED').details = { ...(eventOf(changed, 'SIGNED').details as object), documentSha256: '0'.repeat(64) };
  const changedAt = eventOf(changed, 'SIGNED').sequence;
  expect(verifyChain(changed).problems).toEqual([{ kind: 'CHANGED', sequence: changedAt }]);

  const retimed = copy();
  retimed.events[1]!.at = new Date(Date.parse(retimed.events[1]!.at) + 1).toISOString();
  expect(verifyChain(retimed).problems).toEqual([{ kind: 'CHANGED', sequence: 2 }]);

  const removed = copy();
  removed.events.splice(2, 1);
  expect(verifyChain(removed).problems).toEqual([{ kind: 'MISSING', after: 2, next: 4 }]);

  const swapped = copy();
  [swapped.events[2], swapped.events[3]] = [swapped.events[3]!, swapped.events[2]!];
  expect(verifyChain(swapped).intact).toBe(false);
  expect(verifyChain(swapped).problems).toContainEqual({ kind: 'OUT_OF_ORDER', sequence: 3 });

  // Renumbered and rehashed after a removal, the next event no longer points at its predecessor.
  const rewritten = copy();
  rewritten.events.splice(2, 1);
  rewritten.events.forEach((e, i) => (e.sequence = i + 1));
  expect(verifyChain(rewritten).problems).toContainEqual({ kind: 'BROKEN_LINK', sequence: 3 });

  // Cut short before the head that was published.
  const head = chain.events.at(-1)!.hash;
  expect(verifyChain({ ...chain, events: chain.events.slice(0, -1) }, head).problems).toEqual([{ kind: 'HEAD_NOT_FOUND', head }]);
  expect(verifyChain(chain, head.toUpperCase())).toMatchObject({ intact: true, headAt: chain.events.length });
});

test('the head is published in the open data and, as it stood at the last signature, in the PDF', async () => {
  const base = testbed.api.baseUrl;
  const data = await (await fetch(`${base}/oppna-data/loften.json`)).json();
  const published = data.promises.find((p: { id: string }) => p.id === promiseId);
  const now = (await testbed.coordinator.get(`/api/promises/${promiseId}/audit/chain`)).json as AuditChain;
  const atSigning = eventOf(now, 'SIGNING_ROUND_COMPLETED');
  expect(published.auditChain).toEqual({ head: now.events.at(-1)!.hash, events: now.events.length, headAtSigning: atSigning.hash });

  const pdf = pdfText(new Uint8Array(await (await fetch(`${base}/loften/${promiseId}/loftet.pdf`)).arrayBuffer()));
  expect(pdf).toContain(`kedjans huvud händelse ${atSigning.sequence}`);
  expect(pdf.replace(/\s+/g, '')).toContain(atSigning.hash);
  expect(verifyChain(now, atSigning.hash)).toMatchObject({ intact: true, headAt: atSigning.sequence });
});

test('the coordinator downloads the trail in the web app; the check page and the command say whole or broken, and where', async () => {
  const promisePage = await browser.get(`/app/loften/${promiseId}`);
  expect(promisePage.text).toContain(`href="/app/loften/${promiseId}/handelsekedja.json"`);
  const download = await browser.get(`/app/loften/${promiseId}/handelsekedja.json`);
  expect(download.status).toBe(200);
  expect(download.headers.get('content-disposition')).toContain('attachment');
  const downloaded = JSON.parse(download.text) as AuditChain;
  expect(downloaded.events.slice(0, chain.events.length)).toEqual(chain.events);
  const head = eventOf(downloaded, 'SIGNING_ROUND_COMPLETED').hash;

  const tampered = structuredClone(downloaded);
  const signed = eventOf(tampered, 'SIGNED');
  signed.actor = 'SIGNATORY:någon-annan';

  const checkPage = async (file: string, huvud?: string) => {
    const body = new FormData();
    body.append('fil', new Blob([file], { type: 'application/json' }), 'granskningslogg.json');
    if (huvud !== undefined) body.append('huvud', huvud);
    const response = await fetch(`${testbed.api.baseUrl}/verifiera/handelser`, { method: 'POST', body });
    return { status: response.status, text: await response.text() };
  };
  const whole = await checkPage(download.text, head);
  expect(whole.status).toBe(200);
  expect(whole.text).toContain(`Kedjan är hel: alla ${downloaded.events.length} händelser stämmer med varandra.`);
  const broken = await checkPage(JSON.stringify(tampered), head);
  expect(broken.status).toBe(200);
  expect(broken.text).toContain('Kedjan är bruten');
  expect(broken.text).toContain(`Händelse ${signed.sequence} är ändrad`);
  const notTrail = await checkPage('{"inte": "en logg"}', 'abc');
  expect(notTrail.status).toBe(400);
  expect(notTrail.text).toContain('filen är ingen granskningslogg i JSON');
  expect(notTrail.text).toContain('ska vara 64 tecken, 0–9 och a–f');
  const deep = await checkPage(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
  expect(deep.status).toBe(400);
  expect((await checkPage('')).text).toContain('välj loggens JSON-fil');
  const english = await fetch(`${testbed.api.baseUrl}/verifiera/handelser`, { headers: { cookie: '__Host-lang=en' } });
  expect(await english.text()).toContain('Check an audit trail');

  const folder = mkdtempSync(join(tmpdir(), 'kedja-'));
  const [wholeFile, brokenFile] = [join(folder, 'hel.json'), join(folder, 'bruten.json')];
  writeFileSync(wholeFile, download.text);
  writeFileSync(brokenFile, JSON.stringify(tampered));
  const command = (file: string, huvud: string) =>
    run('npx', ['tsx', 'scripts/verify-trail.ts', file, huvud], { cwd: join(__dirname, '..') }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
  const good = await command(wholeFile, head);
  expect(good).toMatchObject({ code: 0, stdout: expect.stringContaining('Kedjan är hel') });
  expect(good.stdout).toContain('The chain is whole');
  const bad = await command(brokenFile, head);
  expect(bad.code).toBe(1);
  expect(bad.stdout).toContain(`Händelse ${signed.sequence} är ändrad`);
  expect(bad.stdout).toContain(`Event ${signed.sequence} was changed`);
});
