import { addDays, stockholmDateOf, stockholmTimeOf } from '../domain/calendar';
import { openRoundOf } from '../store/signing';
import { deadlineOnDate } from '../domain/signing-timeline';
import { formatDate } from '../activities/email-templates';
import { createCoordinator } from '../store/coordinators';
import { appClient, csrfOf, signIn, startAppTestbed, type AppClient } from './support/app-client';
import { eventually, outboxSettled } from './support/eventually';
import { pageHash, type ApiTestbed } from './support/http';
import { fixture, inComingYear, lessebo, mailTo, signingToken, startingOn, today } from './support/promises';
import { signEveryRequest } from './support/signing';

// What a coordinator does to a promise from its page: each action answers with the page that shows
// its result, or with the reason beside the form that caused it; and no page of a promise answers
// anyone but its organisations' coordinators.

const SARA = 'sara.actions@lessebo.example';
let testbed: ApiTestbed;
let sara: AppClient;

beforeAll(async () => {
  ({ testbed, browser: sara } = await startAppTestbed(SARA));
});
afterAll(async () => {
  await testbed?.stop();
});

/** Posts a form of the page at `page` to `action`, with the page's CSRF token. */
async function postFrom(page: string, action: string, fields: [string, string][] = []) {
  const shown = await sara.get(page);
  expect(shown.status).toBe(200);
  return sara.post(action, [['_csrf', csrfOf(shown.text)], ...fields]);
}

const draft = async (content = inComingYear(lessebo())) => (await testbed.coordinator.post('/api/promises', { content })).json.id as string;
const statusOf = async (id: string) => (await testbed.coordinator.get(`/api/promises/${id}`)).json.status as string;

/** A promise whose year began yesterday, signed and planned. */
async function activePromise() {
  const id = await draft(startingOn(lessebo(), today()));
  expect((await testbed.coordinator.post(`/api/promises/${id}/submit`, {})).status).toBe(200);
  await signEveryRequest(testbed.engine, id);
  return id;
}

test('a draft is sent for signing from its page, which then says so; sending it again is refused beside the button', async () => {
  const id = await draft();
  const page = `/app/loften/${id}`;
  expect((await sara.get(page)).text).toContain('Skicka för signering');
  const sent = await postFrom(page, `${page}/skicka`);
  expect(sent).toMatchObject({ status: 303, location: `${page}?klart=skickat` });
  expect((await sara.get(sent.location!)).text).toContain('Löftet är skickat för signering');
  expect(await statusOf(id)).toBe('SIGNING');
  // The page of a promise being signed has no send button: an old tab posts the form anyway.
  const again = await sara.post(`${page}/skicka`, [['_csrf', csrfOf((await sara.get(page)).text)]]);
  expect(again.status).toBe(409);
  expect(again.text).toMatch(/<p class="error" role="alert">[^<]*(signer|Signer)[^<]*<\/p>/);
});

test('an address is corrected from the page: a bad one is refused beside its field, a good one gets the request again', async () => {
  const id = await draft();
  await testbed.coordinator.post(`/api/promises/${id}/submit`, {});
  const page = `/app/loften/${id}`;
  const previous = (await testbed.coordinator.get(page.replace('/app/loften', '/api/promises'))).json.content.signatories[0].email;
  const bad = await postFrom(page, `${page}/adress`, [
    ['previous', previous],
    ['email', 'inte en adress'],
  ]);
  expect(bad.status).toBe(400);
  expect(bad.text).toContain('<span class="field-problem" id="email-problem">ska vara en giltig e-postadress</span>');
  const corrected = await postFrom(page, `${page}/adress`, [
    ['previous', previous],
    ['email', 'ratt.adress@lessebo.example'],
  ]);
  expect(corrected).toMatchObject({ status: 303, location: `${page}?klart=adress-skickas` });
  await eventually(() => expect(mailTo(testbed.engine.mailbox.messages, 'ratt.adress@lessebo.example')).toHaveLength(1));
});

test('the last day to sign is moved from the page and over the API: too early or past the period is refused by field; a later day is mailed to all', async () => {
  const id = await draft();
  await testbed.coordinator.post(`/api/promises/${id}/submit`, {});
  const page = `/app/loften/${id}`;
  const { period } = (await testbed.coordinator.get(`/api/promises/${id}`)).json.content;
  const current = stockholmDateOf((await openRoundOf(testbed.engine.database.db, id))!.deadline);
  expect((await sara.get(page)).text).toContain(`Sista dagen är nu ${current}.`);

  const earlier = await postFrom(page, `${page}/sista-dag`, [['deadline', current]]);
  expect(earlier.status).toBe(400);
  expect(earlier.text).toContain(
    `<span class="field-problem" id="deadline-problem">ska vara senare än nuvarande sista dag (${current})</span>`,
  );
  const pastPeriod = await testbed.coordinator.post(`/api/promises/${id}/signing-deadline`, { deadline: addDays(period.end, 1) });
  expect(pastPeriod).toMatchObject({
    status: 400,
    json: {
      error: 'VALIDATION',
      details: [{ field: 'deadline', problem: `får inte ligga efter löftets period (den slutar ${period.end})` }],
    },
  });
  const notADate = await testbed.coordinator.post(`/api/promises/${id}/signing-deadline`, { deadline: '31/12' });
  expect(notADate).toMatchObject({ status: 400, json: { details: [{ field: 'deadline' }] } });

  const later = addDays(current, 7);
  const moved = await postFrom(page, `${page}/sista-dag`, [['deadline', later]]);
  expect(moved).toMatchObject({ status: 303, location: `${page}?klart=sista-dag` });
  const after = (await sara.get(moved.location!)).text;
  expect(after).toContain('Sista dagen är flyttad.');
  expect(after).toContain(`Sista dagen är nu ${later}.`);
  const signatories: { email: string }[] = (await testbed.coordinator.get(`/api/promises/${id}`)).json.content.signatories;
  const mails = await eventually(async () => {
    const found = testbed.engine.mailbox.messages.filter(
      (m) => m.subject.startsWith('Ny sista dag') && m.subject.endsWith(formatDate(new Date(deadlineOnDate(later)))),
    );
    expect(found.flatMap((m) => m.to).sort()).toEqual(signatories.map((s) => s.email).sort());
    return found;
  });
  // The link in it opens the signing page with the new day.
  const signingPage = await testbed.anonymous.get(`/sign/${signingToken(mails[0]!)}`);
  expect(signingPage.text).toContain(`Svara senast ${later}.`);

  const again = await testbed.coordinator.post(`/api/promises/${id}/signing-deadline`, { deadline: addDays(later, 1) });
  expect(again).toMatchObject({ status: 200, json: { deadline: addDays(later, 1) } });
  expect((await testbed.coordinator.post(`/api/promises/${await draft()}/signing-deadline`, { deadline: later })).status).toBe(409);
});

test('a withdrawal needs a reason, said beside its field; with one the promise is withdrawn and its page says so', async () => {
  const id = await draft();
  const page = `/app/loften/${id}`;
  const without = await postFrom(page, `${page}/aterkalla`, [['reason', '  ']]);
  expect(without.status).toBe(400);
  expect(without.text).toContain('id="reason-problem"');
  expect(await statusOf(id)).toBe('DRAFT');
  const withdrawn = await postFrom(page, `${page}/aterkalla`, [['reason', 'Kommunen och polisen skriver ett nytt löfte.']]);
  expect(withdrawn).toMatchObject({ status: 303, location: `${page}?klart=aterkallat` });
  expect(await statusOf(id)).toBe('WITHDRAWN');
  expect((await sara.get(withdrawn.location!)).text).toContain('Löftet är återkallat');
});

test('an activity is reported for its contact from its page: a date in the future is refused beside the field, then the report shows', async () => {
  const id = await activePromise();
  const [occurrence] = (await testbed.coordinator.get(`/api/promises/${id}/occurrences`)).json;
  const page = `/app/loften/${id}/aktiviteter/${occurrence.id}`;
  expect((await sara.get(`/app/loften/${id}`)).text).toContain(`href="${page}"`);
  const future = await postFrom(page, page, [
    ['kind', 'DONE'],
    ['performedOn', '2999-01-01'],
    ['description', 'Dialogmöte med butikerna.'],
  ]);
  expect(future.status).toBe(400);
  expect(future.text).toContain('id="performedOn-problem"');
  const done = await postFrom(page, page, [
    ['kind', 'DONE'],
    ['performedOn', today()],
    ['description', 'Dialogmöte med butikerna.'],
  ]);
  expect(done).toMatchObject({ status: 303, location: `${page}?klart=rapporterat` });
  // The page it leads to says what happened; an unknown code says nothing.
  expect((await sara.get(done.location!)).text).toContain('<p class="notice" role="status">Rapporten är registrerad.</p>');
  expect((await sara.get(`${page}?klart=${encodeURIComponent('<b>hackat</b>')}`)).text).not.toContain('role="status"');
  const shown = await sara.get(page);
  expect(shown.text).toContain('<strong>Genomförd</strong>');
  expect(shown.text).toContain('av Sara Samordnare');
  const after = (await testbed.coordinator.get(`/api/promises/${id}/occurrences`)).json.find((o: { id: string }) => o.id === occurrence.id);
  expect(after).toMatchObject({ id: occurrence.id, status: 'DONE', reports: [{ kind: 'DONE', performedOn: today() }] });

  // A correction names the report it corrects, chosen on the same page.
  const corrected = await postFrom(page, page, [
    ['kind', 'DONE'],
    ['performedOn', today()],
    ['description', 'Dialogmöte med butikerna och fastighetsägarna.'],
    ['correctsReportId', after.reports[0].id],
  ]);
  expect(corrected.status).toBe(303);
  expect((await sara.get(page)).text).toContain('<strong>Genomförd</strong> (rättelse)');
});

test('a date that was to be set is set from the activity’s page, and then the activity has it', async () => {
  const id = await draft(startingOn(fixture('ljungby-2021'), today()));
  await testbed.coordinator.post(`/api/promises/${id}/submit`, {});
  await signEveryRequest(testbed.engine, id);
  const occurrences = (await testbed.coordinator.get(`/api/promises/${id}/occurrences`)).json as { id: string; dueDate: string | null }[];
  const undated = occurrences.find((o) => o.dueDate === null)!;
  const page = `/app/loften/${id}/aktiviteter/${undated.id}`;
  const shown = await sara.get(page);
  expect(shown.text).toContain('<option value="DATE_SET" selected>Datum bestämt</option>');
  const date = addDays(today(), 30);
  const set = await postFrom(page, page, [
    ['kind', 'DATE_SET'],
    ['newDueDate', date],
  ]);
  expect(set.status).toBe(303);
  const after = (await testbed.coordinator.get(`/api/promises/${id}/occurrences`)).json.find((o: { id: string }) => o.id === undated.id);
  expect(after).toMatchObject({ dueDate: date, reports: [{ kind: 'DATE_SET', newDueDate: date }] });
  expect((await sara.get(page)).text).toContain(`<dd>${date}</dd>`);
});

test('a renewal is launched from the page and leads to its draft, which says what was carried over from where', async () => {
  const id = await activePromise();
  const page = `/app/loften/${id}`;
  const renewed = await postFrom(page, `${page}/fornya`);
  const renewalId = /^\/app\/loften\/([0-9a-f-]{36})\?klart=fornyat$/.exec(renewed.location ?? '')?.[1];
  expect(renewalId).toBeDefined();
  const shown = await sara.get(renewed.location!);
  expect(shown.text).toContain('Förnyelsen är skapad som utkast');
  expect(shown.text).toContain(`<a href="/app/loften/${id}">`);
  expect(shown.text).toContain('Överfört från förra perioden');
  expect((await testbed.coordinator.get(`/api/promises/${renewalId}`)).json).toMatchObject({ status: 'DRAFT', predecessorId: id });
  // The chain both ways: the promise names its renewal.
  expect((await sara.get(page)).text).toMatch(new RegExp(`<dt>Förnyat som</dt><dd><a href="/app/loften/${renewalId}">`));
});

test('every page and form of a promise sends the signed-out to sign in, answers another organisation as if it did not exist, and refuses a form without its token', async () => {
  const id = await activePromise();
  const [occurrence] = (await testbed.coordinator.get(`/api/promises/${id}/occurrences`)).json;
  const document = (await testbed.anonymous.get('/openapi.json')).json as { paths: Record<string, Record<string, unknown>> };
  const routes = Object.entries(document.paths)
    .filter(([path]) => path.startsWith('/app/loften/{id}'))
    .flatMap(([path, methods]) => Object.keys(methods).map((method) => [method.toUpperCase(), path] as const));
  expect(routes.length).toBeGreaterThanOrEqual(10);
  const stranger = appClient(testbed.api.baseUrl);
  await createCoordinator(testbed.engine.database.db, { name: 'Olle Åstorp', email: 'olle.actions@astorp.example' });
  await signIn(testbed, stranger, 'olle.actions@astorp.example');
  const signedOut = appClient(testbed.api.baseUrl);
  const strangersToken = csrfOf((await stranger.get('/app')).text);
  await outboxSettled(testbed.engine.database.db);
  const before = await testbed.engine.database.db.auditEvent.count({ where: { promiseId: id } });
  const leaks: string[] = [];
  for (const [method, path] of routes) {
    const url = path.replace('{id}', id).replace('{occurrenceId}', occurrence.id).replace('{index}', '1');
    const out = method === 'GET' ? await signedOut.get(url) : await signedOut.post(url, []);
    if (method === 'GET' ? out.status !== 303 || out.location !== '/logga-in?utloggad=1' : out.status !== 403)
      leaks.push(`${method} ${url} utloggad: ${out.status}`);
    const other =
      method === 'GET'
        ? await stranger.get(url)
        : await stranger.post(url, [
            ['_csrf', strangersToken],
            ['reason', 'x'],
          ]);
    if (other.status !== 404 || other.text.includes('Trygg i butik')) leaks.push(`${method} ${url} annan organisation: ${other.status}`);
    if (method === 'POST') {
      const forged = await sara.post(url, [['reason', 'x']]);
      if (forged.status !== 403) leaks.push(`${method} ${url} utan CSRF: ${forged.status}`);
    }
  }
  expect(leaks).toEqual([]);
  expect(await testbed.engine.database.db.auditEvent.count({ where: { promiseId: id } })).toBe(before);
  expect(await statusOf(id)).toBe('ACTIVE');
});

test('a signing request is sent again from the page with a new link, the old one still working; the same form twice sends once', async () => {
  // Addresses of its own: the other tests' promises write to Lessebo's signatories too.
  const content = inComingYear(lessebo());
  const id = await draft({
    ...content,
    signatories: content.signatories.map((s, i) => ({ ...s, email: `skicka-igen-${i}@lessebo.example` })),
  });
  await testbed.coordinator.post(`/api/promises/${id}/submit`, {});
  const page = `/app/loften/${id}`;
  const [first, second] = (await testbed.coordinator.get(`/api/promises/${id}`)).json.signingRound.signatories as {
    requestId: string;
    name: string;
  }[];
  const emailOf = async (name: string) =>
    ((await testbed.coordinator.get(`/api/promises/${id}`)).json.content.signatories as { name: string; email: string }[]).find(
      (s) => s.name === name,
    )!.email;
  const address = await emailOf(first!.name);
  const requests = () => mailTo(testbed.engine.mailbox.messages, address).filter((m) => m.subject.includes('medborgarlöftet'));
  await eventually(() => expect(requests()).toHaveLength(1));

  const shown = await sara.get(page);
  expect(shown.text).toContain(`Skicka igen till ${first!.name}`);
  const sentAt = (await testbed.coordinator.get(`/api/promises/${id}`)).json.signingRound.signatories[0].sentAt as string;
  expect(shown.text).toContain(`<td>${stockholmTimeOf(Date.parse(sentAt))}</td>`);
  const form: [string, string][] = [
    ['_csrf', csrfOf(shown.text)],
    ['requestId', first!.requestId],
    ['submissionId', /name="submissionId" value="([^"]+)"/.exec(shown.text)![1]!],
  ];
  expect(await sara.post(`${page}/skicka-igen`, form)).toMatchObject({ status: 303, location: `${page}?klart=skickat-igen` });
  expect((await sara.post(`${page}/skicka-igen`, form)).status).toBe(303);
  await eventually(() => expect(requests()).toHaveLength(2));
  const [original, resent] = requests().map(signingToken);
  expect(resent).not.toBe(original);
  expect((await testbed.anonymous.get(`/sign/${original}`)).status).toBe(200);

  // Through the API, with an Idempotency-Key: two calls, one e-mail.
  const other = await emailOf(second!.name);
  const resend = () =>
    fetch(`${testbed.api.baseUrl}/api/promises/${id}/signing-requests/${second!.requestId}/resend`, {
      method: 'POST',
      headers: { authorization: `Bearer ${testbed.token}`, 'idempotency-key': 'hittar-inte-mejlet-1' },
    });
  expect((await resend()).status).toBe(202);
  expect((await resend()).status).toBe(202);
  await eventually(() => expect(mailTo(testbed.engine.mailbox.messages, other)).toHaveLength(2));

  // Once answered, a request is not sent again.
  const signingPage = (await testbed.anonymous.get(`/sign/${original}`)).text;
  await testbed.anonymous.form(`/sign/${original}`, { decision: 'SIGN', documentSha256: pageHash(signingPage) });
  await eventually(async () =>
    expect(((await testbed.coordinator.get(`/api/promises/${id}`)).json.signingRound.signatories[0] as { status: string }).status).toBe(
      'SIGNED',
    ),
  );
  const answered = await postFrom(page, `${page}/skicka-igen`, [['requestId', first!.requestId]]);
  expect(answered.status).toBe(409);
  expect(answered.text).toContain('Begäran väntar inte på svar');
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect(requests()).toHaveLength(2);
  expect(mailTo(testbed.engine.mailbox.messages, other)).toHaveLength(2);
});
