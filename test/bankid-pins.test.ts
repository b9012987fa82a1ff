import { canonicalTextOf } from '../domain/document';
import { TEST_PERSONS } from '../platform/embedded/bankid-server';
import { csrfOf, startAppTestbed, type AppClient } from './support/app-client';
import type { ApiTestbed } from './support/http';
import { columnsHolding } from './support/personal-data-scan';
import { inComingYear, lessebo } from './support/promises';

// A signing method per signatory and the lock to a personal identity number (issue 24): chosen in
// the text (the editor, the API) without changing what is signed; a number is kept sealed, shown as
// its last four digits only, and goes with the person's data and with the round.

const [anna] = TEST_PERSONS;
const typed = `${anna!.personalNumber.slice(0, 8)}-${anna!.personalNumber.slice(8)}`;
let testbed: ApiTestbed;
let browser: AppClient;

beforeAll(async () => {
  ({ testbed, browser } = await startAppTestbed('samordnare.bankid@lessebo.example'));
});
afterAll(async () => {
  await testbed?.stop();
});

const withBankId = () => {
  const content = inComingYear(lessebo());
  content.signatories[0]!.signingMethod = 'BANKID';
  return content;
};

test('the signing method is part of the content, not of the signed text', async () => {
  const content = withBankId();
  const { signingMethod: _method, ...asBefore } = content.signatories[0]!;
  expect(canonicalTextOf(content)).toBe(canonicalTextOf({ ...content, signatories: [asBefore, ...content.signatories.slice(1)] }));
  const created = await testbed.coordinator.post('/api/promises', { content });
  expect(created.status).toBe(201);
  const view = (await testbed.coordinator.get(`/api/promises/${created.json.id}`)).json;
  expect(view.content.signatories[0].signingMethod).toBe('BANKID');
  const row = await testbed.engine.database.db.signatory.findFirstOrThrow({
    where: { version: { promiseId: created.json.id }, key: content.signatories[0]!.key },
  });
  expect(row.signingMethod).toBe('BANKID');
  const bad = await testbed.coordinator.post('/api/promises', {
    content: { ...content, signatories: [{ ...content.signatories[0], signingMethod: 'FAX' }, ...content.signatories.slice(1)] },
  });
  expect(bad.status).toBe(400);
  expect(bad.json.details).toContainEqual(expect.objectContaining({ field: 'content.signatories.0.signingMethod' }));
});

test('a pinned number is sealed, shown as four digits, refused for an e-mail signatory, and named by field when wrong', async () => {
  const { db } = testbed.engine.database;
  const content = withBankId();
  const [bankIdSignatory, linkSignatory] = content.signatories as [(typeof content.signatories)[0], (typeof content.signatories)[0]];
  const id: string = (await testbed.coordinator.post('/api/promises', { content })).json.id;
  const pinPath = (key: string) => `/api/promises/${id}/signatories/${key}/personal-number`;

  const wrong = await testbed.coordinator.put(pinPath(bankIdSignatory.key!), { personalNumber: '19811218-9875' });
  expect(wrong.status).toBe(400);
  expect(wrong.json.details).toEqual([
    expect.objectContaining({ field: 'personalNumber', problem: expect.stringContaining('giltigt personnummer') }),
  ]);
  expect((await testbed.coordinator.put(pinPath(linkSignatory.key!), { personalNumber: typed })).status).toBe(409);
  expect((await testbed.coordinator.put(pinPath('ingen-sadan'), { personalNumber: typed })).status).toBe(404);

  const pinned = await testbed.coordinator.put(pinPath(bankIdSignatory.key!), { personalNumber: typed });
  expect(pinned.json).toEqual({ signatoryKey: bankIdSignatory.key, lastFour: `••••${anna!.personalNumber.slice(-4)}` });
  expect((await testbed.coordinator.get(`/api/promises/${id}`)).json.personalNumberPins).toEqual([pinned.json]);
  // Nowhere in the database in clear, in either form it was typed.
  expect(await columnsHolding(db, [anna!.personalNumber, typed, anna!.personalNumber.slice(2)])).toEqual([]);

  // The coordinator's page shows four digits and the form; the lock comes off there.
  const page = await browser.get(`/app/loften/${id}`);
  expect(page.text).toContain(`låst till personnummer ••••${anna!.personalNumber.slice(-4)}`);
  expect(page.text).not.toContain(anna!.personalNumber.slice(0, 8));
  const removed = await browser.post(`/app/loften/${id}/personnummer`, {
    signatoryKey: bankIdSignatory.key!,
    remove: 'ja',
    _csrf: csrfOf(page.text),
  });
  expect(removed.status).toBe(303);
  expect((await testbed.coordinator.get(`/api/promises/${id}`)).json.personalNumberPins).toEqual([]);
  const badForm = await browser.post(`/app/loften/${id}/personnummer`, {
    signatoryKey: bankIdSignatory.key!,
    personalNumber: '123',
    _csrf: csrfOf(page.text),
  });
  expect(badForm.status).toBe(400);
  expect(badForm.text).toContain('ska vara ett giltigt personnummer');
  const audit = await db.auditEvent.findMany({
    where: { promiseId: id, action: { in: ['PERSONAL_NUMBER_PINNED', 'PERSONAL_NUMBER_UNPINNED'] } },
  });
  expect(audit.map((e) => e.action)).toEqual(['PERSONAL_NUMBER_PINNED', 'PERSONAL_NUMBER_UNPINNED']);
});

test("the lock goes with the person's erased data", async () => {
  const { db } = testbed.engine.database;
  const content = withBankId();
  const person = content.signatories[0]!;
  person.email = 'pinnad.person@lessebo.example';
  const id: string = (await testbed.coordinator.post('/api/promises', { content })).json.id;
  await testbed.coordinator.put(`/api/promises/${id}/signatories/${person.key}/personal-number`, { personalNumber: typed });
  expect(await db.personalNumberPin.count({ where: { promiseId: id } })).toBe(1);
  const page = await browser.get('/app/personuppgifter');
  const erased = await browser.post('/app/personuppgifter/radera', { email: person.email, reason: 'Begäran', _csrf: csrfOf(page.text) });
  expect(erased.status).toBe(200);
  expect(await db.personalNumberPin.count({ where: { promiseId: id } })).toBe(0);
});
