import { sha256Hex } from '../domain/crypto';
import { createCoordinator } from '../store/coordinators';
import type { Engine } from './support/engine';
import { eventually, outboxSettled } from './support/eventually';
import { client, pageHash, startApiTestbed, type ApiClient, type ApiTestbed } from './support/http';
import { inComingYear, lessebo, subjectsStartingWith } from './support/promises';

// Bad input and misuse: each gets a clear 4xx naming the problem, and changes nothing.

let testbed: ApiTestbed;
let engine: Engine;
let api: ApiTestbed['api'];
let coordinator: ApiClient;
let anonymous: ApiClient;

beforeAll(async () => {
  testbed = await startApiTestbed();
  ({ engine, api, coordinator, anonymous } = testbed);
});
afterAll(async () => {
  await testbed?.stop();
});

const counts = async () => ({
  promises: await engine.database.db.promiseRecord.count(),
  versions: await engine.database.db.documentVersion.count(),
  signatures: await engine.database.db.signature.count(),
  audit: await engine.database.db.auditEvent.count(),
});

/** Waits until `rounds` rounds' signing requests are all out (and audited): a round sends them after its answer. */
const requestsOut = (promiseId: string, rounds = 1) =>
  eventually(async () =>
    expect(await engine.database.db.emailOutbox.count({ where: { promiseId, purpose: 'SIGNING_REQUEST', status: 'SENT' } })).toBe(
      rounds * lessebo().signatories.length,
    ),
  );

async function expectNothingChanged(action: () => Promise<void>) {
  await outboxSettled(engine.database.db);
  const before = await counts();
  await action();
  expect(await counts()).toEqual(before);
}

test('a coordinator call without a token, or with an unknown one, is 401', async () => {
  await expectNothingChanged(async () => {
    const none = await anonymous.post('/api/promises', { content: lessebo() });
    expect(none.status).toBe(401);
    expect(none.json).toEqual({ error: 'UNAUTHENTICATED', message: expect.stringContaining('Authorization: Bearer') });
    const wrong = await client(api.baseUrl, 'x'.repeat(43)).get('/api/promises');
    expect(wrong.status).toBe(401);
  });
});

test('missing and malformed fields are each named, with a 400 and no record written', async () => {
  const content: Record<string, unknown> = { ...lessebo() };
  delete content.title;
  const signatories = lessebo().signatories.map((s) => ({ ...s }));
  signatories[2]!.email = 'inte-en-adress';
  content.signatories = signatories;

  await expectNothingChanged(async () => {
    const response = await coordinator.post('/api/promises', { content });
    expect(response.status).toBe(400);
    expect(response.json.error).toBe('VALIDATION');
    const fields = response.json.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['content.title', 'content.signatories.2.email']));
    const email = response.json.details.find((d: { field: string }) => d.field === 'content.signatories.2.email');
    expect(email.problem).toBe('ska vara en giltig e-postadress');
  });
  // Cross-field rules run once the shape is right: a period ending before it starts, an unknown party.
  await expectNothingChanged(async () => {
    const crossed = lessebo();
    crossed.period = { start: '2020-12-31', end: '2020-03-02' };
    crossed.signatories[3]!.partyKey = 'okand-part';
    const response = await coordinator.post('/api/promises', { content: crossed });
    expect(response.status).toBe(400);
    expect(response.json.details).toEqual([
      { field: 'content.period.end', problem: 'ska vara efter periodens start' },
      { field: 'content.signatories.3.partyKey', problem: 'okänd part "okand-part"' },
    ]);
  });
});

test('broken JSON, an empty body and an unknown field are 400s, not 500s', async () => {
  await expectNothingChanged(async () => {
    const broken = await coordinator.postRaw('/api/promises', '{"content": {');
    expect(broken.status).toBe(400);
    expect(broken.json.message).toBe('Innehållet är inte giltig JSON.');
    const empty = await coordinator.post('/api/promises', {});
    expect(empty.status).toBe(400);
    expect(empty.json.details).toEqual([{ field: 'content', problem: expect.any(String) }]);
    const extra = await coordinator.post('/api/promises', { content: lessebo(), owner: 'någon' });
    expect(extra.status).toBe(400);
    expect(extra.json.details[0].problem).toContain('owner');
    const badId = await coordinator.get('/api/promises/inte-ett-id');
    expect(badId.status).toBe(400);
    expect(badId.json.details).toEqual([{ field: 'id', problem: 'ska vara ett löftes id (UUID)' }]);
  });
});

test('unknown and malformed signing links get a clear page, and a POST to them changes nothing', async () => {
  await expectNothingChanged(async () => {
    const unknown = await anonymous.get(`/sign/${'A'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('Okänd länk');
    const malformed = await anonymous.get('/sign/kort');
    expect(malformed.status).toBe(404);
    const post = await anonymous.form(`/sign/${'A'.repeat(43)}`, { decision: 'SIGN', documentSha256: '0'.repeat(64) });
    expect(post.status).toBe(404);
  });
});

test('signing again gives the receipt; another answer, a decline without reason, a wrong hash and an old version are refused', async () => {
  const created = await coordinator.post('/api/promises', { content: inComingYear(lessebo()) });
  const id: string = created.json.id;
  await coordinator.post(`/api/promises/${id}/submit`);
  const requests = subjectsStartingWith(
    await engine.mailbox.waitFor((m) => subjectsStartingWith(m, 'Signera medborgarlöftet').length >= 8),
    'Signera medborgarlöftet',
  );
  const paths = requests.map((m) => /\/sign\/[A-Za-z0-9_-]{43}/.exec(m.text)![0]);
  const first = await anonymous.get(paths[0]!);
  const hash = pageHash(first.text);

  expect((await anonymous.form(paths[0]!, { decision: 'SIGN', documentSha256: hash })).status).toBe(200);
  await expectNothingChanged(async () => {
    // The person's own retry (a double click, a lost answer) gets the receipt, not a refusal.
    const twice = await anonymous.form(paths[0]!, { decision: 'SIGN', documentSha256: hash });
    expect(twice.status).toBe(200);
    expect(twice.text).toContain('Du har signerat');
    // Another answer from the same link is refused.
    const changedMind = await anonymous.form(paths[0]!, { decision: 'DECLINE', reason: 'Ångrar mig.', documentSha256: hash });
    expect(changedMind.status).toBe(409);
    expect(changedMind.text).toContain('Det går inte att signera två gånger');

    const noReason = await anonymous.form(paths[1]!, { decision: 'DECLINE', documentSha256: hash });
    expect(noReason.status).toBe(400);
    // The problem stands beside the reason field, which takes the focus.
    expect(noReason.text).toContain('<span class="field-problem" id="reason-problem">skriv varför du avböjer</span>');
    expect(noReason.text).toMatch(
      /<textarea id="reason" name="reason" rows="3" autofocus aria-describedby="reason-problem" aria-invalid="true">/,
    );

    const badForm = await anonymous.form(paths[1]!, { decision: 'KANSKE', documentSha256: 'abc' });
    expect(badForm.status).toBe(400);
    expect(badForm.text).toContain('documentSha256');

    const wrongHash = await anonymous.form(paths[1]!, { decision: 'SIGN', documentSha256: 'f'.repeat(64) });
    expect(wrongHash.status).toBe(409);
    expect(wrongHash.text).toContain('Texten har ändrats sedan du fick den');
  });

  // An edit whose period has already ended is refused at once, and the round goes on.
  await expectNothingChanged(async () => {
    const ended = await coordinator.put(`/api/promises/${id}/content`, { content: lessebo() });
    expect(ended.status).toBe(409);
    expect(ended.json).toMatchObject({ error: 'INVALID_STATE', message: expect.stringContaining('2020-12-31 har redan tagit slut') });
  });
  expect((await coordinator.get(`/api/promises/${id}`)).json).toMatchObject({
    status: 'SIGNING',
    signingRound: { number: 1, status: 'OPEN' },
  });

  // An edit during signing makes version 2; the old links then show that the text changed.
  const content = inComingYear(lessebo());
  content.followUp = `${content.followUp} Uppföljningen redovisas i kommunfullmäktige.`;
  const revised = await coordinator.put(`/api/promises/${id}/content`, { content });
  expect(revised.status).toBe(200);
  expect(revised.json.currentVersion.number).toBe(2);
  await eventually(async () => {
    const view = await coordinator.get(`/api/promises/${id}`);
    expect(view.json.signingRound.number).toBe(2);
  });
  await requestsOut(id, 2);
  await expectNothingChanged(async () => {
    const oldPage = await anonymous.get(paths[1]!);
    expect(oldPage.status).toBe(410);
    expect(oldPage.text).toContain('Texten har ändrats');
    const oldPost = await anonymous.form(paths[1]!, { decision: 'SIGN', documentSha256: hash });
    expect(oldPost.status).toBe(410);
    // The one who signed version 1 is told that the signature no longer holds, and where to go now.
    const signedBefore = await anonymous.get(paths[0]!);
    expect(signedBefore.status).toBe(410);
    expect(signedBefore.text).toContain('Din signatur gäller inte längre');
    expect(signedBefore.text).toContain('Du signerade version 1');
    expect(signedBefore.text).toContain('nu version 2');
    expect(signedBefore.text).toContain('En ny begäran om att signera den nya texten har skickats till dig');
    expect(signedBefore.text).not.toContain('Du har signerat');
    expect((await anonymous.form(paths[0]!, { decision: 'SIGN', documentSha256: hash })).status).toBe(410);
  });
  // The new request says that the text changed, and which version replaces which.
  const second = await engine.mailbox.waitFor((m) => subjectsStartingWith(m, 'Signera medborgarlöftet (ny version 2)').length >= 8);
  expect(subjectsStartingWith(second, 'Signera medborgarlöftet (ny version 2)')[0]!.text).toContain('version 2 ersätter version 1');
  const voided = await engine.database.db.signature.findMany({ where: { request: { round: { promiseId: id, number: 1 } } } });
  expect(voided.map((s) => s.voidedAt !== null)).toEqual([true]);
});

test('state errors are 409 with the reason: submitting a promise that is not a draft, withdrawing twice', async () => {
  const created = await coordinator.post('/api/promises', { content: lessebo() });
  const id: string = created.json.id;
  const withdrawn = await coordinator.post(`/api/promises/${id}/withdraw`, { reason: 'Ersätts av ett gemensamt löfte för länet.' });
  expect(withdrawn.status).toBe(200);
  expect(withdrawn.json.status).toBe('WITHDRAWN');
  // Every party of the draft and the coordinator are told.
  await engine.mailbox.waitFor((m) => subjectsStartingWith(m, 'Återkallat:').length === 9);
  await eventually(async () => expect(await engine.database.db.emailOutbox.count({ where: { promiseId: id, status: 'PENDING' } })).toBe(0));
  await expectNothingChanged(async () => {
    const submit = await coordinator.post(`/api/promises/${id}/submit`);
    expect(submit.status).toBe(409);
    expect(submit.json.message).toContain('Återkallat');
    const again = await coordinator.post(`/api/promises/${id}/withdraw`, { reason: 'igen' });
    expect(again.status).toBe(409);
    const noReason = await coordinator.post(`/api/promises/${id}/withdraw`, {});
    expect(noReason.status).toBe(400);
  });
});

test('a promise whose period has already ended cannot be sent for signing', async () => {
  const created = await coordinator.post('/api/promises', { content: lessebo() });
  await expectNothingChanged(async () => {
    const submit = await coordinator.post(`/api/promises/${created.json.id}/submit`);
    expect(submit.status).toBe(409);
    expect(submit.json.message).toBe(
      'Perioden 2020-03-02 – 2020-12-31 har redan tagit slut. Ändra perioden innan löftet skickas för signering.',
    );
  });
  expect(await engine.database.db.signingRound.count({ where: { promiseId: created.json.id } })).toBe(0);
  expect((await coordinator.get(`/api/promises/${created.json.id}`)).json.status).toBe('DRAFT');
});

test("another coordinator's promise is not found", async () => {
  const created = await coordinator.post('/api/promises', { content: lessebo() });
  const { token } = await createCoordinator(engine.database.db, { name: 'Annan', email: 'annan@ljungby.example' });
  const other = client(api.baseUrl, token);
  await expectNothingChanged(async () => {
    expect((await other.get(`/api/promises/${created.json.id}`)).status).toBe(404);
    expect((await other.post(`/api/promises/${created.json.id}/submit`)).status).toBe(404);
  });
});

describe('bounds', () => {
  test('a zero duration is a 400 naming the setting; so is one longer than a year', async () => {
    await expectNothingChanged(async () => {
      const zero = await coordinator.post('/api/promises', {
        content: lessebo(),
        settings: { activities: { followUpReminderInterval: '0s' } },
      });
      expect(zero.status).toBe(400);
      expect(zero.json.details).toEqual([{ field: 'settings.activities.followUpReminderInterval', problem: 'ska vara längre än 0' }]);
      const long = await coordinator.post('/api/promises', { content: lessebo(), settings: { signing: { deadline: '400d' } } });
      expect(long.json.details).toEqual([{ field: 'settings.signing.deadline', problem: 'får vara högst 366 dagar' }]);
      const negative = await coordinator.post('/api/promises', { content: lessebo(), settings: { signing: { reminderInterval: '-1d' } } });
      expect(negative.status).toBe(400);
    });
  });

  test('counts, periods and occurrences have limits no real promise reaches', async () => {
    const flood = lessebo();
    flood.period = { start: '2027-01-01', end: '2036-12-31' };
    flood.priorityAreas[0]!.commitments[0]!.shape = { kind: 'COUNT_PER_PERIOD', count: 366, period: 'MONTH' };
    const many = lessebo();
    many.period = { start: '2027-01-01', end: '2031-12-31' };
    for (const area of many.priorityAreas) {
      for (const commitment of area.commitments) commitment.shape = { kind: 'COUNT_PER_PERIOD', count: 52, period: 'YEAR' };
    }
    await expectNothingChanged(async () => {
      const response = await coordinator.post('/api/promises', { content: flood });
      expect(response.status).toBe(400);
      expect(response.json.details).toEqual(
        expect.arrayContaining([
          { field: 'content.period.end', problem: 'perioden får vara högst 5 år' },
          { field: 'content.priorityAreas.0.commitments.0.shape.count', problem: 'högst 4 per månad' },
        ]),
      );
      const tooMany = await coordinator.post('/api/promises', { content: many });
      expect(tooMany.json.details).toEqual([
        { field: 'content.priorityAreas', problem: expect.stringMatching(/^ger \d+ tillfällen; högst 500 per löfte$/) },
      ]);
    });
  });
});

test('a link that can no longer be used says why and whom to ask: withdrawn with its reason, a voided signature, an expired link', async () => {
  const created = await coordinator.post('/api/promises', { content: { ...inComingYear(lessebo()), title: 'Ett löfte som återkallas' } });
  const id: string = created.json.id;
  const before = engine.mailbox.messages.length;
  await coordinator.post(`/api/promises/${id}/submit`);
  const requests = subjectsStartingWith(
    (
      await engine.mailbox.waitFor((m) => subjectsStartingWith(m.slice(before), 'Signera medborgarlöftet: Ett löfte som').length >= 8)
    ).slice(before),
    'Signera medborgarlöftet: Ett löfte som',
  );
  const paths = requests.map((m) => /\/sign\/[A-Za-z0-9_-]{43}/.exec(m.text)![0]);
  const hash = pageHash((await anonymous.get(paths[0]!)).text);
  expect((await anonymous.form(paths[0]!, { decision: 'SIGN', documentSha256: hash })).status).toBe(200);

  // An expired link (its time ran out) while the round is still open.
  const tokenHash = sha256Hex(paths[1]!.slice('/sign/'.length));
  await engine.database.db.accessToken.update({ where: { tokenHash }, data: { expiresAt: new Date(Date.now() - 1000) } });
  const expired = await anonymous.get(paths[1]!);
  expect(expired.status).toBe(410);
  expect(expired.text).toContain('Länken har gått ut');
  expect(expired.text).toContain('Vem frågar');

  expect((await coordinator.post(`/api/promises/${id}/withdraw`, { reason: 'Fel lokalpolisområde.' })).status).toBe(200);
  await eventually(async () => expect((await anonymous.get(paths[2]!)).status).toBe(410));
  const unsigned = await anonymous.get(paths[2]!);
  expect(unsigned.text).toContain('Löftet är återkallat');
  expect(unsigned.text).toContain('Skäl: Fel lokalpolisområde.');
  expect(unsigned.text).toContain('Sara Samordnare, samordnare');
  const signed = await anonymous.get(paths[0]!);
  expect(signed.status).toBe(410);
  expect(signed.text).toContain('Din signatur gäller inte längre');
  expect(signed.text).toContain('samordnaren har återkallat löftet');
  // The English page says the same.
  expect((await anonymous.get(`${paths[2]!}?sprak=en`)).text).toContain('The promise was withdrawn');
});

test('saving an unchanged text makes no new version, as a draft or while signing', async () => {
  const content = inComingYear(lessebo());
  const created = await coordinator.post('/api/promises', { content });
  const id: string = created.json.id;
  // The same content, its keys in another order: still the same text.
  const reordered = Object.fromEntries(Object.entries(content).reverse());
  await expectNothingChanged(async () => {
    const saved = await coordinator.put(`/api/promises/${id}/content`, { content: reordered });
    expect(saved.status).toBe(200);
    expect(saved.json.currentVersion.number).toBe(1);
  });

  await coordinator.post(`/api/promises/${id}/submit`);
  await eventually(async () => expect((await coordinator.get(`/api/promises/${id}`)).json.signingRound).toMatchObject({ number: 1 }));
  await expectNothingChanged(async () => {
    const saved = await coordinator.put(`/api/promises/${id}/content`, { content });
    expect(saved.status).toBe(200);
    expect(saved.json.currentVersion.number).toBe(1);
  });
  expect((await coordinator.get(`/api/promises/${id}`)).json.signingRound).toMatchObject({ number: 1, status: 'OPEN' });
});

test('a submit retried with its Idempotency-Key gets the first answer; without the key, or with another, it is a 409', async () => {
  const id: string = (await coordinator.post('/api/promises', { content: inComingYear(lessebo()) })).json.id;
  const submit = (key?: string) =>
    fetch(`${api.baseUrl}/api/promises/${id}/submit`, {
      method: 'POST',
      headers: { authorization: `Bearer ${testbed.token}`, ...(key ? { 'idempotency-key': key } : {}) },
    }).then(async (response) => ({ status: response.status, json: await response.json() }));
  const key = crypto.randomUUID();
  const first = await submit(key);
  expect(first).toMatchObject({ status: 200, json: { status: 'SIGNING', roundNumber: 1 } });
  await requestsOut(id);
  await expectNothingChanged(async () => {
    expect(await submit(key)).toEqual(first);
    expect((await submit()).status).toBe(409);
    expect((await submit(crypto.randomUUID())).status).toBe(409);
  });
});
