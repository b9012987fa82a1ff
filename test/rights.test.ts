import { ERASED_ADDRESS } from '../activities/outbox';
import { joinOrganisation } from '../store/organisations';
import { csrfOf, startAppTestbed, type AppClient } from './support/app-client';
import { eventually } from './support/eventually';
import type { ApiTestbed } from './support/http';
import { columnsHolding } from './support/personal-data-scan';
import { inComingYear, lessebo, mailTo } from './support/promises';
import { signEveryRequest } from './support/signing';

// A person's rights in the coordinator's web app (issue 23): the access export lists every row
// about a signatory; erasure turns the address into a pseudonym everywhere, keeps the public page
// and the signed PDF as they were, and no e-mail goes to the address afterwards; what cannot be
// erased is refused with the reason.

const SARA = 'sara.rattigheter@lessebo.example';
let testbed: ApiTestbed;
let browser: AppClient;

beforeAll(async () => {
  ({ testbed, browser } = await startAppTestbed(SARA));
});
afterAll(async () => {
  await testbed?.stop();
});

async function rightsForm(path: 'utdrag' | 'radera', fields: Record<string, string>) {
  const page = await browser.get('/app/personuppgifter');
  expect(page.status).toBe(200);
  return browser.post(`/app/personuppgifter/${path}`, { ...fields, _csrf: csrfOf(page.text) });
}

test('the export lists every row about a signatory; erasure leaves the public record as it was and stops every e-mail', async () => {
  const { coordinator, engine } = testbed;
  const { db } = engine.database;
  const base = testbed.api.baseUrl;
  const content = inComingYear(lessebo());
  const person = content.signatories[0]!;
  const promiseId: string = (await coordinator.post('/api/promises', { content })).json.id;
  await coordinator.post(`/api/promises/${promiseId}/submit`, {});
  await signEveryRequest(engine, promiseId);

  // Access: found whatever the case of the address typed.
  const exported = await rightsForm('utdrag', { email: person.email.toUpperCase() });
  expect(exported.status).toBe(200);
  expect(exported.headers.get('content-type')).toContain('application/json');
  expect(exported.headers.get('content-disposition')).toContain('attachment');
  const data = JSON.parse(exported.text);
  const signatory = await db.signatory.findFirstOrThrow({
    where: { email: person.email },
    include: { requests: { include: { signature: true } } },
  });
  expect(data.signatories).toEqual([
    expect.objectContaining({
      name: person.name,
      title: person.title,
      email: person.email,
      requests: [expect.objectContaining({ status: 'SIGNED', signature: expect.objectContaining({ decision: 'SIGNED' }) })],
    }),
  ]);
  const reference = await db.emailAddress.findUniqueOrThrow({ where: { address: person.email.toLowerCase() } });
  const rowsAboutThem = {
    emails: await db.emailOutbox.count({ where: { recipient: person.email } }),
    auditEvents: await db.auditEvent.count({
      where: { OR: [{ actor: `SIGNATORY:${signatory.id}` }, { details: { path: ['toAddressId'], equals: reference.id } }] },
    }),
  };
  expect(rowsAboutThem.emails).toBeGreaterThan(0);
  expect({ emails: data.emails.length, auditEvents: data.auditEvents.length }).toEqual(rowsAboutThem);
  // And why each is kept, and for how long, as art. 15 asks.
  expect(data.purposes).toContainEqual(
    expect.objectContaining({
      where: 'Signature.ipAddress',
      keptFor: expect.stringContaining('90 dagar'),
      why: expect.stringContaining('art. 6.1 e'),
    }),
  );

  const publicPage = async () => (await fetch(`${base}/loften/${promiseId}`)).text();
  const signedPdf = async () => Buffer.from(await (await fetch(`${base}/loften/${promiseId}/loftet.pdf`)).arrayBuffer());
  const [pageBefore, pdfBefore] = [await publicPage(), await signedPdf()];

  // Erasure: what stays is said, and why.
  const mailsBefore = mailTo(engine.mailbox.messages, person.email).length;
  const erased = await rightsForm('radera', { email: person.email, reason: 'Begäran per e-post den 3 december' });
  expect(erased.status).toBe(200);
  expect(erased.text).toContain('Adressen är raderad i 1 löfte och får ingen e-post mer.');
  expect(erased.text).toContain('allmänna handlingen');
  expect(erased.text).toContain(`${person.name}, ${person.title}`);
  expect(await columnsHolding(db, [person.email])).toEqual([]);
  expect(await publicPage()).toBe(pageBefore);
  expect((await signedPdf()).equals(pdfBefore)).toBe(true);
  const event = await db.auditEvent.findFirstOrThrow({ where: { action: 'PERSONAL_DATA_ERASED' } });
  expect(event.details).toEqual({ addressId: reference.id, reason: 'Begäran per e-post den 3 december' });
  // The export finds nothing under the address any longer.
  expect((await rightsForm('utdrag', { email: person.email })).status).toBe(404);

  // The address typed again into a new promise: nothing goes to it, and the coordinator sees why.
  const again = inComingYear(lessebo());
  const next: string = (await coordinator.post('/api/promises', { content: again })).json.id;
  await coordinator.post(`/api/promises/${next}/submit`, {});
  await eventually(async () => {
    const request = await db.signingRequest.findFirstOrThrow({ where: { round: { promiseId: next }, signatory: { name: person.name } } });
    expect(request.status).toBe('UNDELIVERABLE');
  });
  const withheld = await db.emailOutbox.findFirstOrThrow({ where: { promiseId: next, status: 'UNDELIVERABLE' } });
  expect(withheld.lastError).toBe(ERASED_ADDRESS);
  expect(withheld.recipient).toMatch(/@pseudonym\.invalid$/);
  expect(mailTo(engine.mailbox.messages, person.email)).toHaveLength(mailsBefore);
  // Only the new promise's text holds the address the coordinator typed; no e-mail log does.
  expect(
    (await columnsHolding(db, [person.email])).filter((column) => !/^(DocumentVersion|Signatory|CommitmentContact)\./.test(column)),
  ).toEqual([]);

  // Back in the audit log's address list through a correction (away and back again), then erased a
  // second time: the same erasure, no conflict with the first.
  const elsewhere = 'tillfallig.adress@lessebo.example';
  for (const [previous, email] of [
    [person.email, elsewhere],
    [elsewhere, person.email],
  ]) {
    expect((await coordinator.post(`/api/promises/${next}/address-corrections`, { previous, email })).status).toBe(200);
  }
  expect(await db.emailAddress.count({ where: { address: person.email.toLowerCase() } })).toBe(1);
  const second = await rightsForm('radera', { email: person.email, reason: 'Ny begäran den 4 december' });
  expect(second.status).toBe(200);
  expect(second.text).toContain('Adressen är raderad i 1 löfte och får ingen e-post mer.');
  expect(await columnsHolding(db, [person.email])).toEqual([]);
  expect(await db.emailAddress.count({ where: { address: person.email.toLowerCase() } })).toBe(0);
});

test('erasure is refused for a coordinator’s own address and for an unknown one, saying why; bad input names the field', async () => {
  const own = await rightsForm('radera', { email: SARA, reason: 'Vill bli glömd' });
  expect(own.status).toBe(409);
  expect(own.text).toContain('hör till en samordnares konto');
  const unknown = await rightsForm('radera', { email: 'okand.person@example.org', reason: 'Begäran' });
  expect(unknown.status).toBe(404);
  expect(unknown.text).toContain('Inga uppgifter om okand.person@example.org');
  const bad = await rightsForm('radera', { email: 'inte en adress', reason: '' });
  expect(bad.status).toBe(400);
  expect(bad.text).toContain('ska vara en giltig e-postadress');
  expect(bad.text).toContain('ange ett skäl');
  expect((await rightsForm('utdrag', { email: 'okand.person@example.org' })).status).toBe(404);
});

test('the privacy notice names who answers for the data and what is kept for how long, in Swedish and English; pages and e-mails link to it', async () => {
  const { db } = testbed.engine.database;
  const sara = await db.coordinator.findUniqueOrThrow({ where: { email: SARA } });
  await joinOrganisation(db, sara.id, { kind: 'MUNICIPALITY', name: 'Lessebo' });
  const swedish = await testbed.anonymous.get('/integritet');
  expect(swedish.status).toBe(200);
  for (const expected of [
    'Personuppgiftsansvarig',
    'Lessebo',
    'Sara Samordnare',
    SARA,
    'IP-adressen som signaturen kom från',
    '90 dagar',
  ]) {
    expect(swedish.text).toContain(expected);
  }
  expect(swedish.text).toContain('Integritetsskyddsmyndigheten');
  const english = await fetch(`${testbed.api.baseUrl}/integritet`, { headers: { cookie: '__Host-lang=en' } });
  const englishText = await english.text();
  expect(englishText).toContain('<html lang="en"');
  expect(englishText).toContain('The IP address a signature came from');
  expect(englishText).toContain('Swedish Authority for Privacy Protection');
  // Every page's footer, and every e-mail's.
  expect((await testbed.anonymous.get('/kommuner')).text).toContain('href="/integritet"');
  expect((await browser.get('/app')).text).toContain('href="/integritet"');
  const mails = testbed.engine.mailbox.messages;
  expect(mails.length).toBeGreaterThan(0);
  for (const mail of mails) expect(mail.text).toContain(`${testbed.engine.publicBaseUrl}/integritet`);
});

test('an organisation shortens its retention in the web app, within the service’s limits; the privacy notice says so', async () => {
  const { db } = testbed.engine.database;
  const sara = await db.coordinator.findUniqueOrThrow({ where: { email: SARA } });
  const { id: organisationId } = await joinOrganisation(db, sara.id, { kind: 'MUNICIPALITY', name: 'Lessebo' });
  const save = async (fields: Record<string, string>) => {
    const page = await browser.get('/app/personuppgifter');
    return browser.post('/app/personuppgifter/lagringstider', { ...fields, _csrf: csrfOf(page.text) });
  };
  const tooLong = await save({ organisationId, retentionTechnicalDays: '120', retentionAddressMonths: 'tolv' });
  expect(tooLong.status).toBe(400);
  expect(tooLong.text).toContain('får vara högst 90 (tjänstens gräns)');
  expect(tooLong.text).toMatch(/Adresser efter perioden \(månader\)<\/a>: ska vara ett tal/);
  const someoneElses = await save({ organisationId: '00000000-0000-4000-8000-000000000000', retentionTechnicalDays: '30' });
  expect(someoneElses.status).toBe(404);
  const saved = await save({ organisationId, retentionTechnicalDays: '30', retentionAddressMonths: '' });
  expect(saved.status).toBe(200);
  expect(saved.text).toContain('Lagringstiderna för Lessebo är sparade');
  expect(await db.organisation.findUniqueOrThrow({ where: { id: organisationId } })).toMatchObject({
    retentionTechnicalDays: 30,
    retentionAddressMonths: null,
  });
  expect((await testbed.anonymous.get('/integritet')).text).toContain(
    'För dess löften tas IP-adresser och webbläsare bort efter 30 dagar och adresserna 24 månader efter perioden.',
  );
  expect(await db.auditEvent.count({ where: { action: 'RETENTION_CHANGED' } })).toBe(1);
});
