import { Writable } from 'node:stream';
import { buildServer } from '../api/server';
import { createLogger } from '../platform/logger';
import { joinOrganisation } from '../store/organisations';
import { countRequest, removeEndedWindows } from '../store/rate-limits';
import { createSmtpMailer } from '../platform/mailer';
import type { Mailer } from '../platform/mailer';
import type { Engine } from './support/engine';
import { client, pageHash, startApi, startApiTestbed, UNLIMITED, type ApiClient, type ApiTestbed } from './support/http';
import { inComingYear, lessebo, subjectsStartingWith } from './support/promises';

// The door as an attacker and a strict client try it: what the logs keep, which address a
// signature records, the headers every answer carries, the rate limits, the local mailbox, the
// health check and the answers for paths and methods the API does not have.

let testbed: ApiTestbed;
let engine: Engine;
let coordinator: ApiClient;
let anonymous: ApiClient;
const logLines: string[] = [];

beforeAll(async () => {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  testbed = await startApiTestbed('samordnare@lessebo.example', { logger: createLogger({ level: 'info', destination }) });
  ({ engine, coordinator, anonymous } = testbed);
});
afterAll(async () => {
  await testbed?.stop();
});

/** A submitted Lessebo and its eight signing links (paths). */
async function submittedPromise() {
  const created = await coordinator.post('/api/promises', { content: inComingYear(lessebo()) });
  const id: string = created.json.id;
  const before = engine.mailbox.messages.length;
  await coordinator.post(`/api/promises/${id}/submit`);
  const requests = subjectsStartingWith(
    (await engine.mailbox.waitFor((m) => subjectsStartingWith(m.slice(before), 'Signera medborgarlöftet').length >= 8)).slice(before),
    'Signera medborgarlöftet',
  );
  return { id, paths: requests.map((m) => /\/sign\/[A-Za-z0-9_-]{43}/.exec(m.text)![0]) };
}

const signAs = async (baseUrl: string, path: string, headers: Record<string, string> = {}) => {
  const page = await fetch(`${baseUrl}${path}`);
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ decision: 'SIGN', documentSha256: pageHash(await page.text()) }).toString(),
  });
  expect(response.status).toBe(200);
};

const signatureAddresses = (promiseId: string) =>
  engine.database.db.auditEvent
    .findMany({ where: { promiseId, action: 'SIGNED' }, orderBy: { id: 'asc' }, include: { origin: true } })
    .then((events) => events.map((e) => e.origin?.ipAddress));

test('a signing round leaves no link key and no API key in the request log, and API lines carry the promise id', async () => {
  const { id, paths } = await submittedPromise();
  await signAs(testbed.api.baseUrl, paths[0]!);
  await coordinator.get(`/api/promises/${id}`);

  const log = logLines.join('\n');
  for (const path of paths) expect(log).not.toContain(path.slice('/sign/'.length));
  expect(log).not.toMatch(/Bearer/i);
  expect(log).toContain('/sign/[dold]');
  const promiseLines = logLines.map((line) => JSON.parse(line)).filter((line) => line.promiseId === id);
  expect(promiseLines.length).toBeGreaterThan(0);
  // One line per request, when it is answered, with the status and the time taken.
  const requestLines = logLines.map((line) => JSON.parse(line)).filter((line) => line.req);
  expect(requestLines.every((line) => line.msg === 'request completed')).toBe(true);
  // Nor the client's address: personal data, kept only where the inventory says.
  expect(requestLines.some((line) => 'remoteAddress' in line.req)).toBe(false);
  expect(requestLines.find((line) => line.promiseId === id)).toMatchObject({ res: { statusCode: 200 }, responseTime: expect.any(Number) });
});

test('health probes and the pages’ own files are answered without a log line each; a page is logged', async () => {
  const before = logLines.length;
  for (const path of ['/health', '/assets/sida.css', '/assets/bankid.js', '/'])
    expect((await fetch(`${testbed.api.baseUrl}${path}`)).ok).toBe(true);
  const urls = logLines
    .slice(before)
    .map((line) => JSON.parse(line))
    .filter((line) => line.req)
    .map((line) => line.req.url);
  expect(urls).toEqual(['/']);
});

test("a forged X-Forwarded-For is not recorded as the signatory's address unless the proxy is trusted", async () => {
  const { id, paths } = await submittedPromise();
  await signAs(testbed.api.baseUrl, paths[0]!, { 'x-forwarded-for': '203.0.113.66' });

  // Behind one trusted proxy (TRUST_PROXY=1), the address the proxy saw is the one recorded.
  const behindProxy = await startApi(engine, { trustProxy: 1 });
  try {
    await signAs(behindProxy.baseUrl, paths[1]!, { 'x-forwarded-for': '198.51.100.7' });
  } finally {
    await behindProxy.app.close();
  }
  expect(await signatureAddresses(id)).toEqual(['127.0.0.1', '198.51.100.7']);
});

test('every answer carries the security headers; pages behind a link and the API are never cached', async () => {
  const { paths } = await submittedPromise();
  for (const path of ['/', paths[0]!, '/api/promises', '/finns-inte', '/openapi.json']) {
    const response = await fetch(`${testbed.api.baseUrl}${path}`, { headers: { authorization: 'Bearer x' } });
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(csp).toContain("default-src 'none'");
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  }
  const page = await fetch(`${testbed.api.baseUrl}${paths[0]}`);
  expect(page.headers.get('cache-control')).toBe('no-store');
  expect(await page.text()).not.toMatch(/<style|style="/);
  expect((await coordinator.get('/api/promises')).status).toBe(200);
  const list = await fetch(`${testbed.api.baseUrl}/api/promises`, { headers: { authorization: 'Bearer x' } });
  expect(list.headers.get('cache-control')).toBe('no-store');
});

test('link pages, link posts and the API each answer 429 past their limit, as a Swedish page or JSON', async () => {
  const limited = await startApi(engine, { rateLimits: { linkPages: 3, linkPosts: 2, api: 4 } });
  try {
    const unknownLink = `${limited.baseUrl}/sign/${'B'.repeat(43)}`;
    const pages = [];
    for (let i = 0; i < 4; i++) pages.push(await fetch(unknownLink));
    expect(pages.map((r) => r.status)).toEqual([404, 404, 404, 429]);
    expect(pages[3]!.headers.get('content-type')).toContain('text/html');
    expect(pages[3]!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await pages[3]!.text()).toContain('För många försök');

    const posts = [];
    for (let i = 0; i < 3; i++)
      posts.push(
        (
          await fetch(unknownLink, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: `decision=SIGN&documentSha256=${'0'.repeat(64)}`,
          })
        ).status,
      );
    expect(posts).toEqual([404, 404, 429]);

    const api = client(limited.baseUrl);
    const calls = [];
    for (let i = 0; i < 5; i++) calls.push(await api.get('/api/promises'));
    expect(calls.map((c) => c.status)).toEqual([401, 401, 401, 401, 429]);
    expect(calls[4]!.json).toEqual({ error: 'RATE_LIMITED', message: expect.stringContaining('För många anrop') });
  } finally {
    await limited.app.close();
  }
});

test('the local mailbox answers only on this machine', async () => {
  const withMailbox = await startApi(engine, { mailbox: engine.mailbox });
  try {
    const remote = await withMailbox.app.inject({ url: '/dev/mailbox', remoteAddress: '192.0.2.10' });
    expect(remote.statusCode).toBe(403);
    expect(remote.body).toContain('bara på datorn');
    const remoteMessage = await withMailbox.app.inject({ url: '/dev/mailbox/1', remoteAddress: '192.0.2.10' });
    expect(remoteMessage.statusCode).toBe(403);
    // A proxy on this machine passing a caller on.
    const proxied = await fetch(`${withMailbox.baseUrl}/dev/mailbox`, { headers: { 'x-forwarded-for': '192.0.2.10' } });
    expect(proxied.status).toBe(403);
    const local = await fetch(`${withMailbox.baseUrl}/dev/mailbox`);
    expect(local.status).toBe(200);
    expect(local.headers.get('cache-control')).toBe('no-store');
  } finally {
    await withMailbox.app.close();
  }
});

test('the limits hold across API processes: two servers on one database count together, and keep no address in clear', async () => {
  const { db } = engine.database;
  await db.rateLimitWindow.deleteMany();
  const limits = { linkPages: 3, linkPosts: 2, api: 4 };
  const [first, second] = await Promise.all([
    startApi(engine, { rateLimits: limits, sharedRateLimits: true }),
    startApi(engine, { rateLimits: limits, sharedRateLimits: true }),
  ]);
  try {
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await client(i % 2 ? second.baseUrl : first.baseUrl).get('/api/promises')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    const unknownLink = `/sign/${'C'.repeat(43)}`;
    const pages = [];
    for (let i = 0; i < 4; i++) pages.push((await fetch(`${i % 2 ? second.baseUrl : first.baseUrl}${unknownLink}`)).status);
    expect(pages).toEqual([404, 404, 404, 429]);
    // The pages' own files and a load balancer's probe are not counted.
    for (const path of ['/assets/sida.css', '/health']) {
      const answers = await Promise.all([first, second].map(async ({ baseUrl }) => (await fetch(`${baseUrl}${path}`)).status));
      expect(answers).not.toContain(429);
    }
    const windows = await db.rateLimitWindow.findMany();
    expect(windows.map((w) => w.hits).sort()).toEqual([4, 6]);
    expect(JSON.stringify(windows)).not.toContain('127.0.0.1');
  } finally {
    await Promise.all([first.app.close(), second.app.close()]);
  }
});

test('a shared window starts again once it has run out, and ended windows are swept away', async () => {
  const { db } = engine.database;
  const key = `test:${crypto.randomUUID()}`;
  expect(await countRequest(db, key, 300)).toEqual({ hits: 1, ttlMs: expect.any(Number) });
  const second = await countRequest(db, key, 300);
  expect(second.hits).toBe(2);
  expect(second.ttlMs).toBeGreaterThan(0);
  expect(second.ttlMs).toBeLessThanOrEqual(300);
  await new Promise((resolve) => setTimeout(resolve, 350));
  expect((await countRequest(db, key, 300)).hits).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, 650));
  expect(await removeEndedWindows(db, 300)).toBeGreaterThanOrEqual(1);
  expect(await db.rateLimitWindow.findUnique({ where: { key } })).toBeNull();
});

test('the anonymous /health answer is at most a second old; a coordinator always gets a fresh one', async () => {
  let asked = 0;
  const client = Object.create(engine.client) as typeof engine.client;
  const workflowService = engine.client.workflowService;
  Object.defineProperty(client, 'workflowService', {
    value: new Proxy(workflowService, {
      get: (target, name) =>
        name === 'getSystemInfo'
          ? (...args: Parameters<typeof target.getSystemInfo>) => {
              asked += 1;
              return target.getSystemInfo(...args);
            }
          : Reflect.get(target, name),
    }),
  });
  const app = await buildServer({
    db: engine.database.db,
    engine: { ...engine, client },
    mailer: createSmtpMailer({ url: engine.mailbox.smtpUrl, from: 'test@test.example' }),
    publicBaseUrl: engine.publicBaseUrl,
    linkSecret: engine.activityDeps.linkSecret,
    rateLimits: UNLIMITED,
  });
  try {
    const anonymousAnswers = await Promise.all(Array.from({ length: 50 }, () => app.inject({ url: '/health' })));
    expect(anonymousAnswers.map((a) => a.statusCode)).toEqual(Array(50).fill(200));
    expect(asked).toBe(1);
    const headers = { authorization: `Bearer ${testbed.token}` };
    await app.inject({ url: '/health', headers });
    await app.inject({ url: '/health', headers });
    expect(asked).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await app.inject({ url: '/health' });
    expect(asked).toBe(4);
  } finally {
    await app.close();
  }
});

test('/health asks the relay at most once a minute, and shows no error text to anonymous callers', async () => {
  let verifications = 0;
  const failingRelay: Mailer = {
    from: 'test@test.example',
    send: async () => undefined,
    verify: async () => {
      verifications += 1;
      throw new Error('535 Authentication failed for smtp-user@relay.internal');
    },
    close: () => undefined,
  };
  const app = await buildServer({
    db: engine.database.db,
    engine,
    mailer: failingRelay,
    publicBaseUrl: engine.publicBaseUrl,
    linkSecret: engine.activityDeps.linkSecret,
    rateLimits: UNLIMITED,
  });
  try {
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await app.inject({ url: '/health' }));
    expect(verifications).toBe(1);
    expect(answers.map((a) => a.statusCode)).toEqual([503, 503, 503]);
    expect(answers[0]!.json()).toEqual({ status: 'fel' });
    expect(answers[0]!.body).not.toContain('relay.internal');
  } finally {
    await app.close();
  }
});

test('a known path with another method is 405 with Allow; an unknown page is an HTML page; an unknown API path is JSON', async () => {
  const wrongMethod = await fetch(`${testbed.api.baseUrl}/api/promises`, { method: 'DELETE' });
  expect(wrongMethod.status).toBe(405);
  expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD, POST');
  expect(await wrongMethod.json()).toEqual({ error: 'METHOD_NOT_ALLOWED', message: expect.stringContaining('DELETE stöds inte') });

  const unknownPage = await fetch(`${testbed.api.baseUrl}/okand-sida`);
  expect(unknownPage.status).toBe(404);
  expect(unknownPage.headers.get('content-type')).toContain('text/html');
  expect(await unknownPage.text()).toContain('Sidan finns inte');
  // In English: the page is English, and the service's own (Swedish) words are marked as Swedish.
  const english = await (await fetch(`${testbed.api.baseUrl}/okand-sida`, { headers: { cookie: '__Host-lang=en' } })).text();
  expect(english).toContain('<html lang="en">');
  expect(english).toContain('<h1>Page not found</h1>');
  expect(english).toMatch(/<p>What the service says \(in Swedish\):<\/p><p lang="sv">Ingen sida eller resurs på \/okand-sida\.<\/p>/);

  const unknownApi = await anonymous.get('/api/okand');
  expect(unknownApi.status).toBe(404);
  expect(unknownApi.json.error).toBe('NOT_FOUND');
});

test('an empty JSON body is refused in Swedish', async () => {
  const response = await fetch(`${testbed.api.baseUrl}/api/promises/${crypto.randomUUID()}/withdraw`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${testbed.token}` },
  });
  expect(response.status).toBe(400);
  expect(await response.json()).toEqual({
    error: 'VALIDATION',
    message: 'Innehållet är tomt; skicka ett JSON-objekt, eller ingen Content-Type.',
  });
});

test('the OpenAPI document declares path ids as UUIDs and documents every error an operation can answer', async () => {
  const doc = (await anonymous.get('/openapi.json')).json;
  const operations = Object.entries(
    doc.paths as Record<
      string,
      Record<
        string,
        { parameters?: { name: string; schema: { format?: string } }[]; responses: Record<string, unknown>; security?: unknown }
      >
    >,
  ).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })));
  expect(operations.length).toBeGreaterThanOrEqual(18);
  for (const { path, operation } of operations) {
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['429', '500', '503']));
    if (path.startsWith('/api/')) {
      expect(operation.security).toEqual([{ coordinatorToken: [] }]);
      expect(Object.keys(operation.responses)).toContain('401');
    }
    for (const parameter of operation.parameters ?? []) {
      if (parameter.name === 'id' || parameter.name === 'occurrenceId') expect(parameter.schema.format).toBe('uuid');
    }
  }
  const get = doc.paths['/api/promises/{id}'].get;
  expect(get.responses['404'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
  expect(get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Promise' });
  expect(doc.components.schemas.Error.properties.error.enum).toContain('RATE_LIMITED');
});

test("e-mails say who they are for and whom to answer: To with the name, From the coordinator's organisation, Reply-To the coordinator, why it came, Auto-Submitted, a Message-ID on the sender's domain", async () => {
  const { db } = engine.database;
  const sara = await db.coordinator.update({ where: { email: 'samordnare@lessebo.example' }, data: { phone: '0478-125 00' } });
  await joinOrganisation(db, sara.id, { kind: 'MUNICIPALITY', name: 'Lessebo' });
  const before = engine.mailbox.messages.length;
  await submittedPromise();
  const request = engine.mailbox.messages.slice(before).find((m) => m.to.includes('lars.altgard@lessebo.example'))!;
  expect(request.headers.to).toMatch(/^(Lars Altgård|=\?UTF-8\?.+\?=) <lars\.altgard@lessebo\.example>$/);
  expect(request.from).toBe('"Lessebo kommun via Medborgarlöften" <noreply@test.example>');
  expect(request.headers['reply-to']).toMatch(/<samordnare@lessebo\.example>$/);
  expect(request.text).toContain('Du får det här meddelandet eftersom du står som undertecknare av medborgarlöftet');
  expect(request.text).toContain('Sara Samordnare, samordnare för Lessebo kommun (samordnare@lessebo.example, telefon 0478-125 00)');
  expect(request.text).toContain('In English: you receive this because you are named as a signatory');
  expect(request.headers['auto-submitted']).toBe('auto-generated');
  expect(request.messageId).toMatch(/^<[0-9a-f]{32}@test\.example>$/);
});

describe('what no form would send', () => {
  const send = (path: string, body: string | Buffer, contentType = 'application/json', auth = false) =>
    fetch(`${testbed.api.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(auth ? { authorization: `Bearer ${testbed.token}` } : {}) },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
  const entryPoints = [
    { path: '/verifiera', auth: false },
    { path: '/sign/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', auth: false },
    { path: '/logga-in', auth: false },
    { path: '/api/promises', auth: true },
  ];

  test.each([5_000, 100_000])('a JSON body nested %i levels deep is a 400 at every entry point, never a 500', async (levels) => {
    const arrays = `${'['.repeat(levels)}${']'.repeat(levels)}`;
    const objects = `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
    for (const { path, auth } of entryPoints) {
      for (const body of [arrays, objects]) {
        const response = await send(path, body, 'application/json', auth);
        expect({ path, status: response.status }).toEqual({ path, status: 400 });
        const text = await response.text();
        expect(text).toContain('nästlat');
        expect(text).not.toContain('RangeError');
      }
    }
  });

  test('the text walker handles a deep value without recursion', async () => {
    const { unstorableTextProblems } = await import('../domain/text');
    let deep: unknown = 'slut\u0000';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(unstorableTextProblems(deep)).toEqual([
      { field: `${'0.'.repeat(10_000)}`.slice(0, -1), problem: expect.stringContaining('NUL') },
    ]);
  });

  test('invalid UTF-8 in a JSON string is refused, naming the field, and nothing is stored', async () => {
    const before = await engine.database.db.promiseRecord.count();
    const content = inComingYear(lessebo());
    const json = JSON.stringify({ content: { ...content, title: 'Trygg XX i butik' } });
    const bytes = Buffer.from(json, 'utf8');
    const at = bytes.indexOf('XX');
    bytes[at] = 0xff;
    bytes[at + 1] = 0xfe;
    const response = await send('/api/promises', bytes, 'application/json', true);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'VALIDATION',
      message: expect.stringContaining('UTF-8'),
      details: [{ field: 'content.title', problem: expect.stringContaining('UTF-8') }],
    });
    expect(await engine.database.db.promiseRecord.count()).toBe(before);
  });

  test('invalid UTF-8 in a form, raw or %-encoded, and in a query string is a 400 page naming the field', async () => {
    const raw = Buffer.concat([Buffer.from('decision=DECLINE&reason=Nej '), Buffer.from([0xff, 0xfe]), Buffer.from('&documentSha256=x')]);
    const rawAnswer = await send('/sign/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', raw, 'application/x-www-form-urlencoded');
    expect(rawAnswer.status).toBe(400);
    expect(rawAnswer.headers.get('content-type')).toContain('text/html');
    expect(await rawAnswer.text()).toMatch(/reason[\s\S]*UTF-8/);

    const encoded = await send('/logga-in', 'email=anna%ff%fe%40lessebo.example', 'application/x-www-form-urlencoded');
    expect(encoded.status).toBe(400);
    expect(await encoded.text()).toMatch(/email[\s\S]*UTF-8/);

    const query = await fetch(`${testbed.api.baseUrl}/kommuner?sprak=%ff`);
    expect(query.status).toBe(400);
    expect(await query.text()).toMatch(/sprak[\s\S]*UTF-8/);
  });

  test("an undecodable path is answered in the product's format: a page for people, the error JSON for the API", async () => {
    const page = await fetch(`${testbed.api.baseUrl}/kommuner/%ff%fe`);
    expect(page.status).toBe(400);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).not.toContain('FST_ERR_BAD_URL');

    const api = await anonymous.get('/api/promises/%ff');
    expect(api.status).toBe(400);
    expect(api.json).toEqual({
      error: 'VALIDATION',
      message: expect.any(String),
      details: [{ field: '(path)', problem: expect.stringContaining('UTF-8') }],
    });
  });
});

test('the OpenAPI document states the single-field rules: text patterns, the fingerprint, the verify form as a required body', async () => {
  const doc = (await anonymous.get('/openapi.json')).json;
  const body = (path: string, method = 'post') => doc.paths[path][method].requestBody;
  const jsonProperties = (path: string) => body(path).content['application/json'].schema.properties;
  const noControl = (pattern: string) => {
    const regex = new RegExp(pattern, 'u');
    return (
      ['Inställt på grund av pandemin.', 'Rad ett\nrad två'].every((t) => regex.test(t)) &&
      !regex.test('Inställt\u0007') &&
      !regex.test('   ')
    );
  };
  expect(noControl(jsonProperties('/api/promises/{id}/withdraw').reason.pattern)).toBe(true);
  const publish = jsonProperties('/api/promises/{id}/follow-ups/{index}/publish');
  expect(noControl(publish.narrative.pattern)).toBe(true);
  expect(publish.crimeStatistics.pattern).toEqual(expect.any(String));
  const resolved = (schema: { $ref?: string }) => (schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop()!] : schema);
  const report = resolved(body('/api/promises/{id}/occurrences/{occurrenceId}/reports').content['application/json'].schema);
  const reportBody = resolved(report.properties?.report ?? report);
  const variants: { properties: { kind: { const?: string; enum?: string[] }; reason?: { pattern?: string } } }[] =
    reportBody.oneOf ?? reportBody.anyOf;
  const cancelled = variants.find((v) => v.properties.kind.const === 'CANCELLED' || v.properties.kind.enum?.includes('CANCELLED'))!;
  expect(noControl(cancelled.properties.reason!.pattern!)).toBe(true);

  const fingerprint = new RegExp(
    doc.paths['/verifiera'].get.parameters.find((p: { name: string }) => p.name === 'fingeravtryck').schema.pattern,
  );
  expect(['a'.repeat(64), ` ${'F'.repeat(64)} `, ''].every((f) => fingerprint.test(f))).toBe(true);
  expect(['a'.repeat(63), 'g'.repeat(64)].some((f) => fingerprint.test(f))).toBe(false);
  const verifyForm = body('/verifiera');
  expect(verifyForm.required).toBe(true);
  expect(Object.keys(verifyForm.content['multipart/form-data'].schema.properties)).toEqual(['fil', 'text', 'fingeravtryck']);
});
