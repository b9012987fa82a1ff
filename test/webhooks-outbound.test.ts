import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, signatureMatches, webhookHeaders } from '../domain/crypto';
import { webhookEventOf, WEBHOOK_EVENTS } from '../domain/webhooks';
import { makeLocalBankIdCertificates } from '../platform/embedded/bankid-certificates';
import { createOutbound, parseNetworks, retryAfterSeconds } from '../platform/outbound';

// Webhooks' signatures checked by the Standard Webhooks reference library (not our own code), and
// the outbound requests' guard against reaching what is not the public internet (issue 25).

test('a delivery signed with one secret, or two during a rotation, verifies with the standardwebhooks library', () => {
  const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
  expect(current).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
  const body = JSON.stringify({ type: 'promise.activated', timestamp: '2027-01-10T09:30:00Z', data: { promiseId: 'x' } });
  const message = { id: 'msg_2b1f0c1e-5a43-4a7e-9a55-1f2d8c0b9e11', timestamp: Math.floor(Date.now() / 1000), body };
  const headers = webhookHeaders([current, previous], message);
  for (const secret of [current, previous]) {
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(signatureMatches(secret, headers['webhook-signature']!, message)).toBe(true);
  }
  expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
  expect(() => new Webhook(current).verify(body.replace('activated', 'withdrawn'), headers)).toThrow();
});

test('each event comes from its audit actions, and an action makes at most one event', () => {
  expect(webhookEventOf('ACTIVATED')).toBe('promise.activated');
  expect(webhookEventOf('FOLLOW_UP_PUBLISHED_CLOSED')).toBe('follow_up.published');
  expect(webhookEventOf('EMAIL_SENT')).toBeUndefined();
  const actions = Object.values(WEBHOOK_EVENTS).flatMap((event) => event.actions);
  expect(new Set(actions).size).toBe(actions.length);
});

describe('outbound requests', () => {
  const certificates = makeLocalBankIdCertificates();
  let server: Server;
  let port: number;
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer({ key: certificates.server.key, cert: certificates.server.cert }, (req, res) => {
      seen.push(req.url ?? '');
      if (req.url === '/flyttad') res.writeHead(302, { location: 'https://169.254.169.254/' }).end();
      else if (req.url === '/upptagen') res.writeHead(503, { 'retry-after': '120' }).end('upptagen');
      else if (req.url === '/hanger')
        return; // takes the request and never answers
      else res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('only https to public addresses: loopback, private, link-local and a name for loopback are refused before any request', async () => {
    const outbound = createOutbound({ ca: certificates.ca, timeoutMs: 2_000 });
    const before = seen.length;
    for (const url of [
      `https://127.0.0.1:${port}/`,
      `https://localhost:${port}/`,
      'https://10.1.2.3/',
      'https://169.254.169.254/latest/meta-data/',
      'https://[::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://192.168.1.1/',
      `http://127.0.0.1:${port}/`,
      'https://anvandare:losen@example.com/',
    ]) {
      expect({ url, answer: (await outbound.post(url, {}, '{}')).kind }).toEqual({ url, answer: 'refused' });
    }
    expect(seen.length).toBe(before);
  });

  test('a network the installation allows is reached; a redirect is not followed; Retry-After is read', async () => {
    const outbound = createOutbound({ ca: certificates.ca, allowedNetworks: ['127.0.0.1/32'], timeoutMs: 2_000 });
    expect(await outbound.post(`https://localhost:${port}/ok`, { 'webhook-id': 'msg_1' }, '{}')).toMatchObject({
      kind: 'answered',
      status: 204,
    });
    expect(await outbound.post(`https://localhost:${port}/flyttad`, {}, '{}')).toMatchObject({ kind: 'refused' });
    expect(seen).not.toContain('/latest/meta-data/');
    expect(await outbound.post(`https://localhost:${port}/upptagen`, {}, '{}')).toEqual({
      kind: 'answered',
      status: 503,
      retryAfterSeconds: 120,
      excerpt: 'upptagen',
    });
    expect(await outbound.post('https://finns-inte.invalid/', {}, '{}')).toMatchObject({ kind: 'unreachable' });
  });

  test('a receiver that takes the request and never answers is given up on after the timeout, as unreachable', async () => {
    const outbound = createOutbound({ ca: certificates.ca, allowedNetworks: ['127.0.0.1/32'], timeoutMs: 1_000 });
    const started = Date.now();
    expect(await outbound.post(`https://localhost:${port}/hanger`, {}, '{}')).toEqual({
      kind: 'unreachable',
      reason: 'inget svar inom 1 s',
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('the allowed networks are read from the setting, and a wrong one is named', () => {
    expect(parseNetworks('10.20.0.0/16, fd00::/8')).toEqual([
      ['10.20.0.0', 16, 'ipv4'],
      ['fd00::', 8, 'ipv6'],
    ]);
    expect(() => parseNetworks('10.20.0.0')).toThrow('"10.20.0.0" är inte ett nät i CIDR-form');
    expect(retryAfterSeconds('Wed, 21 Oct 2026 07:28:30 GMT', Date.parse('Wed, 21 Oct 2026 07:28:00 GMT'))).toBe(30);
  });
});
