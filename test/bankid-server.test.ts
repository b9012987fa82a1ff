import { request } from 'node:https';
import { bankIdQrData } from '../domain/crypto';
import { normalisedPersonalNumber } from '../domain/bankid';
import { BankIdCallError, createBankIdClient, type BankIdClient } from '../platform/bankid-client';
import { makeLocalBankIdCertificates } from '../platform/embedded/bankid-certificates';
import { startLocalBankId, TEST_PERSONS, type LocalBankId } from '../platform/embedded/bankid-server';

// The local BankID server (issue 24) against BankID's published Auth & Sign API v6.0: requests and
// answers as the specification's examples write them (sent as raw HTTPS, not through the product's
// client), the documented errors, hint codes and order times, mutual TLS; then the product's client
// against it, faults included.

let clock = Date.parse('2026-12-03T09:00:00Z');
let bankid: LocalBankId;
let client: BankIdClient;
const [anna, olof] = TEST_PERSONS as [(typeof TEST_PERSONS)[0], (typeof TEST_PERSONS)[0]];

beforeAll(async () => {
  bankid = await startLocalBankId({ now: () => clock });
  client = createBankIdClient({
    url: bankid.url,
    pfx: bankid.certificates.clientP12,
    passphrase: bankid.certificates.passphrase,
    ca: bankid.certificates.ca,
    timeoutMs: 1_000,
  });
});
afterAll(async () => {
  client?.close();
  await bankid?.stop();
});
afterEach(() => {
  bankid.fault = undefined;
});

/** A request as the specification shows it, with the relying party's certificate. */
function raw(path: string, body: string, options: { method?: string; contentType?: string; pfx?: Buffer | null } = {}) {
  const { clientP12, passphrase, ca } = bankid.certificates;
  return new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
    const req = request(`${bankid.url.replace('/rp/v6.0', '')}${path}`, {
      method: options.method ?? 'POST',
      headers: { 'content-type': options.contentType ?? 'application/json' },
      ca,
      ...(options.pfx === null ? {} : { pfx: options.pfx ?? clientP12, passphrase }),
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text || '{}') }));
    });
    req.end(body);
  });
}

const visible = Buffer.from('Jag skriver under medborgarlöftet.').toString('base64');
const signOrder = () => client.sign({ endUserIp: '192.0.2.1', userVisibleData: visible });

test("the animated QR code is computed as BankID's documentation's example gives it", () => {
  expect(bankIdQrData('67df3917-fa0d-44e5-b327-edcc928297f8', 'd28db9a7-4cde-429e-a983-359be676944c', 0)).toBe(
    'bankid.67df3917-fa0d-44e5-b327-edcc928297f8.0.dc69358e712458a66a7525beef148ae8526b1c71610eff2c16cdffb4cdac9bf8',
  );
  for (const person of TEST_PERSONS) expect(normalisedPersonalNumber(person.personalNumber)).toBe(person.personalNumber);
  expect(normalisedPersonalNumber('811218-9876', new Date('2026-12-03'))).toBe('198112189876');
  expect(normalisedPersonalNumber('811218-9875')).toBeUndefined();
});

test('only a relying party with a certificate from its CA gets through the TLS handshake', async () => {
  await expect(raw('/rp/v6.0/collect', '{"orderRef":"x"}', { pfx: null })).rejects.toThrow();
  const stranger = makeLocalBankIdCertificates();
  await expect(raw('/rp/v6.0/collect', '{"orderRef":"x"}', { pfx: stranger.clientP12 })).rejects.toThrow();
  expect((await raw('/rp/v6.0/collect', '{"orderRef":"x"}')).status).toBe(400);
});

test("the specification's requests get its answers and its errors", async () => {
  const started = await raw(
    '/rp/v6.0/sign',
    JSON.stringify({
      endUserIp: '194.168.2.25',
      userVisibleData: visible,
      userNonVisibleData: 'cXdlcnR5',
      userVisibleDataFormat: 'simpleMarkdownV1',
    }),
  );
  expect(started.status).toBe(200);
  expect(Object.keys(started.json).sort()).toEqual(['autoStartToken', 'orderRef', 'qrStartSecret', 'qrStartToken']);
  expect(await raw('/rp/v6.0/collect', JSON.stringify({ orderRef: started.json.orderRef }))).toEqual({
    status: 200,
    json: { orderRef: started.json.orderRef, status: 'pending', hintCode: 'outstandingTransaction' },
  });
  expect((await raw('/rp/v6.0/auth', JSON.stringify({ endUserIp: '194.168.2.25' }))).status).toBe(200);

  const errors = await Promise.all([
    raw('/rp/v6.0/sign', JSON.stringify({ endUserIp: '194.168.2.25' })),
    raw('/rp/v6.0/sign', JSON.stringify({ userVisibleData: visible })),
    raw('/rp/v6.0/sign', JSON.stringify({ endUserIp: '194.168.2.25', userVisibleData: 'inte base64!' })),
    raw('/rp/v6.0/auth', '{"endUserIp": '),
    raw('/rp/v6.0/collect', JSON.stringify({ orderRef: 'ingen-sadan' })),
    raw('/rp/v6.0/auth', JSON.stringify({ endUserIp: '194.168.2.25' }), { contentType: 'application/json; charset=UTF-8' }),
    raw('/rp/v6.0/auth', '', { method: 'GET' }),
    raw('/rp/v5.1/auth', JSON.stringify({ endUserIp: '194.168.2.25' })),
  ]);
  expect(errors.map((e) => [e.status, e.json.errorCode])).toEqual([
    [400, 'invalidParameters'],
    [400, 'invalidParameters'],
    [400, 'invalidParameters'],
    [400, 'invalidParameters'],
    [400, 'invalidParameters'],
    [415, 'unsupportedMediaType'],
    [405, 'methodNotAllowed'],
    [404, 'notFound'],
  ]);
  for (const error of errors) expect(typeof error.json.details).toBe('string');

  const cancelled = await raw('/rp/v6.0/cancel', JSON.stringify({ orderRef: started.json.orderRef }));
  expect(cancelled).toEqual({ status: 200, json: {} });
  // Cancelled is gone: neither collected nor cancelled again.
  expect((await raw('/rp/v6.0/cancel', JSON.stringify({ orderRef: started.json.orderRef }))).json.errorCode).toBe('invalidParameters');
  expect((await raw('/rp/v6.0/collect', JSON.stringify({ orderRef: started.json.orderRef }))).json.errorCode).toBe('invalidParameters');
});

test('scanned by QR and signed: pending hints, then the completion data once, and never again', async () => {
  const order = await signOrder();
  clock += 2_000;
  const { session, text } = bankid.open({ qr: bankIdQrData(order.qrStartToken, order.qrStartSecret, 2) }, anna, '198.51.100.4');
  expect(text).toBe('Jag skriver under medborgarlöftet.');
  expect(await client.collect(order.orderRef)).toEqual({ orderRef: order.orderRef, status: 'pending', hintCode: 'userSign' });
  bankid.signAs(session);
  const done = await client.collect(order.orderRef);
  expect(done).toMatchObject({
    status: 'complete',
    completionData: {
      user: { personalNumber: anna.personalNumber, name: anna.name, givenName: anna.givenName, surname: anna.surname },
      device: { ipAddress: '198.51.100.4' },
      signature: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
      ocspResponse: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
    },
  });
  // The signature carries what was signed, visible and not.
  const signature = Buffer.from(done.status === 'complete' ? done.completionData.signature : '', 'base64').toString();
  expect(signature).toContain('<Signature');
  await expect(client.collect(order.orderRef)).rejects.toMatchObject({ errorCode: 'invalidParameters', transient: false });
});

test('a QR code is refused once a newer one has replaced it, and one never made is refused outright', async () => {
  const order = await signOrder();
  clock += 5_000;
  expect(() => bankid.open({ qr: bankIdQrData(order.qrStartToken, order.qrStartSecret, 0) }, anna)).toThrow(/gått ut/);
  expect(() => bankid.open({ qr: bankIdQrData(order.qrStartToken, 'fel-hemlighet', 5) }, anna)).toThrow(/inte äkta/);
  expect(() => bankid.open({ qr: bankIdQrData(order.qrStartToken, order.qrStartSecret, 9) }, anna)).toThrow(/gått ut/);
  bankid.open({ qr: bankIdQrData(order.qrStartToken, order.qrStartSecret, 5) }, anna);
  // Opened once, not twice.
  expect(() => bankid.open({ autoStartToken: order.autoStartToken }, anna)).toThrow(/inte att öppna igen/);
});

test('the documented order times: not started in 30 s it fails to start, unfinished in 3 minutes it expires', async () => {
  const neverOpened = await signOrder();
  const left = await signOrder();
  bankid.open({ autoStartToken: left.autoStartToken }, anna);
  clock += 31_000;
  expect(await client.collect(neverOpened.orderRef)).toMatchObject({ status: 'failed', hintCode: 'startFailed' });
  expect(await client.collect(left.orderRef)).toMatchObject({ status: 'pending', hintCode: 'userSign' });
  clock += 150_000;
  expect(await client.collect(left.orderRef)).toMatchObject({ status: 'failed', hintCode: 'expiredTransaction' });
});

test("the person cancels in the app; a blocked BankID fails; a pinned number refuses another person's BankID; a second order for one number aborts the first", async () => {
  const cancelled = await signOrder();
  bankid.cancelAs(bankid.open({ autoStartToken: cancelled.autoStartToken }, anna).session);
  expect(await client.collect(cancelled.orderRef)).toMatchObject({ status: 'failed', hintCode: 'userCancel' });

  // A blocked BankID (too many wrong security codes) cannot sign: the order fails with certificateErr.
  const blocked = await signOrder();
  const karin = TEST_PERSONS.find((p) => p.blocked)!;
  expect(bankid.signAs(bankid.open({ autoStartToken: blocked.autoStartToken }, karin).session)).toBe('blocked');
  expect(await client.collect(blocked.orderRef)).toMatchObject({ status: 'failed', hintCode: 'certificateErr' });

  const pinned = await client.sign({
    endUserIp: '192.0.2.1',
    userVisibleData: visible,
    requirement: { personalNumber: anna.personalNumber },
  });
  const { session } = bankid.open({ autoStartToken: pinned.autoStartToken }, olof);
  expect(await client.collect(pinned.orderRef)).toMatchObject({ status: 'pending', hintCode: 'started' });
  expect(() => bankid.signAs(session)).toThrow(/kan inte användas/);

  await expect(
    client.sign({ endUserIp: '192.0.2.1', userVisibleData: visible, requirement: { personalNumber: anna.personalNumber } }),
  ).rejects.toMatchObject({
    errorCode: 'alreadyInProgress',
    transient: false,
    status: 400,
  });
  expect(await client.collect(pinned.orderRef)).toMatchObject({ status: 'failed', hintCode: 'cancelled' });
});

test('the client tells a service that is down, slow or unreachable (try again) from a request that is wrong (do not)', async () => {
  bankid.fault = { errorCode: 'maintenance' };
  await expect(signOrder()).rejects.toMatchObject({ errorCode: 'maintenance', status: 503, transient: true });
  bankid.fault = { delayMs: 1_500 };
  await expect(signOrder()).rejects.toMatchObject({ errorCode: 'timeout', transient: true });
  bankid.fault = undefined;
  await expect(client.collect('ingen-sadan')).rejects.toMatchObject({ errorCode: 'invalidParameters', transient: false });
  const stranger = makeLocalBankIdCertificates();
  const refused = createBankIdClient({
    url: bankid.url,
    pfx: stranger.clientP12,
    passphrase: stranger.passphrase,
    ca: bankid.certificates.ca,
  });
  await expect(refused.collect('x')).rejects.toBeInstanceOf(BankIdCallError);
  await expect(refused.collect('x')).rejects.toMatchObject({ errorCode: 'unreachable', transient: true });
  refused.close();
  const nowhere = createBankIdClient({
    url: 'https://127.0.0.1:9/rp/v6.0',
    pfx: bankid.certificates.clientP12,
    passphrase: bankid.certificates.passphrase,
    ca: bankid.certificates.ca,
  });
  await expect(nowhere.collect('x')).rejects.toMatchObject({ errorCode: 'unreachable', transient: true });
  nowhere.close();
});

test('the phone page opens an order from an autostart link and signs it, in Swedish and English', async () => {
  const order = await signOrder();
  const opened = await fetch(`${bankid.phoneUrl}?autostarttoken=${order.autoStartToken}`);
  const page = await opened.text();
  expect(opened.status).toBe(200);
  expect(page).toContain('Jag skriver under medborgarlöftet.');
  expect(page).toContain('Skriv under / Sign');
  const session = /name="session" value="([^"]+)"/.exec(page)![1]!;
  const signed = await fetch(`${bankid.phoneUrl}skriv-under`, { method: 'POST', body: new URLSearchParams({ session, person: '0' }) });
  expect(await signed.text()).toContain('Underskrivet. / Signed.');
  expect(await client.collect(order.orderRef)).toMatchObject({
    status: 'complete',
    completionData: { device: { ipAddress: '127.0.0.1' } },
  });
  const again = await fetch(`${bankid.phoneUrl}?autostarttoken=${order.autoStartToken}`);
  expect(again.status).toBe(409);
});
