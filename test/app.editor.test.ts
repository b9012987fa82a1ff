import { PromiseContentSchema } from '../domain/content';
import { expandSchedule } from '../domain/schedule';
import { createCoordinator } from '../store/coordinators';
import { contentFromForm, type FormFields } from '../api/forms/promise-form';
import { appClient, csrfOf, formFieldsOf, signIn, startAppTestbed, type AppClient } from './support/app-client';
import type { ApiTestbed } from './support/http';
import { fixture, inComingYear, lessebo } from './support/promises';
import { eventually } from './support/eventually';
import { signEveryRequest } from './support/signing';

// The promise editor in the web app: every field of the content model in a form that posts itself
// back to add and remove rows, problems beside their fields, the year's schedule previewed, and
// saving through the same calls as the API.

const SARA = 'sara.editor@lessebo.example';
let testbed: ApiTestbed;
let sara: AppClient;

beforeAll(async () => {
  ({ testbed, browser: sara } = await startAppTestbed(SARA));
});
afterAll(async () => {
  await testbed?.stop();
});

/** The pairs as the server hands them to the route: a repeated name becomes a list. */
function asFormFields(pairs: [string, string][]): FormFields {
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of pairs) {
    const had = fields[name];
    fields[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
  }
  return fields;
}

test.each(['lessebo-2020', 'ljungby-2021', 'astorp-2023-2025'] as const)(
  'the form carries every field of %s as the API takes it',
  (name) => {
    const content = { ...fixture(name), commitmentsIntro: 'Så kom löftet till.' };
    expect(PromiseContentSchema.parse(contentFromForm(asFormFields(formFieldsOf(content))))).toEqual(content);
  },
);

/** Posts the editor at `path` with the given fields and button. */
async function press(path: string, action: string, fields: [string, string][] = []) {
  const form = await sara.get(path.startsWith('/app/loften/ny') ? '/app/loften/ny' : path);
  expect(form.status).toBe(200);
  return sara.post(path, [['_csrf', csrfOf(form.text)], ['_action', action], ...fields]);
}

const lesseboFields = () => formFieldsOf(inComingYear(lessebo()));

test('a blank form saved shows each problem beside its field and in a summary that links to it; nothing is stored', async () => {
  const before = await testbed.coordinator.get('/api/promises');
  // What the blank form posts when nothing is typed into it.
  const answer = await press('/app/loften/ny', 'save', [
    ['renewal', 'ANNUAL'],
    ['parties.0.kind', 'MUNICIPALITY'],
    ['parties.1.kind', 'POLICE'],
    ['signatories.0.signingGroup', '1'],
    ['priorityAreas.0.commitments.0.shape.kind', 'COUNT_PER_PERIOD'],
    ['priorityAreas.0.commitments.0.shape.period', 'YEAR'],
  ]);
  expect(answer.status).toBe(400);
  expect(answer.text).toContain('<a href="#title">Rubrik</a>: saknas');
  expect(answer.text).toMatch(
    /<span class="field-problem" id="title-problem">saknas<\/span><input id="title" name="title"[^>]*aria-describedby="title-problem"[^>]*aria-invalid="true"/,
  );
  expect(answer.text).toContain('<a href="#parties.0.name">Part 1 › Namn</a>');
  expect(answer.text).toContain('<a href="#priorityAreas.0.commitments.0.text">Fokusområde 1 › Löfte 1 › Vad som ska göras</a>');
  expect((await testbed.coordinator.get('/api/promises')).json).toEqual(before.json);
});

test("on an English page the problems are in English: zod's own words and the product's own", async () => {
  const broken = new Map<string, string>([
    ['title', ''],
    ['priorityAreas.0.commitments.6.shape.count', 'två'],
    ['signatories.0.email', 'inte-en-adress'],
    ['parties.0.key', 'Stora Bokstäver'],
    ['parties.1.name', 'Lessebo kommun '.repeat(40)],
  ]);
  const fields = lesseboFields().map(([name, value]): [string, string] => [name, broken.get(name) ?? value]);
  sara.cookies.set('__Host-lang', 'en');
  try {
    const answer = await press('/app/loften/ny', 'save', fields);
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('<html lang="en"');
    for (const english of [
      'Title</a>: missing',
      'must be lower-case letters a–z',
      'must be a valid e-mail address',
      'Number</a>: must be a number',
      'Too big: expected string to have &lt;=200 characters',
    ]) {
      expect(answer.text).toContain(english);
    }
    for (const swedish of ['saknas', 'giltig e-postadress', 'Ogiltig', 'ska vara små bokstäver'])
      expect(answer.text).not.toContain(swedish);
  } finally {
    sara.cookies.delete('__Host-lang');
  }
});

test('rows are added and removed without losing what was typed, and a new row gets the focus', async () => {
  const typed: [string, string][] = [
    ['title', 'Tryggare centrum'],
    ['parties.0.name', 'Lessebo kommun'],
    ['parties.0.kind', 'MUNICIPALITY'],
    ['parties.1.name', 'Polisen'],
    ['parties.1.kind', 'POLICE'],
  ];
  const added = await press('/app/loften/ny', 'add:parties', typed);
  expect(added.status).toBe(200);
  expect(added.text).toContain('value="Tryggare centrum"');
  expect(added.text).toContain('<legend>Part 3</legend>');
  expect(added.text).toMatch(/<input id="parties\.2\.name" name="parties\.2\.name" type="text" value autofocus/);
  // The new party is a choice for the signatories once it has a name.
  const removed = await press('/app/loften/ny', 'remove:parties.0', typed);
  expect(removed.text).not.toContain('Lessebo kommun');
  expect(removed.text).toContain('<input id="parties.0.name" name="parties.0.name" type="text" value="Polisen"');
  expect(removed.text).not.toContain('<legend>Part 2</legend>');
  const withStep = await press('/app/loften/ny', 'add:priorityAreas.0.commitments.0.shape.steps', [
    ['priorityAreas.0.commitments.0.shape.kind', 'STEPS'],
  ]);
  expect(withStep.text).toContain('<legend>Steg 1</legend>');
});

test('the Lessebo promise typed into the form previews its year and saves as the draft the API would make', async () => {
  const content = inComingYear(lessebo());
  const preview = await press('/app/loften/ny', 'preview', lesseboFields());
  expect(preview.status).toBe(200);
  const rows = preview.text.slice(preview.text.indexOf('id="forhandsgranskning"')).match(/<tr><td>/g) ?? [];
  expect(rows).toHaveLength(expandSchedule(content).length);
  expect(preview.text).toContain('Förhandsgranskningen sparar inget');

  const saved = await press('/app/loften/ny', 'save', lesseboFields());
  expect(saved.status).toBe(303);
  const id = /^\/app\/loften\/([0-9a-f-]{36})\?klart=sparat$/.exec(saved.location!)![1]!;
  const page = await sara.get(saved.location!);
  expect(page.text).toContain('Utkastet är sparat');
  const fromForm = (await testbed.coordinator.get(`/api/promises/${id}`)).json;
  const fromApi = (await testbed.coordinator.post('/api/promises', { content })).json;
  expect(fromForm.currentVersion.sha256).toBe(fromApi.currentVersion.sha256);
  expect(fromForm.content).toEqual(fromApi.content);
});

test('a draft is edited in the same form; a new draft starts from an earlier promise or from JSON', async () => {
  const content = inComingYear(lessebo());
  const { id } = (await testbed.coordinator.post('/api/promises', { content })).json;
  const editor = await sara.get(`/app/loften/${id}/redigera`);
  expect(editor.text).toContain(`value="${content.title}"`);
  // A commitment's key is kept with the form but shown to no one (two made from like texts look alike).
  const key = (await testbed.coordinator.get(`/api/promises/${id}`)).json.content.priorityAreas[0].commitments[0].key;
  expect(editor.text).toContain(`<input type="hidden" name="priorityAreas.0.commitments.0.key" value="${key}"/>`);
  expect(editor.text).not.toContain('id="priorityAreas.0.commitments.0.key"');
  const renamed = formFieldsOf({ ...content, title: 'Trygg i butik, reviderad' });
  const saved = await press(`/app/loften/${id}/redigera`, 'save', renamed);
  expect(saved).toMatchObject({ status: 303, location: `/app/loften/${id}?klart=sparat` });
  const after = (await testbed.coordinator.get(`/api/promises/${id}`)).json;
  expect(after).toMatchObject({ title: 'Trygg i butik, reviderad', currentVersion: { number: 2 } });
  const promisePage = (await sara.get(`/app/loften/${id}`)).text;
  expect(promisePage).toContain('Textens versioner');
  for (const version of await testbed.engine.database.db.documentVersion.findMany({ where: { promiseId: id } })) {
    expect(promisePage).toContain(`<td class="hash">${version.sha256}</td>`);
  }

  const copied = await sara.get(`/app/loften/ny?fran=${id}`);
  expect(copied.text).toContain('value="Trygg i butik, reviderad"');
  const imported = await press('/app/loften/ny', 'import', [['_json', JSON.stringify({ content })]]);
  expect(imported.text).toContain(`value="${content.title}"`);
  const broken = await press('/app/loften/ny', 'import', [['_json', '{ "title": ']]);
  expect(broken.status).toBe(400);
  expect(broken.text).toContain('<a href="#_json">JSON</a>: är inte JSON');
});

test('during signing the form warns that signatures become void and asks for a confirmation; a signed promise is not edited; another organisation’s is not found', async () => {
  const content = inComingYear(lessebo());
  const { id } = (await testbed.coordinator.post('/api/promises', { content })).json;
  await testbed.coordinator.post(`/api/promises/${id}/submit`, {});
  const editor = await sara.get(`/app/loften/${id}/redigera`);
  expect(editor.text).toContain('blir alla signaturer i den pågående omgången ogiltiga');
  const revised = formFieldsOf({ ...content, goal: 'Färre stölder i butikerna.' });
  const unconfirmed = await press(`/app/loften/${id}/redigera`, 'save', revised);
  expect(unconfirmed.status).toBe(400);
  expect(unconfirmed.text).toContain('kryssa i rutan');
  expect((await testbed.coordinator.get(`/api/promises/${id}`)).json.currentVersion.number).toBe(1);
  const confirmed = await press(`/app/loften/${id}/redigera`, 'save', [...revised, ['_confirmVoid', 'on']]);
  expect(confirmed).toMatchObject({ status: 303, location: `/app/loften/${id}?klart=ny-omgang` });
  await eventually(async () => {
    const during = (await testbed.coordinator.get(`/api/promises/${id}`)).json;
    expect(during).toMatchObject({ status: 'SIGNING', currentVersion: { number: 2 }, signingRound: { number: 2, status: 'OPEN' } });
  });

  const other = (await testbed.coordinator.post('/api/promises', { content })).json.id;
  await testbed.coordinator.post(`/api/promises/${other}/submit`, {});
  await signEveryRequest(testbed.engine, other);
  const signed = await sara.get(`/app/loften/${other}/redigera`);
  expect(signed.status).toBe(409);
  expect(signed.text).toContain('en signerad text ändras inte');

  const olle = appClient(testbed.api.baseUrl);
  await createCoordinator(testbed.engine.database.db, { name: 'Olle Åstorp', email: 'olle.editor@astorp.example' });
  await signIn(testbed, olle, 'olle.editor@astorp.example');
  expect((await olle.get(`/app/loften/${id}/redigera`)).status).toBe(404);
  expect((await olle.get(`/app/loften/ny?fran=${id}`)).status).toBe(404);
});
