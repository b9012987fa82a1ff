import { promiseWorkflowId } from '../domain/identifiers';
import { findSigningAccess } from '../store/signing';
import type { Engine } from './support/engine';
import { eventually } from './support/eventually';
import { recordHistory } from './support/histories';
import { pageHash, startApiTestbed, type ApiClient, type ApiTestbed } from './support/http';
import { inComingYear, lessebo, mailTo, signingToken, subjectsStartingWith } from './support/promises';

// What the coordinator sees and does when something needs them, over HTTP on the dev server: a
// bounced address shows on the promise and is corrected, signatures standing; a promise whose
// workflow was terminated is resumed and carries on from its records.

let testbed: ApiTestbed;
let engine: Engine;
let coordinator: ApiClient;
let anonymous: ApiClient;

beforeAll(async () => {
  testbed = await startApiTestbed();
  ({ engine, coordinator, anonymous } = testbed);
});
afterAll(async () => {
  await testbed?.stop();
});
beforeEach(() => engine.mailbox.refused.clear());

/** The signing links of a promise's requests in the mailbox, newest round first, by address. */
async function signingLinks(promiseId: string, count: number) {
  return eventually(async () => {
    const links = new Map<string, string>();
    for (const mail of subjectsStartingWith(engine.mailbox.messages, 'Signera medborgarlöftet')) {
      const access = await findSigningAccess(engine.database.db, signingToken(mail));
      if (access?.request.round.promiseId === promiseId) links.set(mail.to[0]!, `/sign/${signingToken(mail)}`);
    }
    expect(links.size).toBe(count);
    return links;
  });
}

async function signThrough(path: string) {
  const page = await anonymous.get(path);
  expect(page.status).toBe(200);
  const signed = await anonymous.form(path, { decision: 'SIGN', documentSha256: pageHash(page.text) });
  expect(signed.status).toBe(200);
}

test('a bounced address shows on the promise; correcting it sends the request again and everyone signs', async () => {
  const signatories = lessebo().signatories;
  const bounced = signatories[1]!;
  const correct = 'anna.ny@butik.example';
  engine.mailbox.refuse(bounced.email);
  const { id } = (await coordinator.post('/api/promises', { content: inComingYear(lessebo()) })).json;
  expect((await coordinator.post(`/api/promises/${id}/submit`)).status).toBe(200);
  const links = await signingLinks(id, 7);

  const view = await eventually(async () => {
    const response = await coordinator.get(`/api/promises/${id}`);
    expect(response.json.needsAttention).toBe(true);
    return response.json;
  });
  expect(view.attention).toEqual([
    expect.objectContaining({ kind: 'UNDELIVERABLE', address: bounced.email, relay: '550 5.1.1 User unknown' }),
  ]);
  expect((await coordinator.get('/api/promises')).json.find((p: { id: string }) => p.id === id).needsAttention).toBe(true);
  const sha256 = view.currentVersion.sha256;

  // Refusals: an address nobody has, the same address, another signatory's address.
  expect((await coordinator.post(`/api/promises/${id}/address-corrections`, { previous: 'ingen@x.example', email: correct })).status).toBe(
    404,
  );
  const same = await coordinator.post(`/api/promises/${id}/address-corrections`, {
    previous: bounced.email,
    email: bounced.email.toUpperCase(),
  });
  expect(same.json.details).toEqual([{ field: 'email', problem: 'är samma som den gamla adressen' }]);
  expect(
    (await coordinator.post(`/api/promises/${id}/address-corrections`, { previous: bounced.email, email: signatories[0]!.email })).status,
  ).toBe(409);

  const corrected = await coordinator.post(`/api/promises/${id}/address-corrections`, { previous: bounced.email, email: correct });
  expect(corrected.status).toBe(200);
  // The same person is the contact for three of the municipality's commitments: corrected there too.
  expect(corrected.json).toEqual({ corrected: { signatories: [bounced.name], contacts: expect.any(Array) }, resending: true });
  expect(corrected.json.corrected.contacts).toHaveLength(3);
  const resent = await engine.mailbox.waitFor((m) => mailTo(m, correct).length === 1);
  expect(mailTo(resent, correct)[0]!.text).toContain('Samordnaren har rättat din e-postadress');

  // The text did not change: the same version and hash, nobody's signature voided.
  await signThrough(links.get(signatories[0]!.email)!);
  for (const [address, path] of (await signingLinks(id, 8)).entries()) if (address !== signatories[0]!.email) await signThrough(path);
  const active = await eventually(async () => {
    const response = await coordinator.get(`/api/promises/${id}`);
    expect(response.json.status).toBe('ACTIVE');
    return response.json;
  });
  expect(active.currentVersion).toMatchObject({ number: 1, sha256 });
  expect(active.attention).toEqual([]);
  const audit = (await coordinator.get(`/api/promises/${id}/audit`)).json.map((e: { action: string }) => e.action);
  expect(audit).toEqual(expect.arrayContaining(['EMAIL_UNDELIVERABLE', 'ADDRESS_CORRECTED', 'ACTIVATED']));
});

test('a promise whose workflow was terminated mid-round is resumed from its records: the signatures stand, the round finishes', async () => {
  const { id } = (await coordinator.post('/api/promises', { content: inComingYear(lessebo()) })).json;
  expect((await coordinator.post(`/api/promises/${id}/submit`)).status).toBe(200);
  const links = [...(await signingLinks(id, 8)).values()];
  await signThrough(links[0]!);
  await signThrough(links[1]!);

  // An operator terminates the workflow (and with it the round's).
  await engine.client.workflow.getHandle(promiseWorkflowId(id)).terminate('prov av återstart');
  const stopped = await anonymous.form(links[2]!, { decision: 'SIGN', documentSha256: pageHash((await anonymous.get(links[2]!)).text) });
  expect(stopped.status).toBe(409);

  const resumed = await coordinator.post(`/api/promises/${id}/resume`);
  expect(resumed.status).toBe(200);
  expect(resumed.json).toMatchObject({ status: 'SIGNING', signingRound: { number: 1, status: 'OPEN' } });
  // The two signatures stand; the six others sign through the links they already have.
  for (const path of links.slice(2)) await signThrough(path);
  await eventually(async () => expect((await coordinator.get(`/api/promises/${id}`)).json.status).toBe('ACTIVE'));
  expect(await engine.database.db.signature.count({ where: { request: { round: { promiseId: id } } } })).toBe(8);
  expect(await engine.database.db.signingRound.count({ where: { promiseId: id } })).toBe(1);
  // No second request went out: the outbox found every e-mail of the round already sent.
  expect(await engine.database.db.emailOutbox.count({ where: { promiseId: id, purpose: 'SIGNING_REQUEST' } })).toBe(8);
  // A promise that needs nothing is told so.
  expect((await coordinator.post(`/api/promises/${id}/resume`)).status).toBe(409);
  await recordHistory(engine, promiseWorkflowId(id), 'promise-resumed-after-termination');
});
