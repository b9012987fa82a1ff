import type { Browser, BrowserContext } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { calendarKeyFor, newWebhookSecret, sealText } from '../domain/crypto';
import { joinOrganisation } from '../store/organisations';
import { decide } from '../api/commands';
import { findSigningAccess } from '../store/signing';
import { askForLink, appClient } from './support/app-client';
import { checkPage, htmlErrorsOfCheckedPages, launchBrowser, press, tabTo } from './support/browser';
import { eventually } from './support/eventually';
import { reportTokenFor } from './support/reports';
import { startApiTestbed, type ApiTestbed } from './support/http';
import { inComingYear, lessebo, signingToken, startingOn, subjectsStartingWith, today } from './support/promises';
import { signEveryRequest } from './support/signing';

// Every page the product serves, walked from its routes (issue 22): the list of pages is the
// server's own (each GET route that answers with a page), so a page added later is walked without
// anyone adding it here. Each route parameter is filled from the states below (a draft, a promise
// out for signing, an active one, a withdrawn one, links open, answered, closed and unknown); a
// route with a parameter no state fills fails the walk by name. Every page is checked in Swedish
// and English at 1280, 360 and 320 px (checkPage: axe, 44 px targets, no sideways scroll, a
// screenshot at 320 px), and its HTML by the Nu HTML Checker. The local mailbox is exempt.

const SARA = 'sara.sidor@lessebo.example';
let testbed: ApiTestbed;
let browser: Browser;

/** A state of the product that fills some route parameters; `under` keeps it to one kind of route. */
interface State {
  label: string;
  params: Record<string, string>;
  under?: string;
  /** The status its pages answer with, where the state decides it (a link open, void, unknown). */
  status?: number;
}
const states: State[] = [];
/** The signed promise whose fingerprint the check page is given. */
let verifiedPromise: string;
/** A signing link nobody opens in the walk, for signing by keyboard. */
let keyboardSigning: { token: string; name: string };

/** The signing links the promise's requests were sent with, as their tokens. */
async function signingTokensOf(promiseId: string): Promise<string[]> {
  const { db } = testbed.engine.database;
  const tokens: string[] = [];
  for (const mail of subjectsStartingWith(testbed.engine.mailbox.messages, 'Signera medborgarlöftet')) {
    const token = signingToken(mail);
    if ((await findSigningAccess(db, token))?.request.round.promiseId === promiseId) tokens.push(token);
  }
  return tokens;
}
/** A signing link of the promise whose round is `status` (OPEN by default), once it has been sent. */
const signingTokenOf = (promiseId: string, status = 'OPEN') =>
  eventually(async () => {
    const { db } = testbed.engine.database;
    for (const token of await signingTokensOf(promiseId)) {
      const access = await findSigningAccess(db, token);
      if (access?.request.round.status === status && !access.request.signature && !access.token.revokedAt) return { token, access };
    }
    throw new Error(`Ingen obesvarad länk i en ${status}-omgång för ${promiseId} än`);
  });

/** Reminds of an activity and gives the report link the e-mail carries. */
beforeAll(async () => {
  testbed = await startApiTestbed(SARA);
  browser = await launchBrowser();
  const api = testbed.coordinator;
  const create = async (content: unknown) => (await api.post('/api/promises', { content })).json.id as string;
  const statusOf = async (id: string) => (await api.get(`/api/promises/${id}`)).json.status as string;

  const { db } = testbed.engine.database;
  const draft = await create(inComingYear(lessebo()));

  // Out for signing, revised after one signature: that signature's link is void, the new round's open.
  const signingContent = { ...inComingYear(lessebo()), title: 'Trygg i butik, ute för signering' };
  const signing = await create(signingContent);
  await api.post(`/api/promises/${signing}/submit`, {});
  const signed = await signingTokenOf(signing);
  const { request } = signed.access;
  await decide(testbed.engine, request.round.workflowId, {
    signingRequestId: request.id,
    decision: 'SIGN',
    documentSha256: request.round.version.sha256,
    actor: { kind: 'SIGNATORY', id: request.signatoryId },
  });
  await api.put(`/api/promises/${signing}/content`, { content: { ...signingContent, goal: `${signingContent.goal} Reviderat.` } });
  await eventually(async () => expect((await api.get(`/api/promises/${signing}`)).json.signingRound).toMatchObject({ number: 2 }));
  const open = await signingTokenOf(signing);
  // Another link of the new round has run out.
  const expired = await eventually(async () => {
    const tokens = await signingTokensOf(signing);
    const other = (await Promise.all(tokens.map(async (token) => ({ token, access: await findSigningAccess(db, token) })))).find(
      ({ token, access }) => token !== open.token && access?.request.round.status === 'OPEN',
    );
    expect(other).toBeDefined();
    return other!;
  });
  await db.accessToken.updateMany({
    where: { purpose: 'SIGN', signingRequestId: expired.access!.request.id },
    data: { expiresAt: new Date(Date.now() - 1000) },
  });

  const withdrawn = await create({ ...inComingYear(lessebo()), title: 'Trygg i butik, återkallat' });
  await api.post(`/api/promises/${withdrawn}/submit`, {});
  const withdrawnLink = await signingTokenOf(withdrawn);
  await api.post(`/api/promises/${withdrawn}/withdraw`, { reason: 'Fel kommun.' });

  const active = await create(startingOn(lessebo(), today()));
  await api.post(`/api/promises/${active}/submit`, {});
  const answered = await signingTokenOf(active);
  await signEveryRequest(testbed.engine, active);
  await eventually(async () => expect(await statusOf(active)).toBe('ACTIVE'));

  // Report links of two activities: one open, one already reported through its link.
  const occurrences = (await api.get(`/api/promises/${active}/occurrences`)).json as { id: string; dueDate: string | null; kind: string }[];
  const [meeting, reported] = occurrences.filter((o) => o.kind !== 'PROGRESS_REPORT' && o.dueDate !== null);
  const reportToken = await reportTokenFor(testbed.engine, meeting!);
  const reportedToken = await reportTokenFor(testbed.engine, reported!);
  const report = await fetch(`${testbed.api.baseUrl}/report/${reportedToken}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ kind: 'DONE', performedOn: today(), description: 'Dialogmöte på torget.', submissionId: randomUUID() }),
  });
  expect(report.status).toBe(200);
  verifiedPromise = active;
  const untouched = (await signingTokensOf(signing)).filter((token) => token !== open.token && token !== expired.token);
  for (const token of untouched) {
    const access = await findSigningAccess(db, token);
    if (access?.request.round.status === 'OPEN' && !access.request.signature)
      keyboardSigning = { token, name: access.request.signatory.name };
  }
  // A BankID order the signatory cancelled: its page no longer reloads itself, so the walk can check it.
  const bankIdContent = inComingYear(lessebo());
  bankIdContent.title = 'Trygg i butik, med BankID';
  bankIdContent.signatories[0]!.signingMethod = 'BANKID';
  const withBankId = await create(bankIdContent);
  await api.post(`/api/promises/${withBankId}/submit`, {});
  const bankIdLink = await eventually(async () => {
    for (const token of await signingTokensOf(withBankId)) {
      const access = await findSigningAccess(db, token);
      if (access?.request.signatory.signingMethod === 'BANKID') return token;
    }
    throw new Error('Ingen BankID-länk än');
  });
  const started = await fetch(`${testbed.api.baseUrl}/sign/${bankIdLink}/bankid`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({
      device: 'other',
      documentSha256: (await api.get(`/api/promises/${withBankId}`)).json.currentVersion.sha256,
    }),
  });
  const orderId = /\/bankid\/([0-9a-f-]{36})/.exec(started.headers.get('location')!)![1]!;
  await eventually(async () => expect((await db.bankIdOrder.findUniqueOrThrow({ where: { id: orderId } })).status).toBe('PENDING'));
  await fetch(`${testbed.api.baseUrl}/sign/${bankIdLink}/bankid/${orderId}/avbryt`, { method: 'POST', redirect: 'manual' });
  await eventually(async () => expect((await db.bankIdOrder.findUniqueOrThrow({ where: { id: orderId } })).status).toBe('CANCELLED'));

  // A webhook receiver of Sara's municipality with a delivery that arrived and one that failed.
  const sara = await db.coordinator.findUniqueOrThrow({ where: { email: SARA } });
  const municipality = await joinOrganisation(db, sara.id, { kind: 'MUNICIPALITY', name: 'Lessebo' });
  const endpoint = await db.webhookEndpoint.create({
    data: {
      organisationId: municipality.id,
      url: 'https://diariet.lessebo.example/medborgarloften/handelser',
      description: 'Kommunens diarium',
      events: ['promise.activated', 'report.added'],
      secretSealed: sealText(testbed.engine.activityDeps.linkSecret, newWebhookSecret()),
    },
  });
  const lastAttemptAt = new Date();
  await db.webhookDelivery.createMany({
    data: [
      {
        id: `msg_${randomUUID()}`,
        status: 'DELIVERED' as const,
        lastStatusCode: 204,
        deliveredAt: lastAttemptAt,
        eventType: 'promise.activated',
      },
      {
        id: `msg_${randomUUID()}`,
        status: 'FAILED' as const,
        lastStatusCode: 410,
        lastError: 'svarade 410: Gone',
        eventType: 'report.added',
      },
    ].map((delivery) => ({ ...delivery, endpointId: endpoint.id, promiseId: active, payload: {}, attempts: 1, lastAttemptAt })),
  });

  const signInToken = (await askForLink(testbed, appClient(testbed.api.baseUrl), SARA)).split('/').pop()!;
  const unknownToken = 'x'.repeat(43);

  states.push(
    { label: 'utkast', params: { id: draft } },
    { label: 'signering', params: { id: signing } },
    { label: 'aterkallat', params: { id: withdrawn } },
    { label: 'aktivt', params: { id: active, occurrenceId: meeting!.id, index: '1', kommun: 'lessebo' } },
    { label: 'okant', params: { id: randomUUID(), occurrenceId: randomUUID(), index: '9', kommun: 'ingen-sadan-kommun' } },
    { label: 'versaler', params: { kommun: 'Lessebo' } },
    { label: 'oppen', params: { token: open.token }, under: '/sign/', status: 200 },
    { label: 'ogiltig-efter-revidering', params: { token: signed.token }, under: '/sign/', status: 410 },
    { label: 'utgangen', params: { token: expired.token }, under: '/sign/', status: 410 },
    { label: 'besvarad', params: { token: answered.token }, under: '/sign/', status: 200 },
    { label: 'aterkallad', params: { token: withdrawnLink.token }, under: '/sign/', status: 410 },
    { label: 'oppen', params: { token: reportToken }, under: '/report/', status: 200 },
    { label: 'rapporterad', params: { token: reportedToken }, under: '/report/', status: 200 },
    { label: 'oppen', params: { token: signInToken }, under: '/logga-in/', status: 200 },
    { label: 'bankid-avbruten', params: { token: bankIdLink, orderId }, under: '/sign/', status: 200 },
    { label: 'okand', params: { token: unknownToken }, status: 404 },
    {
      label: 'kontaktperson',
      params: { promiseId: active, key: calendarKeyFor(testbed.engine.activityDeps.linkSecret, active, 'lars.altgard@lessebo.example') },
      under: '/kalender/',
      status: 200,
    },
    { label: 'okand', params: { promiseId: active, key: unknownToken }, under: '/kalender/', status: 404 },
    { label: 'mottagare', params: { endpointId: endpoint.id }, under: '/app/webhooks/', status: 200 },
    { label: 'okand', params: { endpointId: randomUUID() }, under: '/app/webhooks/', status: 404 },
  );
});
afterAll(async () => {
  await browser?.close();
  await testbed?.stop();
});

const parametersOf = (path: string) => [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
const filled = (path: string, params: Record<string, string>) =>
  path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name]!));
/** A screenshot's name: the path's words and the state. */
const nameOf = (lang: string, path: string, label: string) =>
  [lang, ...path.split('/').filter((part) => part && !part.startsWith(':')), label].join('-').replace(/[^a-z0-9-]/gi, '_');

/** Each page route with the states that fill its parameters (the language is the walk's own). */
function walkOf(lang: string) {
  const pages = testbed.api.app.pagePaths.filter((path) => !path.startsWith('/dev/'));
  return pages.map((path) => {
    const wanted = parametersOf(path);
    const fitting = [{ label: lang, params: { lang } } as State, ...states].filter(
      (state) => (!state.under || path.startsWith(state.under)) && wanted.every((name) => name in state.params),
    );
    return {
      path,
      visits:
        wanted.length === 0
          ? [{ label: '', url: path, status: undefined }]
          : fitting.map((s) => ({ label: s.label, url: filled(path, s.params), status: s.status })),
    };
  });
}

async function signedIn(context: BrowserContext) {
  const page = await context.newPage();
  const base = testbed.api.baseUrl;
  await page.goto(`${base}/logga-in`);
  await page.fill('#email', SARA);
  const before = testbed.engine.mailbox.messages.length;
  await press(page, 'main button[type=submit]');
  const link = await eventually(() => {
    const mail = testbed.engine.mailbox.messages.slice(before).find((m) => m.to.includes(SARA));
    expect(mail).toBeDefined();
    return /\/logga-in\/[A-Za-z0-9_-]{43}/.exec(mail!.text)![0];
  });
  await page.goto(`${base}${link}`);
  await press(page, 'main button[type=submit]');
  await page.close();
}

test('the walk reaches every page route: each parameter has a state that fills it', () => {
  const paths = testbed.api.app.pagePaths;
  // The server's own list: the routes of people's pages, link pages among them.
  expect(paths).toEqual(expect.arrayContaining(['/', '/app', '/loften/:id', '/sign/:token', '/report/:token', '/verifiera']));
  for (const lang of ['sv', 'en']) {
    expect(
      walkOf(lang)
        .filter(({ visits }) => visits.length === 0)
        .map(({ path }) => path),
    ).toEqual([]);
  }
});

test.each(['sv', 'en'])(
  'every page in every state passes at 1280, 360 and 320 px (%s)',
  async (lang) => {
    const base = testbed.api.baseUrl;
    // The coordinator's pages with a session, everyone else's without one.
    const contexts = { app: await browser.newContext({ bypassCSP: true }), others: await browser.newContext({ bypassCSP: true }) };
    await signedIn(contexts.app);
    for (const context of Object.values(contexts)) {
      const page = await context.newPage();
      await page.goto(`${base}/sprak/${lang}`);
      await page.close();
    }
    const seen: string[] = [];
    for (const { path, visits } of walkOf(lang)) {
      const page = await (path.startsWith('/app') ? contexts.app : contexts.others).newPage();
      await page.setViewportSize({ width: 1280, height: 900 });
      for (const { label, url, status } of visits) {
        // A calendar is for a calendar program (a browser would download it): fetched as one fetches it.
        if (path.endsWith('.ics')) {
          const calendar = await page.request.get(`${base}${url}`);
          if (calendar.headers()['content-type']?.startsWith('text/calendar')) {
            expect({ url, status: calendar.status(), begins: (await calendar.text()).slice(0, 15) }).toEqual({
              url,
              status: 200,
              begins: 'BEGIN:VCALENDAR',
            });
            continue;
          }
        }
        const response = await page.goto(`${base}${url}`);
        if (status) expect({ url, status: response?.status() }).toEqual({ url, status });
        const type = response?.headers()['content-type'] ?? '';
        // A PDF, a feed or open data is a file for a reader or a program, not a page (its route answers
        // with pages only when it fails): opened in the browser it is what it says it is, and a feed
        // leads to its page, which the walk checks.
        if (!type.startsWith('text/html')) {
          expect({ url, status: response?.status() }).toEqual({ url, status: 200 });
          // The file itself (a browser's PDF viewer stands between the navigation and the bytes).
          const body = (await (await page.request.get(`${base}${url}`)).body()).toString('utf8');
          if (type.startsWith('application/pdf')) expect(body.startsWith('%PDF-1.7')).toBe(true);
          else if (type.startsWith('application/atom+xml'))
            expect(body).toMatch(/<feed[^>]*>[\s\S]*<link[^>]*rel="alternate"[^>]*href="http/);
          else expect(() => JSON.parse(body)).not.toThrow();
          continue;
        }
        expect({ url, lang: await page.getAttribute('html', 'lang') }).toEqual({ url, lang });
        await checkPage(page, `sidor-${nameOf(lang, path, label)}`);
        seen.push(`${url} ${response?.status()}`);
      }
      await page.close();
    }
    expect(seen.length).toBeGreaterThan(20);

    // What /verifiera answers: a fingerprint that matches a signed promise, one that matches none, and one that is no fingerprint.
    const page = await contexts.others.newPage();
    const sha256 = (await testbed.coordinator.get(`/api/promises/${verifiedPromise}`)).json.currentVersion.sha256 as string;
    for (const [label, fingerprint] of [
      ['stammer', sha256],
      ['okant', 'a'.repeat(64)],
      ['felaktigt', 'inte ett fingeravtryck'],
    ]) {
      await page.goto(`${base}/verifiera`);
      await page.fill('#fingeravtryck', fingerprint!);
      await press(page, 'main button[type=submit]');
      await checkPage(page, `sidor-${lang}-verifiera-svar-${label}`);
    }
    await page.close();
    for (const context of Object.values(contexts)) await context.close();
    // Every page the routes have, in every state, at three widths: it grows with the product (some
    // 70 s alone, several times that beside the other suites on two cores), so it gets more than the default wait.
  },
  480_000,
);

test('signing by keyboard alone: every step is reached with Tab, and the focus lands where the step goes on', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim());
  await page.goto(`${testbed.api.baseUrl}/sign/${keyboardSigning.token}`);
  // The first Tab reaches the skip link, which leads past the header to the content.
  await page.keyboard.press('Tab');
  expect(await focused()).toBe('Hoppa till innehållet');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('main') !== null)).toBe(true);
  // Declining without a reason: the page comes back with the focus on the reason, its problem beside it.
  await tabTo(page, 'button[value=DECLINE]');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  expect(await focused()).toBe('reason');
  expect(await page.getAttribute('#reason', 'aria-describedby')).toContain('reason-problem');
  // On to signing: the link to the second step, then the one button that signs, by name.
  await tabTo(page, 'a[href*="/bekrafta"]');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  expect(await page.textContent('h1')).toBe('Bekräfta din signatur');
  await tabTo(page, 'button[value=SIGN]');
  expect(await focused()).toBe(`Signera som ${keyboardSigning.name}`);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  expect(await page.textContent('h1')).toBe('Tack för din signatur');
  const access = await findSigningAccess(testbed.engine.database.db, keyboardSigning.token);
  expect(access?.request.signature?.decision).toBe('SIGNED');
  await context.close();
});

test('every page walked is valid HTML (Nu HTML Checker)', async () => {
  expect(await htmlErrorsOfCheckedPages()).toEqual([]);
});
