import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { decide, launchRenewal, publishFollowUp, reportActivity, reviseDuringSigning, withdraw } from '../api/commands';
import type { Actor } from '../domain/actor';
import type { AuditAction } from '../domain/audit-actions';
import type { ActivityReport } from '../domain/requests';
import { WEBHOOK_EVENT_TYPES, webhookEventOf, webhookPayloadSchema, type WebhookEvent } from '../domain/webhooks';
import { makeLocalBankIdCertificates } from '../platform/embedded/bankid-certificates';
import { joinOrganisation } from '../store/organisations';
import { csrfOf, startAppTestbed, type AppClient } from './support/app-client';
import { eventually } from './support/eventually';
import type { ApiTestbed } from './support/http';
import { fixture, inComingYear } from './support/promises';
import { signEveryRequest } from './support/signing';

// Webhooks end to end (issue 25), on the time-skipping server so a year and a day can pass: a
// coordinator adds a receiver in the web app (the secret shown once; an address that is not https
// or not public refused), and Ljungby's promise lives its whole life (submitted, signed, activated,
// reported, corrected, overdue, followed up, renewed, the renewal withdrawn) beside another that is
// revised while being signed and declined. A real HTTPS receiver verifies every delivery with the standardwebhooks library; it is
// down for most of a simulated day and gets everything afterwards, in order, under the same ids; the
// secret is changed midway and both secrets verify during the grace period.

const COORDINATOR = 'samordnare@ljungby.example';
const certificates = makeLocalBankIdCertificates();

/** The receiver: verifies with the secret it holds; while down, answers 503 (and notes the id it was offered). */
const receiver = {
  secret: '',
  down: false,
  offeredWhileDown: [] as string[],
  /** Answers to give before any other (a 410, say). */
  answers: [] as number[],
  received: [] as { id: string; type: WebhookEvent; body: string; headers: Record<string, string> }[],
};
let server: Server;
let url: string;
let testbed: ApiTestbed;
let browser: AppClient;
let actor: Actor;

beforeAll(async () => {
  server = createServer({ key: certificates.server.key, cert: certificates.server.cert }, (req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const headers = req.headers as Record<string, string>;
      if (receiver.down) {
        receiver.offeredWhileDown.push(headers['webhook-id']!);
        res.writeHead(503).end();
        return;
      }
      const answer = receiver.answers.shift();
      if (answer) {
        res.writeHead(answer).end('Borta');
        return;
      }
      try {
        const payload = new Webhook(receiver.secret).verify(body, headers) as { type: WebhookEvent };
        receiver.received.push({ id: headers['webhook-id']!, type: payload.type, body, headers });
        res.writeHead(204).end();
      } catch {
        res.writeHead(401).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://localhost:${(server.address() as AddressInfo).port}/medborgarloften`;
  ({ testbed, browser } = await startAppTestbed(COORDINATOR, 'time-skipping', {
    webhookOutbound: { ca: certificates.ca, allowedNetworks: ['127.0.0.1/32'] },
  }));
  const { db } = testbed.engine.database;
  const coordinator = await db.coordinator.findUniqueOrThrow({ where: { email: COORDINATOR } });
  actor = { kind: 'COORDINATOR', id: coordinator.id };
  await joinOrganisation(db, coordinator.id, { kind: 'MUNICIPALITY', name: 'Ljungby' });
});
afterAll(async () => {
  await testbed?.stop();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

const secretIn = (page: string) => /(whsec_[A-Za-z0-9+/=]+)/.exec(page)?.[1];

async function sleepUntil(iso: string) {
  const wait = Date.parse(iso) - (await testbed.engine.env.currentTimeMs());
  if (wait > 0) await testbed.engine.env.sleep(wait);
}

test('a receiver is added in the web app: an address that is not https or not public is refused; the secret is shown once', async () => {
  const page = await browser.get('/app/webhooks');
  expect(page.status).toBe(200);
  expect(page.text).toContain('Mottagare för Ljungby');
  const csrf = csrfOf(page.text);
  const { id: organisationId } = await testbed.engine.database.db.organisation.findFirstOrThrow({ where: { name: 'Ljungby' } });
  const add = (fields: [string, string][]) =>
    browser.post('/app/webhooks', [['organisationId', organisationId], ['description', 'Diariet'], ['_csrf', csrf], ...fields]);

  const plain = await add([
    ['url', 'http://diariet.ljungby.example/in'],
    ['events', 'promise.activated'],
  ]);
  expect(plain.status).toBe(400);
  expect(plain.text).toContain('<span class="field-problem" id="url-problem">ska vara en adress som börjar med https://</span>');
  for (const inside of ['https://10.1.2.3/in', 'https://169.254.169.254/latest/meta-data/', 'https://[::1]/in']) {
    const refused = await add([
      ['url', inside],
      ['events', 'promise.activated'],
    ]);
    expect({ inside, status: refused.status }).toEqual({ inside, status: 400 });
    expect(refused.text).toMatch(/id="url-problem">[^<]*som inte är en publik adress/);
  }
  const noEvents = await add([['url', url]]);
  expect(noEvents.status).toBe(400);
  expect(noEvents.text).toContain('välj minst en händelse');
  expect(await testbed.engine.database.db.webhookEndpoint.count()).toBe(0);

  const added = await add([['url', url], ...WEBHOOK_EVENT_TYPES.map((type): [string, string] => ['events', type])]);
  expect(added.status).toBe(200);
  expect(added.text).toContain('Mottagaren &quot;Diariet&quot; är tillagd.');
  receiver.secret = secretIn(added.text)!;
  expect(receiver.secret).toMatch(/^whsec_/);
  const endpoint = await testbed.engine.database.db.webhookEndpoint.findFirstOrThrow();
  expect(endpoint.secretSealed).not.toContain(receiver.secret.slice(6));
  // Never again: not on its page, not in the list.
  expect(secretIn((await browser.get(`/app/webhooks/${endpoint.id}`)).text)).toBeUndefined();
  expect(secretIn((await browser.get('/app/webhooks')).text)).toBeUndefined();
  // Another coordinator's organisation's receiver is not there for them.
  expect((await browser.get(`/app/webhooks/${randomUUID()}`)).status).toBe(404);
});

test("the OpenAPI document's webhooks section describes each event's body and the Standard Webhooks headers", async () => {
  const document = (await testbed.anonymous.get('/openapi.json')).json as {
    webhooks: Record<
      string,
      {
        post: {
          operationId: string;
          parameters: { name: string }[];
          requestBody: {
            content: Record<string, { schema: { properties: Record<string, { const?: string; properties?: Record<string, unknown> }> } }>;
          };
        };
      }
    >;
  };
  expect(Object.keys(document.webhooks).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
  for (const type of WEBHOOK_EVENT_TYPES) {
    const { post } = document.webhooks[type]!;
    expect(post.operationId).toMatch(/^webhook[A-Z][A-Za-z]+$/);
    expect(post.parameters.map((p) => p.name)).toEqual(['webhook-id', 'webhook-timestamp', 'webhook-signature']);
    const { properties } = post.requestBody.content['application/json']!.schema;
    expect(properties.type!.const).toBe(type);
    expect(Object.keys(properties.data!.properties!)).toEqual(expect.arrayContaining(['promiseId', 'links']));
  }
});

test("a promise's whole life reaches the receiver, verified, in order, each event once, through a day down and a change of secret", async () => {
  const { engine } = testbed;
  const { db } = engine.database;
  const content = inComingYear(fixture('ljungby-2021'), await engine.env.currentTimeMs());
  const Y = content.period.start.slice(0, 4);
  const promiseId: string = (await testbed.coordinator.post('/api/promises', { content })).json.id;
  const submit = async (id: string) => expect((await testbed.coordinator.post(`/api/promises/${id}/submit`, {})).status).toBe(200);
  const occurrence = (key: string, sequence = 1) =>
    db.activityOccurrence.findFirstOrThrow({ where: { promiseId, sequence, commitment: { key } } });
  const report = async (key: string, body: ActivityReport, correctsReportId?: string) => {
    const reportId = randomUUID();
    const { id } = await occurrence(key);
    await reportActivity(engine, promiseId, {
      reportId,
      occurrenceId: id,
      report: body,
      actor,
      ...(correctsReportId ? { correctsReportId } : {}),
    });
    return reportId;
  };

  // Submitted and signed by all.
  await submit(promiseId);
  await signEveryRequest(engine, promiseId);

  // The year: a date set, a cancellation, activities left unreported until they are overdue.
  await report('dialog-a-traktorer', { kind: 'DATE_SET', newDueDate: `${Y}-05-31` });
  await sleepUntil(`${Y}-05-20T12:00:00Z`);
  const cancelled = await report('grannsamverkan', { kind: 'CANCELLED', reason: 'Inställt på grund av pandemin.' });

  // The receiver is down for twenty hours; a correction is made meanwhile.
  await sleepUntil(`${Y}-07-06T20:00:00Z`);
  const { id: endpointId } = await db.webhookEndpoint.findFirstOrThrow();
  await eventually(async () => expect(await db.webhookDelivery.count({ where: { promiseId, status: 'PENDING' } })).toBe(0));
  const beforeDown = receiver.received.length;
  receiver.down = true;
  await report('grannsamverkan', { kind: 'CANCELLED', reason: 'Inställt: pandemin.' }, cancelled);
  await eventually(() => expect(receiver.offeredWhileDown.length).toBeGreaterThan(0));
  await sleepUntil(`${Y}-07-07T16:00:00Z`);
  const writtenWhileDown = await db.webhookDelivery.findMany({ where: { promiseId, status: 'PENDING' }, orderBy: { sequence: 'asc' } });
  expect(writtenWhileDown.length).toBeGreaterThan(0);
  expect(writtenWhileDown[0]!.attempts).toBeGreaterThan(10);
  receiver.down = false;
  await sleepUntil(`${Y}-07-07T18:00:00Z`);
  await eventually(async () => expect(await db.webhookDelivery.count({ where: { promiseId, status: { not: 'DELIVERED' } } })).toBe(0));
  const afterDown = receiver.received.slice(beforeDown).map((r) => r.id);
  expect(afterDown.slice(0, writtenWhileDown.length)).toEqual(writtenWhileDown.map((d) => d.id));
  // Every attempt while down offered only those ids, the first of them until it got through.
  expect(new Set(receiver.offeredWhileDown)).toEqual(new Set([writtenWhileDown[0]!.id]));

  // The secret is changed in the web app; the receiver takes the new one, and the old one still verifies for a day.
  const endpointPage = await browser.get(`/app/webhooks/${endpointId}`);
  const rotated = await browser.post(`/app/webhooks/${endpointId}/ny-hemlighet`, { _csrf: csrfOf(endpointPage.text) });
  expect(rotated.status).toBe(200);
  const previous = receiver.secret;
  receiver.secret = secretIn(rotated.text)!;
  expect(receiver.secret).not.toBe(previous);
  const beforeRotation = receiver.received.length;
  await report('dialogmoten', { kind: 'DONE', performedOn: `${Y}-07-07`, description: 'Dialogmöte om trygghet i Lagan.' });
  const afterRotation = await eventually(() => {
    expect(receiver.received.length).toBeGreaterThan(beforeRotation);
    return receiver.received[beforeRotation]!;
  });
  expect(afterRotation.type).toBe('report.added');
  expect(afterRotation.headers['webhook-signature']!.split(' ')).toHaveLength(2);
  expect(() => new Webhook(previous).verify(afterRotation.body, afterRotation.headers)).not.toThrow();

  // New Year: the renewal is drafted and then withdrawn; the final follow-up is published.
  await sleepUntil(`${Number(Y) + 1}-01-08T12:00:00Z`);
  await eventually(async () => expect((await db.promiseRecord.findUniqueOrThrow({ where: { id: promiseId } })).status).toBe('FOLLOW_UP'));
  const renewal = await launchRenewal(engine, promiseId, actor);
  await publishFollowUp(engine, promiseId, { index: 1, narrative: 'Det mesta genomfördes.', actor });
  await withdraw(engine, renewal.renewalId, actor, 'Kommunen och polisen skriver ett nytt löfte i stället.');

  // Another promise is revised while being signed, then declined by a party. (Last: the time-skipping
  // server moves time slowly after a revision, and no more time needs to pass.)
  const next = inComingYear(fixture('ljungby-2021'), await engine.env.currentTimeMs());
  const other: string = (await testbed.coordinator.post('/api/promises', { content: { ...next, title: 'Ljungbys andra löfte' } })).json.id;
  await submit(other);
  await reviseDuringSigning(engine, other, actor, { ...next, title: 'Ljungbys andra löfte (reviderat)' });
  const request = await eventually(async () => {
    const found = await db.signingRequest.findFirst({
      where: { status: 'PENDING', round: { promiseId: other, status: 'OPEN', number: 2 } },
      include: { round: { include: { version: true } } },
    });
    expect(found).not.toBeNull();
    return found!;
  });
  await decide(engine, request.round.workflowId, {
    signingRequestId: request.id,
    decision: 'DECLINE',
    reason: 'Texten behöver ses över.',
    documentSha256: request.round.version.sha256,
    actor: { kind: 'SIGNATORY', id: request.signatoryId },
  });

  // Everything arrived, once each, in the order the audit trail recorded it, in the documented shape.
  const promiseIds = [promiseId, renewal.renewalId, other];
  const expected = await eventually(async () => {
    const events = await db.auditEvent.findMany({ where: { promiseId: { in: promiseIds } }, orderBy: { id: 'asc' } });
    const types = events.map((e) => ({ promiseId: e.promiseId, type: webhookEventOf(e.action as AuditAction) })).filter((e) => e.type);
    const got = receiver.received.map((r) => ({
      promiseId: (JSON.parse(r.body) as { data: { promiseId: string } }).data.promiseId,
      type: r.type,
    }));
    expect(got).toEqual(types);
    return types;
  }, 60_000);
  expect(new Set(expected.map((e) => e.type))).toEqual(new Set(WEBHOOK_EVENT_TYPES));
  expect(new Set(receiver.received.map((r) => r.id)).size).toBe(receiver.received.length);
  const signatories = await db.signatory.findMany({
    where: { version: { promiseId: { in: promiseIds } } },
    select: { name: true, email: true },
  });
  for (const { type, body } of receiver.received) {
    expect(() => webhookPayloadSchema(type).strict().parse(JSON.parse(body))).not.toThrow();
    for (const { name, email } of signatories)
      expect({ type, name: body.includes(name), email: body.includes(email) }).toEqual({ type, name: false, email: false });
    expect(body).not.toContain('Texten behöver ses över');
  }
});

test("a delivery that failed shows on its receiver's page and as needing attention, and is sent again with the same id; a switched-off receiver gets nothing", async () => {
  const { engine } = testbed;
  const { db } = engine.database;
  const { id: endpointId } = await db.webhookEndpoint.findFirstOrThrow();
  const content = inComingYear(fixture('ljungby-2021'), await engine.env.currentTimeMs());
  const promiseId: string = (await testbed.coordinator.post('/api/promises', { content: { ...content, title: 'Ljungbys tredje löfte' } }))
    .json.id;
  receiver.answers.push(410);
  expect((await testbed.coordinator.post(`/api/promises/${promiseId}/submit`, {})).status).toBe(200);
  const failed = await eventually(async () => {
    const found = await db.webhookDelivery.findFirst({ where: { promiseId, status: 'FAILED' } });
    expect(found).toMatchObject({ eventType: 'promise.submitted', lastStatusCode: 410, attempts: 1 });
    return found!;
  });

  const dashboard = await browser.get('/app');
  expect(dashboard.text).toContain('Behöver åtgärdas: en händelse nådde inte webhook-mottagaren &quot;Diariet&quot;.');
  expect(dashboard.text).toContain(`href="/app/webhooks/${endpointId}"`);
  expect((await testbed.coordinator.get(`/api/promises/${promiseId}`)).json.attention).toEqual([
    expect.objectContaining({ kind: 'WEBHOOK_FAILED', endpointId, receiver: 'Diariet', failed: 1 }),
  ]);
  const page = await browser.get(`/app/webhooks/${endpointId}`);
  expect(page.status).toBe(200);
  const row = page.text.slice(page.text.indexOf(failed.id));
  expect(row).toMatch(/^[^]*?Ljungbys tredje löfte[^]*?Misslyckades \(1 försök\)[^]*?410 \(svarade 410: Borta\)/);

  // Sent again: the same id reaches the receiver, and nothing needs attention any more.
  const resent = await browser.post(`/app/webhooks/${endpointId}/leveranser/${failed.id}/skicka-igen`, { _csrf: csrfOf(page.text) });
  expect(resent.status).toBe(200);
  expect(resent.text).toContain('Leveransen skickas igen');
  await eventually(() => expect(receiver.received.map((r) => r.id)).toContain(failed.id));
  await eventually(async () => expect((await testbed.coordinator.get(`/api/promises/${promiseId}`)).json.attention).toEqual([]));
  const again = await browser.post(`/app/webhooks/${endpointId}/leveranser/${failed.id}/skicka-igen`, { _csrf: csrfOf(page.text) });
  expect(again.status).toBe(200);
  expect(
    (await browser.post(`/app/webhooks/${endpointId}/leveranser/msg_${randomUUID()}/skicka-igen`, { _csrf: csrfOf(page.text) })).status,
  ).toBe(404);

  // Switched off: nothing is written for it; on again, and audited both ways.
  const off = await browser.post(`/app/webhooks/${endpointId}/stang-av`, { _csrf: csrfOf(page.text) });
  expect(off.status).toBe(200);
  expect(off.text).toContain('Mottagaren är avstängd.');
  const before = await db.webhookDelivery.count({ where: { promiseId } });
  await withdraw(engine, promiseId, actor, 'Skrivs om.');
  await eventually(async () => expect((await db.promiseRecord.findUniqueOrThrow({ where: { id: promiseId } })).status).toBe('WITHDRAWN'));
  expect(await db.webhookDelivery.count({ where: { promiseId } })).toBe(before);
  const on = await browser.post(`/app/webhooks/${endpointId}/sla-pa`, { _csrf: csrfOf(page.text) });
  expect(on.text).toContain('Mottagaren är på igen.');
  const audited = await db.auditEvent.findMany({ where: { action: { startsWith: 'WEBHOOK_' } }, orderBy: { id: 'asc' } });
  expect(audited.map((e) => e.action)).toEqual([
    'WEBHOOK_ENDPOINT_ADDED',
    'WEBHOOK_SECRET_ROTATED',
    'WEBHOOK_ENDPOINT_DISABLED',
    'WEBHOOK_ENDPOINT_ENABLED',
  ]);
});
