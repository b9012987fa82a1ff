import { createCoordinator } from '../store/coordinators';
import { joinOrganisation } from '../store/organisations';
import { client, startApiTestbed, type ApiTestbed } from './support/http';
import { inComingYear, lessebo } from './support/promises';

// A promise belongs to its municipality's and its police area's organisations: the kommunpolis and
// the municipality's coordinators all see and run it, drafts included; a coordinator of another
// municipality learns nothing of it on any route.

type Who = 'colleague' | 'kommunpolis' | 'stranger';

let testbed: ApiTestbed;
let promiseId: string;
let title: string;
const keys = {} as Record<Who, string>;
const as = (who: Who | 'creator') => (who === 'creator' ? testbed.coordinator : client(testbed.api.baseUrl, keys[who]));

beforeAll(async () => {
  testbed = await startApiTestbed('sara@lessebo.example');
  const { db } = testbed.engine.database;
  const member = async (who: Who, name: string, email: string, organisation: Parameters<typeof joinOrganisation>[2]) => {
    const { coordinator, token } = await createCoordinator(db, { name, email });
    await joinOrganisation(db, coordinator.id, organisation);
    keys[who] = token;
  };
  // Organisation names are compared without regard to case: "lessebo" is the promise's "Lessebo".
  await member('colleague', 'Kalle Kollega', 'kalle@lessebo.example', { kind: 'MUNICIPALITY', name: 'lessebo' });
  await member('kommunpolis', 'Anna Augustsson', 'anna@polisen.example', { kind: 'POLICE_AREA', name: 'Lokalpolisområde Nybro' });
  await member('stranger', 'Olle Åstorp', 'olle@astorp.example', { kind: 'MUNICIPALITY', name: 'Åstorp' });
  const content = inComingYear(lessebo());
  title = content.title;
  const created = await as('creator').post('/api/promises', { content });
  expect(created.status).toBe(201);
  promiseId = created.json.id;
});
afterAll(async () => {
  await testbed?.stop();
});

test("the municipality's coordinators and the kommunpolis see the draft and can edit it; the stranger cannot list it", async () => {
  for (const who of ['creator', 'colleague', 'kommunpolis'] as const) {
    const listed = await as(who).get('/api/promises');
    expect(listed.json.map((p: { id: string }) => p.id)).toContain(promiseId);
    expect((await as(who).get(`/api/promises/${promiseId}`)).status).toBe(200);
  }
  expect((await as('stranger').get('/api/promises')).json).toEqual([]);
  const { content } = (await as('colleague').get(`/api/promises/${promiseId}`)).json;
  const edited = await as('colleague').put(`/api/promises/${promiseId}/content`, {
    content: { ...content, goal: 'Ökad trygghet i butikerna.' },
  });
  expect(edited.status).toBe(200);
});

test('every route about a promise answers the stranger as if it did not exist, and tells nothing of it', async () => {
  const document = (await testbed.anonymous.get('/openapi.json')).json as { paths: Record<string, Record<string, unknown>> };
  const routes = Object.entries(document.paths)
    .filter(([path]) => path.startsWith('/api/promises/{id}'))
    .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
  expect(routes.length).toBeGreaterThan(10);
  const before = await testbed.engine.database.db.auditEvent.count();
  const answers: string[] = [];
  for (const route of routes) {
    const [method, path] = route.split(' ') as [string, string];
    const url = path.replace('{id}', promiseId).replace('{occurrenceId}', '00000000-0000-4000-8000-000000000000').replace('{index}', '1');
    const response = await fetch(`${testbed.api.baseUrl}${url}`, {
      method,
      headers: { authorization: `Bearer ${keys.stranger}`, 'content-type': 'application/json' },
      body: method === 'GET' ? undefined : '{}',
    });
    const text = await response.text();
    // Refused before anything is read (a body that is not even valid), or as unknown: never more.
    if (![400, 404].includes(response.status) || text.includes(title)) answers.push(`${route}: ${response.status} ${text.slice(0, 200)}`);
  }
  expect(answers).toEqual([]);
  expect(await testbed.engine.database.db.auditEvent.count()).toBe(before);
});

test('a promise revised to another police area leaves the old one’s coordinators out', async () => {
  const { content } = (await as('creator').get(`/api/promises/${promiseId}`)).json;
  expect(
    (await as('creator').put(`/api/promises/${promiseId}/content`, { content: { ...content, policeArea: 'Lokalpolisområde Växjö' } }))
      .status,
  ).toBe(200);
  expect((await as('kommunpolis').get(`/api/promises/${promiseId}`)).status).toBe(404);
  expect((await as('colleague').get(`/api/promises/${promiseId}`)).status).toBe(200);
});
