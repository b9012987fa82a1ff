import type { PromiseContent } from '../domain/content';
import { TEST_PERSONS } from '../platform/embedded/bankid-server';
import { completionOf } from '../store/bankid-orders';
import { autoStartTokenOf, orderIdIn, qrNow as qrOf, signingLinkFor } from './support/bankid';
import { eventually } from './support/eventually';
import { csrfOf, startAppTestbed, type AppClient } from './support/app-client';
import type { ApiTestbed } from './support/http';
import { pdfText } from './support/pdf';
import { inComingYear, lessebo } from './support/promises';
import { signEveryRequest } from './support/signing';

// Signing with BankID over HTTP, on the local BankID server over mutual TLS (issue 24): by QR code
// and on the same device; a pinned number that refuses another person's BankID; a name BankID gives
// that is not the signatory's, held for the coordinator; cancelling; BankID down while the e-mail
// link keeps working; and the evidence on record, on the public page and in the PDF.

const [anna, olof] = TEST_PERSONS as [(typeof TEST_PERSONS)[0], (typeof TEST_PERSONS)[0]];
let testbed: ApiTestbed;
let browser: AppClient;

beforeAll(async () => {
  ({ testbed, browser } = await startAppTestbed('samordnare.bankid-signering@lessebo.example'));
});
afterAll(async () => {
  await testbed?.stop();
});
afterEach(() => {
  testbed.engine.bankId.fault = undefined;
});

/** Lessebo's promise with its first signatories signing with BankID, under the test persons' names. */
function withBankIdSignatories(count: number): PromiseContent {
  const content = inComingYear(lessebo());
  content.signatories.slice(0, count).forEach((s, i) => {
    s.signingMethod = 'BANKID';
    s.name = [anna.name, 'Olle Ek', 'Bo Ek'][i]!;
  });
  return content;
}

/** A page through a personal link, as a browser without scripts reads it (redirects not followed). */
const linkPage = (path: string, form?: Record<string, string>) =>
  fetch(`${testbed.api.baseUrl}${path}`, {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    ...(form ? { body: new URLSearchParams(form) } : {}),
  }).then(async (r) => ({ status: r.status, location: r.headers.get('location'), text: await r.text() }));

const linkFor = (promiseId: string, email: string) => signingLinkFor(testbed.engine, promiseId, email);

async function startOrder(link: string, device: 'same' | 'other', sha256: string) {
  const started = await linkPage(`${link}/bankid`, { device, documentSha256: sha256 });
  expect(started.status).toBe(303);
  const orderId = orderIdIn(started.location!);
  return { orderId, page: `${link}/bankid/${orderId}` };
}

const qrNow = (orderId: string) => qrOf(testbed.engine, orderId);

const pageSays = (page: string, text: string) => eventually(async () => expect((await linkPage(page)).text).toContain(text), 30_000);

test('two parties sign with BankID (QR code, same device), the rest by link; the evidence is on record and in public', async () => {
  const { coordinator, engine } = testbed;
  const { db } = engine.database;
  const content = withBankIdSignatories(2);
  content.signatories[1]!.name = olof.name;
  const id: string = (await coordinator.post('/api/promises', { content })).json.id;
  expect((await coordinator.post(`/api/promises/${id}/submit`, {})).status).toBe(200);
  const sha256: string = (await coordinator.get(`/api/promises/${id}`)).json.currentVersion.sha256;
  const [byQr, sameDevice] = [await linkFor(id, content.signatories[0]!.email), await linkFor(id, content.signatories[1]!.email)];

  // The confirmation offers BankID, and the plain signature is refused for a BankID signatory.
  const confirm = await linkPage(`${byQr}/bekrafta`);
  expect(confirm.text).toContain('BankID på en annan enhet (QR-kod)');
  expect(confirm.text).not.toContain('name="decision" value="SIGN"');
  const plain = await linkPage(byQr, { decision: 'SIGN', documentSha256: sha256 });
  expect(plain.status).toBe(409);
  expect(plain.text).toContain('Du skriver under med BankID');

  // By QR code: the page shows the code and BankID's message; the phone scans, then signs.
  const first = await startOrder(byQr, 'other', sha256);
  await pageSays(first.page, 'Starta BankID-appen.');
  const qrPage = await linkPage(first.page);
  expect(qrPage.text).toContain('<svg');
  expect(qrPage.text).toContain('http-equiv="refresh"');
  const { session } = engine.bankId.open({ qr: await qrNow(first.orderId) }, anna, '198.51.100.20');
  await pageSays(first.page, 'Skriv in din säkerhetskod i BankID-appen');
  expect((await linkPage(first.page)).text).not.toContain('<svg');
  engine.bankId.signAs(session);
  await pageSays(first.page, 'Underskriften gjordes med BankID.');

  // On the same device: the page's link opens the phone's app, which signs.
  const second = await startOrder(sameDevice, 'same', sha256);
  const autostart = await eventually(async () => {
    const link = /href="([^"]*autostarttoken=[^"]+)"/.exec((await linkPage(second.page)).text)?.[1];
    expect(link).toBeDefined();
    return link!.replace(/&amp;/g, '&');
  });
  expect(autostart.startsWith(engine.bankId.phoneUrl)).toBe(true);
  // Olof's phone (the test phone's second person).
  const phone = await (await fetch(`${autostart}&person=1`)).text();
  const phoneSession = /name="session" value="([^"]+)"/.exec(phone)![1]!;
  await fetch(`${engine.bankId.phoneUrl}skriv-under`, {
    method: 'POST',
    body: new URLSearchParams({ session: phoneSession, person: '1' }),
  });
  await pageSays(second.page, 'Underskriften gjordes med BankID.');

  await signEveryRequest(engine, id);
  const signatures = await db.signature.findMany({
    where: { request: { round: { promiseId: id } } },
    include: { bankIdOrder: true, request: { include: { signatory: true } } },
  });
  const bankIdSigned = signatures.filter((s) => s.method === 'BANKID');
  expect(bankIdSigned.map((s) => s.request.signatory.name).sort()).toEqual([anna.name, olof.name].sort());
  expect(signatures.filter((s) => s.method === 'EMAIL_LINK')).toHaveLength(content.signatories.length - 2);
  // The evidence: BankID's signature and OCSP answer, the person, the device's address; sealed on record.
  const evidence = completionOf(
    bankIdSigned.find((s) => s.request.signatory.name === anna.name)!.bankIdOrder!.completionSealed,
    engine.activityDeps.linkSecret,
  );
  expect(evidence).toMatchObject({
    user: { personalNumber: anna.personalNumber, name: anna.name },
    device: { ipAddress: '198.51.100.20' },
  });
  expect(evidence!.signature.length).toBeGreaterThan(100);
  expect(evidence!.ocspResponse.length).toBeGreaterThan(10);
  expect(JSON.stringify(await db.bankIdOrder.findMany())).not.toContain(anna.personalNumber);
  // Exactly one order per signature, and every audit event says how.
  const signedEvents = await db.auditEvent.findMany({ where: { promiseId: id, action: 'SIGNED' } });
  expect(signedEvents.filter((e) => (e.details as { method?: string }).method === 'BANKID')).toHaveLength(2);

  // In public: how each party signed, on the page and in the PDF.
  const publicPage = await (await fetch(`${testbed.api.baseUrl}/loften/${id}`)).text();
  expect(publicPage).toContain('med BankID');
  expect(publicPage).toContain('med e-postlänk');
  const pdfBytes = new Uint8Array(await (await fetch(`${testbed.api.baseUrl}/loften/${id}/loftet.pdf`)).arrayBuffer());
  const pdf = pdfText(pdfBytes);
  expect(pdf).toContain('med BankID');
  // pdftotext joins a word broken at its hyphen at the end of a line.
  expect(pdf).toMatch(/med e-?postlänk/);
  // And /verifiera, given the PDF, says the same.
  const upload = new FormData();
  upload.append('fil', new Blob([pdfBytes], { type: 'application/pdf' }), 'loftet.pdf');
  const verified = await (await fetch(`${testbed.api.baseUrl}/verifiera`, { method: 'POST', body: upload })).text();
  expect(verified).toContain(`${anna.name},`);
  expect(verified).toContain('med BankID');
  expect(verified).toContain('med e-postlänk');
});

test("a pinned number refuses another person's BankID; a name that differs is held for the coordinator, who accepts it", async () => {
  const { coordinator, engine } = testbed;
  const content = withBankIdSignatories(2);
  const id: string = (await coordinator.post('/api/promises', { content })).json.id;
  const pinnedKey = content.signatories[0]!.key!;
  await coordinator.put(`/api/promises/${id}/signatories/${pinnedKey}/personal-number`, { personalNumber: anna.personalNumber });
  await coordinator.post(`/api/promises/${id}/submit`, {});
  const sha256: string = (await coordinator.get(`/api/promises/${id}`)).json.currentVersion.sha256;
  const [pinnedLink, heldLink] = [await linkFor(id, content.signatories[0]!.email), await linkFor(id, content.signatories[1]!.email)];

  // Olof's BankID cannot sign for the pinned signatory: it finds no usable BankID, and he gives up.
  expect((await linkPage(`${pinnedLink}/bekrafta`)).text).toContain('bara ditt BankID kan skriva under');
  const pinned = await startOrder(pinnedLink, 'same', sha256);
  const { session } = engine.bankId.open({ autoStartToken: await autoStartTokenOf(engine, pinned.orderId) }, olof);
  await pageSays(pinned.page, 'Söker efter BankID');
  expect(() => engine.bankId.signAs(session)).toThrow();
  engine.bankId.cancelAs(session);
  await pageSays(pinned.page, 'Åtgärden avbruten.');
  expect((await linkPage(pinned.page)).text).toContain('Försök igen');

  // Olof signs for "Olle Ek": complete at BankID, held by the round until the coordinator decides.
  const held = await startOrder(heldLink, 'other', sha256);
  engine.bankId.signAs(engine.bankId.open({ qr: await qrNow(held.orderId) }, olof).session);
  await pageSays(held.page, 'namnet som BankID gav stämmer inte');
  const waiting = (await coordinator.get(`/api/promises/${id}/bankid-signatures`)).json;
  expect(waiting).toEqual([expect.objectContaining({ orderId: held.orderId, signatory: 'Olle Ek', bankIdName: olof.name })]);
  // The coordinator sees both names on the promise's page and accepts it there.
  const page = await browser.get(`/app/loften/${id}`);
  expect(page.text).toContain(`Olle Ek: BankID gav namnet ${olof.name}`);
  const accepted = await browser.post(`/app/loften/${id}/bankid-granska`, {
    orderId: held.orderId,
    accept: 'ja',
    _csrf: csrfOf(page.text),
  });
  expect(accepted.status).toBe(303);
  expect(accepted.location).toContain('klart=bankid-godtagen');
  // Asked again (an old tab, the API): nothing waits any more.
  const again = await coordinator.post(`/api/promises/${id}/bankid-signatures/${held.orderId}/review`, { accept: false });
  expect(again.status).toBe(409);
  await pageSays(held.page, 'Underskriften gjordes med BankID.');
  const signature = await engine.database.db.signature.findFirstOrThrow({ where: { bankIdOrderId: held.orderId } });
  expect(signature.method).toBe('BANKID');
  const event = await engine.database.db.auditEvent.findFirstOrThrow({
    where: { promiseId: id, action: 'SIGNED', details: { path: ['bankIdOrderId'], equals: held.orderId } },
  });
  expect(event.details).toMatchObject({ acceptedBy: expect.any(String) });
});

test('BankID down: the person gets a clear page and may try again; the e-mail link keeps working; Swedish and English', async () => {
  const { coordinator, engine } = testbed;
  const content = withBankIdSignatories(1);
  const id: string = (await coordinator.post('/api/promises', { content })).json.id;
  await coordinator.post(`/api/promises/${id}/submit`, {});
  const sha256: string = (await coordinator.get(`/api/promises/${id}`)).json.currentVersion.sha256;
  const link = await linkFor(id, content.signatories[0]!.email);

  engine.bankId.fault = { errorCode: 'maintenance' };
  const down = await startOrder(link, 'other', sha256);
  await pageSays(down.page, 'Internt tekniskt fel. Försök igen.');
  expect((await linkPage(down.page)).text).toContain('Försök igen');
  // Meanwhile a signatory with the link signs as ever.
  const other = content.signatories[1]!;
  const otherLink = await linkFor(id, other.email);
  expect((await linkPage(otherLink, { decision: 'SIGN', documentSha256: sha256 })).status).toBe(200);

  engine.bankId.fault = undefined;
  const english = await startOrder(link, 'other', sha256);
  const englishPage = `${english.page}?sprak=en`;
  await pageSays(englishPage, 'Start your BankID app.');
  const { session } = engine.bankId.open({ qr: await qrNow(english.orderId) }, anna);
  engine.bankId.cancelAs(session);
  await pageSays(englishPage, 'Action cancelled.');

  // Cancelled from the page (the person pressed cancel, or left it): the order is cancelled at BankID.
  const left = await startOrder(link, 'other', sha256);
  await pageSays(left.page, 'Starta BankID-appen.');
  expect((await linkPage(`${left.page}/avbryt`, {})).status).toBe(303);
  await pageSays(left.page, 'Åtgärden avbruten. Försök igen.');
  expect((await engine.database.db.bankIdOrder.findUniqueOrThrow({ where: { id: left.orderId } })).status).toBe('CANCELLED');
});
