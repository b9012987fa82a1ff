import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { sha256Hex } from '../domain/crypto';
import { DEFAULT_SETTINGS } from '../domain/default-settings';
import { createCoordinator } from '../store/coordinators';
import { createDraft } from '../store/promises';
import { createDraftOf, inComingYear, lessebo } from './support/promises';
import { joinOrganisation } from '../store/organisations';
import { startApiTestbed, type ApiTestbed } from './support/http';
import { eventually } from './support/eventually';
import { appClient, askForLink as askForSignInLink, csrfOf, signIn as signInAs, type AppClient } from './support/app-client';

// The coordinator in the browser: a sign-in link by e-mail (confirmed with a button, used once,
// working for a while), a session cookie, CSRF tokens on forms, signing out, and the session's
// idle and absolute limits. Driven as a browser would, cookies kept between requests.

let testbed: ApiTestbed;
const SARA = 'sara.samordnare@lessebo.example';
const browser = () => appClient(testbed.api.baseUrl);
const askForLink = (b: AppClient, email: string, recipient?: string) => askForSignInLink(testbed, b, email, recipient);
const signIn = (b: AppClient, email = SARA) => signInAs(testbed, b, email);

beforeAll(async () => {
  testbed = await startApiTestbed(SARA);
});
afterAll(async () => {
  await testbed?.stop();
});

test('a coordinator asks for a link, confirms it, and sees their own promises; an unknown address gets the same answer and no e-mail', async () => {
  const { db } = testbed.engine.database;
  const own = await db.coordinator.findUniqueOrThrow({ where: { email: SARA } });
  const actor = { kind: 'COORDINATOR' as const, id: own.id };
  await createDraft(db, { content: inComingYear(lessebo()), settings: DEFAULT_SETTINGS, coordinatorId: own.id, actor });
  await createDraftOf(db, { ...inComingYear(lessebo()), title: 'Någon annans löfte' }, DEFAULT_SETTINGS);

  const b = browser();
  const page = await b.get('/logga-in');
  expect(page.status).toBe(200);
  expect(page.text).toContain('<html lang="sv">');
  const before = testbed.engine.mailbox.messages.length;
  const unknown = await b.post('/logga-in', { email: 'ingen@okand.example', _csrf: csrfOf(page.text) });
  expect(unknown.status).toBe(200);
  expect(unknown.text).toContain('Om ingen@okand.example hör till en samordnare');
  // Typed as people type it: the case of an address does not matter.
  const link = await askForLink(b, ' Sara.Samordnare@Lessebo.example ', SARA);
  expect(testbed.engine.mailbox.messages.slice(before).map((m) => m.to)).toEqual([[SARA]]);

  const confirm = await b.get(link);
  expect(confirm.status).toBe(200);
  expect(confirm.text).toContain('Du loggar in som Sara Samordnare.');
  // The language switch does not carry the link's key along.
  expect(confirm.text).toContain('href="/sprak/en?tillbaka=%2Flogga-in"');
  const done = await b.post(link, { _csrf: csrfOf(confirm.text) });
  expect(done).toMatchObject({ status: 303, location: '/app' });
  const dashboard = await b.get('/app');
  expect(dashboard.status).toBe(200);
  expect(dashboard.text).toContain('Inloggad som Sara Samordnare');
  expect(dashboard.text).toContain('Trygg i butik i Lessebo kommun');
  expect(dashboard.text).not.toContain('Någon annans löfte');
  expect(dashboard.headers.get('cache-control')).toBe('no-store');
});

test('the link works once, and not after it expires; opening it (as a mail scanner does) does not use it', async () => {
  const b = browser();
  const link = await askForLink(b, SARA);
  for (let i = 0; i < 3; i++) expect((await b.get(link)).status).toBe(200);
  const confirm = await b.get(link);
  expect((await b.post(link, { _csrf: csrfOf(confirm.text) })).status).toBe(303);
  const again = browser();
  const used = await again.get(link);
  expect(used.status).toBe(410);
  expect(used.text).toContain('Länken är redan använd');

  const late = await askForLink(browser(), SARA);
  await testbed.engine.database.db.signInLink.update({
    where: { tokenHash: sha256Hex(late.split('/').pop()!) },
    data: { expiresAt: new Date(Date.now() - 1000) },
  });
  const c = browser();
  const expired = await c.get(late);
  expect(expired.status).toBe(410);
  expect(expired.text).toContain('Länken har gått ut');
  expect((await c.get('/logga-in/' + 'x'.repeat(43))).status).toBe(404);
});

test('the session is a __Host- cookie, Secure, HttpOnly and SameSite=Lax; without one the app sends you to sign in', async () => {
  const b = browser();
  const signedOut = await b.get('/app');
  expect(signedOut).toMatchObject({ status: 303, location: '/logga-in?utloggad=1' });
  await signIn(b);
  const session = b.setCookies.find((c) => c.startsWith('__Host-session='))!;
  expect(session).toMatch(/; Path=\//);
  expect(session).toMatch(/; HttpOnly/);
  expect(session).toMatch(/; Secure/);
  expect(session).toMatch(/; SameSite=Lax/);
  expect(session).not.toMatch(/Domain=/i);
  // Only the hash is stored.
  const value = b.cookies.get('__Host-session')!;
  expect(await testbed.engine.database.db.coordinatorSession.count({ where: { tokenHash: sha256Hex(value) } })).toBe(1);
  expect(await testbed.engine.database.db.coordinatorSession.count({ where: { tokenHash: value } })).toBe(0);
});

test('a form without its CSRF token, or with another one, is refused and changes nothing; signing out ends the session for good', async () => {
  const b = browser();
  await signIn(b);
  const dashboard = await b.get('/app');
  const token = b.cookies.get('__Host-session')!;
  for (const form of [{}, { _csrf: 'fel' }] as Record<string, string>[]) {
    const refused = await b.post('/logga-ut', form);
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Formuläret kom inte från den här webbplatsen');
  }
  expect((await b.get('/app')).status).toBe(200);

  const out = await b.post('/logga-ut', { _csrf: csrfOf(dashboard.text) });
  expect(out).toMatchObject({ status: 303, location: '/logga-in' });
  expect(b.cookies.has('__Host-session')).toBe(false);
  // The old cookie, kept by someone, opens nothing.
  b.cookies.set('__Host-session', token);
  expect((await b.get('/app')).status).toBe(303);
});

test('a session ends after two idle hours, and after twelve hours however busy', async () => {
  const { db } = testbed.engine.database;
  const idle = browser();
  await signIn(idle);
  const idleHash = sha256Hex(idle.cookies.get('__Host-session')!);
  await db.coordinatorSession.update({ where: { tokenHash: idleHash }, data: { lastSeenAt: new Date(Date.now() - 2 * 3_600_000 - 1000) } });
  expect((await idle.get('/app')).status).toBe(303);

  const busy = browser();
  await signIn(busy);
  const busyHash = sha256Hex(busy.cookies.get('__Host-session')!);
  await db.coordinatorSession.update({
    where: { tokenHash: busyHash },
    data: { createdAt: new Date(Date.now() - 12 * 3_600_000 + 60_000) },
  });
  expect((await busy.get('/app')).status).toBe(200);
  await db.coordinatorSession.update({ where: { tokenHash: busyHash }, data: { createdAt: new Date(Date.now() - 12 * 3_600_000 - 1000) } });
  expect((await busy.get('/app')).status).toBe(303);
});

test('Swedish first; the switch gives the same page in English and comes back to it', async () => {
  const b = browser();
  await signIn(b);
  const switched = await b.get('/sprak/en?tillbaka=%2Fapp');
  expect(switched).toMatchObject({ status: 303, location: '/app' });
  const english = await b.get('/app');
  expect(english.text).toContain('<html lang="en">');
  expect(english.text).toContain('My citizen promises');
  expect(english.text).toContain('href="/sprak/sv?tillbaka=%2Fapp"');
  for (const elsewhere of ['%2F%2Fevil.example', '%2F%5Cevil.example', 'https%3A%2F%2Fevil.example']) {
    expect((await b.get(`/sprak/en?tillbaka=${elsewhere}`)).location).toBe('/app');
  }
  expect((await b.get('/sprak/fr')).status).toBe(400);
});

test('the invited coordinator of another municipality signs in to their own, empty, start page', async () => {
  await createCoordinator(testbed.engine.database.db, { name: 'Olle Åstorp', email: 'olle@astorp.example' });
  const b = browser();
  await signIn(b, 'olle@astorp.example');
  const page = await b.get('/app');
  expect(page.text).toContain('Du har inga medborgarlöften än.');
});

test('npm run coordinator:invite e-mails a link that works for a week; without SMTP it prints the link', async () => {
  // Run as its own process, asynchronously: the test's mailbox answers in this one.
  const invite = (env: Record<string, string>) =>
    promisify(execFile)(
      join(__dirname, '..', 'node_modules', '.bin', 'tsx'),
      [
        join(__dirname, '..', 'scripts', 'invite-coordinator.ts'),
        ...['--name', 'Karin Kommunpolis', '--email', 'karin@polisen.example', '--polisomrade', 'Lokalpolisområde Nybro'],
      ],
      {
        env: { PATH: process.env.PATH, DATABASE_URL: testbed.engine.database.url, PUBLIC_BASE_URL: 'http://localhost:3000', ...env },
        timeout: 60_000,
      },
    );
  const before = testbed.engine.mailbox.messages.length;
  const sent = await invite({ SMTP_URL: testbed.engine.mailbox.smtpUrl, MAIL_FROM: 'Medborgarlöften <noreply@kommunen.example>' });
  expect(sent.stderr).toBe('');
  expect(sent.stdout).toContain('Karin Kommunpolis samordnar för Lokalpolisområde Nybro.');
  expect(sent.stdout).toContain('Inbjudan skickad till Karin Kommunpolis <karin@polisen.example> (länken gäller i 7 dagar)');
  const mail = await eventually(() => {
    const found = testbed.engine.mailbox.messages.slice(before).find((m) => m.to.includes('karin@polisen.example'));
    expect(found).toBeDefined();
    return found!;
  });
  expect(mail.subject).toBe('Du är inbjuden som samordnare i Medborgarlöften');
  const link = /http:\/\/localhost:3000(\/logga-in\/[A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
  const { db } = testbed.engine.database;
  const stored = await db.signInLink.findUniqueOrThrow({ where: { tokenHash: sha256Hex(link.split('/').pop()!) } });
  expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBeGreaterThan(7 * 86_400_000 - 60_000);
  const b = browser();
  const confirm = await b.get(link);
  expect(confirm.text).toContain('Du loggar in som Karin Kommunpolis.');
  expect((await b.post(link, { _csrf: csrfOf(confirm.text) })).status).toBe(303);

  // Invited again, without a relay: the same coordinator, and a link to pass on by hand.
  const printed = await invite({});
  expect(printed.stdout).toMatch(/SMTP_URL saknas[\s\S]*http:\/\/localhost:3000\/logga-in\/[A-Za-z0-9_-]{43}/);
  expect(await db.coordinator.count({ where: { email: 'karin@polisen.example' } })).toBe(1);
  expect(await db.coordinatorCredential.count({ where: { coordinator: { email: 'karin@polisen.example' } } })).toBe(0);
  expect(await db.organisationMember.count({ where: { coordinator: { email: 'karin@polisen.example' } } })).toBe(1);
});

test('a coordinator invites a colleague into their organisation from the web app; the invitation is audited and can be taken back', async () => {
  const { db } = testbed.engine.database;
  const sara = await db.coordinator.findUniqueOrThrow({ where: { email: SARA } });
  const organisation = await joinOrganisation(db, sara.id, { kind: 'MUNICIPALITY', name: 'Lessebo' });
  const elsewhere = await db.organisation.create({ data: { kind: 'MUNICIPALITY', name: 'Annanstans' } });
  await createDraftOf(db, { ...inComingYear(lessebo()), title: 'Lessebos gemensamma löfte' }, DEFAULT_SETTINGS);
  const b = browser();
  await signIn(b);
  const page = await b.get('/app/kollegor');
  expect(page.status).toBe(200);
  expect(page.text).toContain('Samordnare för Lessebo');
  const csrf = csrfOf(page.text);

  const invite = (fields: Record<string, string>) => b.post('/app/kollegor', { organisationId: organisation.id, _csrf: csrf, ...fields });

  const bad = await invite({ name: ' ', email: 'inte en adress', phone: '' });
  expect(bad.status).toBe(400);
  expect(bad.text).toContain('<span class="field-problem" id="email-problem">ska vara en giltig e-postadress</span>');
  expect(bad.text).toContain('<span class="field-problem" id="name-problem">ange namnet</span>');
  const foreign = await invite({ organisationId: elsewhere.id, name: 'Kalle', email: 'kalle@lessebo.example' });
  expect(foreign.status).toBe(404);
  expect(await db.coordinator.count({ where: { email: 'kalle@lessebo.example' } })).toBe(0);

  const before = testbed.engine.mailbox.messages.length;
  const invited = await invite({ name: 'Kalle Kollega', email: 'kalle@lessebo.example', phone: '' });
  expect(invited.status).toBe(200);
  expect(invited.text).toContain('Kalle Kollega är inbjuden och har fått en inloggningslänk med e-post (den gäller i 7 dagar).');
  const mail = await eventually(() => {
    const found = testbed.engine.mailbox.messages.slice(before).find((m) => m.to.includes('kalle@lessebo.example'));
    expect(found).toBeDefined();
    return found!;
  });
  expect(mail.text).toContain('Sara Samordnare har bjudit in dig som samordnare för Lessebo');
  const kalle = await db.coordinator.findUniqueOrThrow({ where: { email: 'kalle@lessebo.example' } });
  const audit = await db.auditEvent.findMany({ where: { action: { in: ['COORDINATOR_INVITED', 'COORDINATOR_REMOVED'] } } });
  expect(audit.map((a) => [a.action, a.actor, a.details])).toEqual([
    [
      'COORDINATOR_INVITED',
      `COORDINATOR:${sara.id}`,
      { organisationId: organisation.id, organisation: 'Lessebo', coordinatorId: kalle.id },
    ],
  ]);
  const again = await invite({ name: 'Kalle', email: 'KALLE@lessebo.example' });
  expect(again.status).toBe(409);
  expect(again.text).toContain('Kalle Kollega är redan samordnare för Lessebo.');

  // Kalle signs in with the link and runs the organisation's promises.
  const colleague = browser();
  const link = /http:\/\/localhost:\d+(\/logga-in\/[A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
  const confirm = await colleague.get(link);
  expect((await colleague.post(link, { _csrf: csrfOf(confirm.text) })).status).toBe(303);
  expect((await colleague.get('/app')).text).toContain('Lessebos gemensamma löfte');
  const unused = await askForLink(browser(), 'kalle@lessebo.example');

  // Taken back: Kalle is out of Lessebo, signed out, and the link not yet used no longer works.
  const listed = await b.get('/app/kollegor');
  expect(listed.text).toContain('Ta tillbaka inbjudan till Kalle Kollega');
  expect(listed.text).not.toContain('Ta tillbaka inbjudan till Sara');
  const removed = await b.post(`/app/kollegor/${organisation.id}/${kalle.id}/ta-bort`, { _csrf: csrf });
  expect(removed.status).toBe(200);
  expect(removed.text).toContain('Kalle Kollega är inte längre samordnare för Lessebo.');
  expect((await colleague.get('/app')).status).toBe(303);
  expect((await browser().get(unused)).status).toBe(410);
  expect(await db.auditEvent.count({ where: { action: 'COORDINATOR_REMOVED', actor: `COORDINATOR:${sara.id}` } })).toBe(1);
  expect((await b.post(`/app/kollegor/${organisation.id}/${kalle.id}/ta-bort`, { _csrf: csrf })).status).toBe(404);
  expect((await b.post(`/app/kollegor/${organisation.id}/${sara.id}/ta-bort`, { _csrf: csrf })).status).toBe(404);
});

test('npm run coordinator:invite says how to invite a colleague under npm start, in one line, when it cannot reach a database', async () => {
  const run = (env: Record<string, string>) =>
    promisify(execFile)(
      join(__dirname, '..', 'node_modules', '.bin', 'tsx'),
      [
        join(__dirname, '..', 'scripts', 'invite-coordinator.ts'),
        '--name',
        'Karin',
        '--email',
        'karin@lessebo.example',
        '--kommun',
        'Lessebo',
      ],
      { env: { PATH: process.env.PATH, PUBLIC_BASE_URL: 'http://localhost:3000', ...env }, timeout: 60_000 },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
  const withoutUrl = await run({});
  expect(withoutUrl.code).toBe(1);
  expect(withoutUrl.stderr.trim().split('\n')).toEqual([
    '✗ DATABASE_URL saknas: ange PostgreSQL-databasen (ägarrollens adress, som för db:migrate). Under npm start bjuder du in en kollega i webbappen: http://localhost:3000/app/kollegor.',
  ]);
  // A database that takes no more connections (npm start's embedded one), or none at all: the same advice, no stack trace.
  const refused = await run({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/postgres' });
  expect(refused.code).toBe(1);
  expect(refused.stderr.trim().split('\n')).toHaveLength(1);
  expect(refused.stderr).toMatch(/^✗ Databasen på DATABASE_URL svarar inte \(.+\)\. Under npm start bjuder du in en kollega i webbappen/);
});

test('API keys on the settings page: made once and shown once, working on the API, revoked for good; only one’s own', async () => {
  const b = browser();
  await signIn(b);
  const page = await b.get('/app/api-nycklar');
  expect(page.status).toBe(200);
  const empty = await b.post('/app/api-nycklar', { label: ' ', _csrf: csrfOf(page.text) });
  expect(empty.status).toBe(400);
  expect(empty.text).toContain('skriv vad nyckeln är till');
  const made = await b.post('/app/api-nycklar', { label: 'Kommunens ärendesystem', _csrf: csrfOf(page.text) });
  expect(made.status).toBe(200);
  const key = /<p class="hash">([A-Za-z0-9_-]{43})<\/p>/.exec(made.text)![1]!;
  const api = (token: string) => fetch(`${testbed.api.baseUrl}/api/promises`, { headers: { authorization: `Bearer ${token}` } });
  const row = (html: string) => /<td>Kommunens ärendesystem<\/td><td>[^<]+<\/td><td>([^<]+)<\/td>/.exec(html)?.[1];
  expect(row((await b.get('/app/api-nycklar')).text)).toBe('aldrig');
  expect((await api(key)).status).toBe(200);
  // Listed without the key itself, with when it was last used.
  const listed = await b.get('/app/api-nycklar');
  expect(row(listed.text)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  expect(listed.text).not.toContain(key);

  const { db } = testbed.engine.database;
  const stored = await db.coordinatorCredential.findUniqueOrThrow({ where: { tokenHash: sha256Hex(key) } });
  // Noted at most once an hour: a busy integration costs no write per call.
  expect((await api(key)).status).toBe(200);
  expect((await db.coordinatorCredential.findUniqueOrThrow({ where: { id: stored.id } })).lastUsedAt).toEqual(stored.lastUsedAt);
  // Another coordinator cannot revoke it.
  await createCoordinator(db, { name: 'Olle Åstorp', email: 'olle.nycklar@astorp.example' });
  const other = browser();
  await signIn(other, 'olle.nycklar@astorp.example');
  const otherPage = await other.get('/app/api-nycklar');
  expect((await other.post(`/app/api-nycklar/${stored.id}/aterkalla`, { _csrf: csrfOf(otherPage.text) })).status).toBe(404);
  expect((await api(key)).status).toBe(200);

  const revoked = await b.post(`/app/api-nycklar/${stored.id}/aterkalla`, { _csrf: csrfOf(listed.text) });
  expect(revoked.status).toBe(200);
  expect(revoked.text).toContain('Nyckeln &quot;Kommunens ärendesystem&quot; är återkallad');
  expect(revoked.text).toContain('href="/sprak/en?tillbaka=%2Fapp"');
  expect((await api(key)).status).toBe(401);
});

test('each promise has its page: facts, fingerprint, the text; what needs attention comes first on the start page; others are not found', async () => {
  const { db } = testbed.engine.database;
  const sara = await db.coordinator.findUniqueOrThrow({ where: { email: SARA } });
  const actor = { kind: 'COORDINATOR' as const, id: sara.id };
  const { promise } = await createDraft(db, {
    content: { ...inComingYear(lessebo()), title: 'Löftet som behöver åtgärdas' },
    settings: DEFAULT_SETTINGS,
    coordinatorId: sara.id,
    actor,
  });
  await db.promiseRecord.update({
    where: { id: promise.id },
    data: { attentionReason: 'E-posten till relät misslyckades.', attentionSince: new Date() },
  });
  await createDraft(db, {
    content: { ...inComingYear(lessebo()), title: 'Ett nyare löfte' },
    settings: DEFAULT_SETTINGS,
    coordinatorId: sara.id,
    actor,
  });

  const b = browser();
  await signIn(b);
  const start = await b.get('/app');
  const titles = [...start.text.matchAll(/<a href="\/app\/loften\/[0-9a-f-]{36}">([^<]+)<\/a>/g)].map((m) => m[1]);
  expect(titles[0]).toBe('Löftet som behöver åtgärdas');
  expect(titles[1]).toBe('Ett nyare löfte');
  expect(start.text).toContain('Behöver åtgärdas: ');

  const page = await b.get(`/app/loften/${promise.id}`);
  expect(page.status).toBe(200);
  const version = await db.documentVersion.findFirstOrThrow({ where: { promiseId: promise.id } });
  expect(page.text).toContain(version.sha256);
  expect(page.text).toContain('Löftet har inte skickats för signering än.');
  expect(page.text).toContain(lessebo().priorityAreas[0]!.commitments[0]!.text);
  expect(page.text).toContain('<td>Sara Samordnare</td><td>Utkastet skapades</td>');

  await createCoordinator(db, { name: 'Olle Åstorp', email: 'olle.sidor@astorp.example' });
  const stranger = browser();
  await signIn(stranger, 'olle.sidor@astorp.example');
  const hidden = await stranger.get(`/app/loften/${promise.id}`);
  expect(hidden.status).toBe(404);
  expect(hidden.text).not.toContain('Löftet som behöver åtgärdas');
});
