import { createHmac, randomUUID, sign as rsaSign, generateKeyPairSync, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  BANKID_ERRORS,
  BankIdOrderRequestSchema,
  ORDER_LIFETIME_SECONDS,
  ORDER_START_SECONDS,
  type BankIdCompletion,
  type BankIdErrorCode,
  type BankIdOrderRequest,
} from '../../domain/bankid';
import { makeLocalBankIdCertificates, type LocalBankIdCertificates } from './bankid-certificates';

// A local stand-in for BankID, shipped with the product: BankID's test environment cannot be
// reached from closed networks. It implements the published Auth & Sign API v6.0 (/rp/v6.0/auth,
// sign, collect, cancel) over mutual TLS with certificates it makes itself, with the documented
// request checks, errors, hint codes and order times, and plays "the person's phone" on a page of
// its own: open an order by its QR code or autostart link, then sign, cancel or let it expire.

export interface TestPerson {
  personalNumber: string;
  name: string;
  givenName: string;
  surname: string;
  /** A BankID that is blocked (too many wrong security codes, or revoked): signing with it fails with certificateErr. */
  blocked?: boolean;
}

type OrderState =
  | { status: 'pending'; hintCode: 'outstandingTransaction' | 'started' | 'userSign' }
  | { status: 'failed'; hintCode: string }
  | { status: 'complete'; completionData: BankIdCompletion };

interface Order {
  orderRef: string;
  kind: 'auth' | 'sign';
  request: BankIdOrderRequest;
  autoStartToken: string;
  qrStartToken: string;
  qrStartSecret: string;
  createdAt: number;
  state: OrderState;
  openedAt?: number;
  person?: TestPerson;
  /** The phone's address as BankID sees it, for completionData.device. */
  deviceIp?: string;
  /** Set once collect has returned a final state: BankID lets an order be collected complete or failed only once. */
  finalCollected?: boolean;
}

/** A fault the tests (or a newcomer) put on the API: every call answers so until cleared. */
export type BankIdFault = { errorCode: BankIdErrorCode } | { delayMs: number };

export interface LocalBankId {
  /** The API's base, as BANKID_URL: https://127.0.0.1:<port>/rp/v6.0 */
  url: string;
  /** The phone's page, where autostart links lead and QR codes are "scanned". */
  phoneUrl: string;
  certificates: LocalBankIdCertificates;
  /** Opens an order as the person's app does, by the QR code's content or the autostart token. */
  open(by: { qr: string } | { autoStartToken: string }, person: TestPerson, deviceIp?: string): { session: string; text: string };
  /** Signs as the person who opened the order; a blocked BankID fails the order instead. */
  signAs(session: string): 'signed' | 'blocked';
  cancelAs(session: string): void;
  fault: BankIdFault | undefined;
  stop(): Promise<void>;
}

export const TEST_PERSONS: TestPerson[] = [
  { personalNumber: '198112189876', name: 'Anna Maria Lind', givenName: 'Anna Maria', surname: 'Lind' },
  { personalNumber: '197303033216', name: 'Olof Berg', givenName: 'Olof', surname: 'Berg' },
  { personalNumber: '198905212380', name: 'Karin Sjö', givenName: 'Karin', surname: 'Sjö', blocked: true },
];

/** A QR code shown up to this long ago is still accepted when scanned; an older one is refused. */
const QR_GRACE_SECONDS = 3;

export class PhoneError extends Error {}

export async function startLocalBankId(options: { now?: () => number; host?: string } = {}): Promise<LocalBankId> {
  const now = options.now ?? Date.now;
  const host = options.host ?? '127.0.0.1';
  const certificates = makeLocalBankIdCertificates();
  const orders = new Map<string, Order>();
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  let fault: BankIdFault | undefined;

  const seconds = (order: Order) => Math.floor((now() - order.createdAt) / 1000);

  /** Time moves an order on: not opened in 30 s, it fails to start; not finished in 3 minutes, it expires. */
  function age(order: Order) {
    if (order.state.status !== 'pending') return;
    const elapsed = (now() - order.createdAt) / 1000;
    if (elapsed > ORDER_LIFETIME_SECONDS) order.state = { status: 'failed', hintCode: 'expiredTransaction' };
    else if (!order.openedAt && elapsed > ORDER_START_SECONDS) order.state = { status: 'failed', hintCode: 'startFailed' };
  }

  function startOrder(kind: 'auth' | 'sign', body: BankIdOrderRequest) {
    if (kind === 'sign' && !body.userVisibleData) throw new ApiError('invalidParameters', 'userVisibleData is required for sign');
    const pinned = body.requirement?.personalNumber;
    if (pinned) {
      const running = [...orders.values()].find((o) => o.request.requirement?.personalNumber === pinned && o.state.status === 'pending');
      if (running) {
        // As BankID documents: the order in progress is aborted, and no new order is made.
        running.state = { status: 'failed', hintCode: 'cancelled' };
        throw new ApiError('alreadyInProgress', 'Order already in progress for pno');
      }
    }
    const order: Order = {
      orderRef: randomUUID(),
      kind,
      request: body,
      autoStartToken: randomUUID(),
      qrStartToken: randomUUID(),
      qrStartSecret: randomUUID(),
      createdAt: now(),
      state: { status: 'pending', hintCode: 'outstandingTransaction' },
    };
    orders.set(order.orderRef, order);
    const { orderRef, autoStartToken, qrStartToken, qrStartSecret } = order;
    return { orderRef, autoStartToken, qrStartToken, qrStartSecret };
  }

  function collect(orderRef: string) {
    const order = orders.get(orderRef);
    if (!order || order.finalCollected) throw new ApiError('invalidParameters', 'No such order');
    age(order);
    if (order.state.status === 'pending') return { orderRef, status: 'pending', hintCode: order.state.hintCode };
    order.finalCollected = true;
    if (order.state.status === 'failed') return { orderRef, status: 'failed', hintCode: order.state.hintCode };
    return { orderRef, status: 'complete', completionData: order.state.completionData };
  }

  function cancel(orderRef: string) {
    const order = orders.get(orderRef);
    if (!order || order.state.status !== 'pending') throw new ApiError('invalidParameters', 'No such order');
    orders.delete(orderRef);
    return {};
  }

  const rp = createHttpsServer(
    { key: certificates.server.key, cert: certificates.server.cert, ca: certificates.ca, requestCert: true, rejectUnauthorized: true },
    (req, res) => void answerApi(req, res),
  );

  async function answerApi(req: IncomingMessage, res: ServerResponse) {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      const body = await readBody(req);
      const set = fault;
      if (set && 'delayMs' in set) await new Promise((resolve) => setTimeout(resolve, set.delayMs));
      if (set && 'errorCode' in set) throw new ApiError(set.errorCode, 'Fault set on the local BankID server');
      const method = /^\/rp\/v6\.0\/(auth|sign|collect|cancel)$/.exec(req.url ?? '')?.[1];
      if (!method) throw new ApiError('notFound', 'No such resource');
      if (req.method !== 'POST') throw new ApiError('methodNotAllowed', 'Only POST is allowed');
      if (req.headers['content-type'] !== 'application/json') {
        throw new ApiError('unsupportedMediaType', 'Content-Type must be application/json, without parameters');
      }
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        throw new ApiError('invalidParameters', 'Invalid JSON');
      }
      if (method === 'auth' || method === 'sign') {
        const parsed = BankIdOrderRequestSchema.safeParse(json);
        if (!parsed.success) throw new ApiError('invalidParameters', `Incorrect ${parsed.error.issues[0]!.path.join('.') || 'body'}`);
        return send(200, startOrder(method, parsed.data));
      }
      const orderRef = (json as { orderRef?: unknown } | null)?.orderRef;
      if (typeof orderRef !== 'string' || Object.keys(json as object).length !== 1)
        throw new ApiError('invalidParameters', 'Incorrect orderRef');
      return send(200, method === 'collect' ? collect(orderRef) : cancel(orderRef));
    } catch (error) {
      if (error instanceof ApiError) return send(BANKID_ERRORS[error.errorCode], { errorCode: error.errorCode, details: error.message });
      return send(500, { errorCode: 'internalError', details: 'Internal error' });
    }
  }

  function findSession(session: string) {
    const order = orders.get(session);
    if (!order || !order.openedAt) throw new PhoneError('Ingen öppen beställning på telefonen. / No order open on the phone.');
    age(order);
    if (order.state.status !== 'pending') throw new PhoneError('Beställningen är redan avslutad. / The order has already ended.');
    return order;
  }

  const phone: Omit<LocalBankId, 'url' | 'phoneUrl' | 'certificates' | 'fault' | 'stop'> = {
    open(by, person, deviceIp = '192.0.2.10') {
      let order: Order | undefined;
      if ('qr' in by) {
        const [prefix, token, time, code] = by.qr.trim().split('.');
        order = [...orders.values()].find((o) => o.qrStartToken === token);
        if (prefix !== 'bankid' || !order || !time || !code || !/^\d+$/.test(time))
          throw new PhoneError('Okänd QR-kod. / Unknown QR code.');
        const expected = createHmac('sha256', order.qrStartSecret).update(time).digest();
        const given = Buffer.from(code, 'hex');
        if (given.length !== expected.length || !timingSafeEqual(given, expected))
          throw new PhoneError('QR-koden är inte äkta. / The QR code is not genuine.');
        const shownAgo = seconds(order) - Number(time);
        if (shownAgo < 0 || shownAgo > QR_GRACE_SECONDS)
          throw new PhoneError('QR-koden har gått ut; läs av den nya. / The QR code has expired; scan the new one.');
      } else {
        order = [...orders.values()].find((o) => o.autoStartToken === by.autoStartToken);
        if (!order) throw new PhoneError('Okänd startlänk. / Unknown autostart link.');
      }
      age(order);
      if (order.state.status !== 'pending' || order.openedAt)
        throw new PhoneError('Beställningen går inte att öppna igen. / The order cannot be opened again.');
      order.openedAt = now();
      order.person = person;
      order.deviceIp = deviceIp;
      // A pinned personal number another person's app cannot sign: it finds no usable BankID.
      const usable = !order.request.requirement?.personalNumber || order.request.requirement.personalNumber === person.personalNumber;
      order.state = { status: 'pending', hintCode: usable ? 'userSign' : 'started' };
      const text = order.request.userVisibleData ? Buffer.from(order.request.userVisibleData, 'base64').toString('utf8') : '';
      return { session: order.orderRef, text };
    },
    signAs(session) {
      const order = findSession(session);
      if (order.state.status === 'pending' && order.state.hintCode !== 'userSign') {
        throw new PhoneError('Det här BankID:t kan inte användas för beställningen. / This BankID cannot be used for the order.');
      }
      const person = order.person!;
      if (person.blocked) {
        order.state = { status: 'failed', hintCode: 'certificateErr' };
        return 'blocked';
      }
      const signed = JSON.stringify({
        usrVisibleData: order.request.userVisibleData ?? null,
        usrNonVisibleData: order.request.userNonVisibleData ?? null,
        personalNumber: person.personalNumber,
        signedAt: new Date(now()).toISOString(),
      });
      const xml = `<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo>${Buffer.from(signed).toString('base64')}</SignedInfo><SignatureValue>${rsaSign('sha256', Buffer.from(signed), signingKey).toString('base64')}</SignatureValue><!-- lokal BankID-testserver: inte en riktig underskrift --></Signature>`;
      order.state = {
        status: 'complete',
        completionData: {
          user: { personalNumber: person.personalNumber, name: person.name, givenName: person.givenName, surname: person.surname },
          device: { ipAddress: order.deviceIp ?? '192.0.2.10', uhi: 'lokal-telefon' },
          bankIdIssueDate: '2024-01-15',
          signature: Buffer.from(xml).toString('base64'),
          ocspResponse: Buffer.from(`OCSP good ${person.personalNumber} ${new Date(now()).toISOString()} (lokal testserver)`).toString(
            'base64',
          ),
        },
      };
      return 'signed';
    },
    cancelAs(session) {
      findSession(session).state = { status: 'failed', hintCode: 'userCancel' };
    },
  };

  const phoneServer = createHttpServer((req, res) => void answerPhone(req, res));
  async function answerPhone(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://telefon');
    const person = TEST_PERSONS[Number(url.searchParams.get('person') ?? 0)] ?? TEST_PERSONS[0]!;
    const page = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
      res.end(phonePage(body, person));
    };
    try {
      if (req.method === 'POST') {
        const form = new URLSearchParams(await readBody(req));
        const chosen = TEST_PERSONS[Number(form.get('person') ?? 0)] ?? TEST_PERSONS[0]!;
        const action = url.pathname;
        if (action === '/oppna') {
          const qr = form.get('qr')?.trim() ?? '';
          const link = /autostarttoken=([^&\s]+)/.exec(qr)?.[1];
          const opened = phone.open(link ? { autoStartToken: link } : { qr }, chosen, req.socket.remoteAddress?.replace(/^::ffff:/, ''));
          return page(200, orderView(opened.session, opened.text, chosen));
        }
        const session = form.get('session') ?? '';
        let done: string;
        if (action === '/skriv-under') {
          done = phone.signAs(session) === 'signed' ? 'Underskrivet. / Signed.' : 'BankID:t är spärrat. / The BankID is blocked.';
        } else if (action === '/avbryt') {
          phone.cancelAs(session);
          done = 'Avbrutet. / Cancelled.';
        } else return page(404, '<p>Finns inte. / Not found.</p>');
        return page(200, `<p role="status">${done}</p>${openForm('', 0)}`);
      }
      const token = url.searchParams.get('autostarttoken');
      if (token) {
        const opened = phone.open({ autoStartToken: token }, person, req.socket.remoteAddress?.replace(/^::ffff:/, ''));
        return page(200, orderView(opened.session, opened.text, person));
      }
      return page(200, openForm('', Number(url.searchParams.get('person') ?? 0)));
    } catch (error) {
      if (error instanceof PhoneError) return page(409, `<p role="alert">${escape(error.message)}</p>${openForm('', 0)}`);
      return page(500, '<p role="alert">Internt fel. / Internal error.</p>');
    }
  }

  await Promise.all([listen(rp, host), listen(phoneServer, host)]);
  const local: LocalBankId = {
    url: `https://${host}:${(rp.address() as AddressInfo).port}/rp/v6.0`,
    phoneUrl: `http://${host}:${(phoneServer.address() as AddressInfo).port}/`,
    certificates,
    ...phone,
    get fault() {
      return fault;
    },
    set fault(value) {
      fault = value;
    },
    stop: async () => {
      await Promise.all([close(rp), close(phoneServer)]);
    },
  };
  return local;
}

class ApiError extends Error {
  constructor(
    readonly errorCode: BankIdErrorCode,
    details: string,
  ) {
    super(details);
  }
}

const MAX_BODY = 300_000;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new ApiError('invalidParameters', 'Request too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const listen = (server: Server, host: string) => new Promise<void>((resolve) => server.listen(0, host, resolve));
const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function openForm(qr: string, personIndex: number) {
  const options = TEST_PERSONS.map(
    (p, i) =>
      `<option value="${i}"${i === personIndex ? ' selected' : ''}>${escape(p.name)} (${p.personalNumber}${p.blocked ? ', spärrat BankID / blocked BankID' : ''})</option>`,
  ).join('');
  return `<form method="post" action="/oppna">
<label for="qr">QR-kodens innehåll eller startlänken / The QR code's content or the autostart link</label>
<textarea id="qr" name="qr" rows="3">${escape(qr)}</textarea>
<label for="person">Vems telefon / Whose phone</label><select id="person" name="person">${options}</select>
<button type="submit">Öppna i BankID / Open in BankID</button></form>`;
}

function orderView(session: string, text: string, person: TestPerson) {
  const index = TEST_PERSONS.indexOf(person);
  return `<h2>Skriv under / Sign</h2><pre>${escape(text)}</pre>
<p>${escape(person.name)} (${person.personalNumber})</p>
<form method="post" action="/skriv-under"><input type="hidden" name="session" value="${session}"><input type="hidden" name="person" value="${index}"><button type="submit">Skriv under / Sign</button></form>
<form method="post" action="/avbryt"><input type="hidden" name="session" value="${session}"><button type="submit">Avbryt / Cancel</button></form>
<p>Gör inget, så går beställningen ut efter tre minuter. / Do nothing, and the order expires after three minutes.</p>`;
}

function phonePage(body: string, person: TestPerson) {
  return `<!doctype html><html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Lokal BankID-telefon</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:1rem auto;padding:0 1rem}label,textarea,select,button{display:block;width:100%;margin:.5rem 0}pre{white-space:pre-wrap;background:#f3f3f3;padding:.5rem}</style></head>
<body><h1>Lokal BankID-telefon <span lang="en">(local BankID phone)</span></h1>
<p>Spelar personens BankID-app för den lokala testservern; inga riktiga underskrifter. / Plays the person's BankID app for the local test server; no real signatures. (${escape(person.name)})</p>
<main>${body}</main></body></html>`;
}
