import { durationToMs } from '../domain/durations';
import { csrfOf, startAppTestbed, type AppClient } from './support/app-client';
import { eventually } from './support/eventually';
import type { ApiTestbed } from './support/http';
import { inComingYear, lessebo } from './support/promises';
import { signEveryRequest } from './support/signing';

// The end of a promise's year in the web app, on the time-skipping server: the final follow-up is
// drafted when the period ends, edited and published from its page, and the promise closes.

const SARA = 'sara.follow-up@lessebo.example';
let testbed: ApiTestbed;
let sara: AppClient;

beforeAll(async () => {
  ({ testbed, browser: sara } = await startAppTestbed(SARA, 'time-skipping'));
});
afterAll(async () => {
  await testbed?.stop();
});

const statusOf = async (id: string) => (await testbed.coordinator.get(`/api/promises/${id}`)).json.status as string;

test('a follow-up is edited and published from its page; an empty summary is refused beside its field', async () => {
  const content = inComingYear(lessebo());
  const id = (await testbed.coordinator.post('/api/promises', { content })).json.id as string;
  await testbed.coordinator.post(`/api/promises/${id}/submit`, {});
  await signEveryRequest(testbed.engine, id);
  // To the day after the period: the final follow-up is drafted and waits for the coordinator.
  const untilAfterPeriod = Date.parse(`${content.period.end}T00:00:00Z`) + durationToMs('3d') - (await testbed.engine.env.currentTimeMs());
  await testbed.engine.env.sleep(untilAfterPeriod);
  await eventually(async () => expect(await statusOf(id)).toBe('FOLLOW_UP'), 30_000);

  // The year on the promise's page counts the reminders each activity got.
  const [occurrence] = (await testbed.coordinator.get(`/api/promises/${id}/occurrences`)).json as { id: string }[];
  const reminders = await testbed.engine.database.db.emailOutbox.count({
    where: { promiseId: id, status: 'SENT', idempotencyKey: { startsWith: `occurrence:${occurrence!.id}:` } },
  });
  expect(reminders).toBeGreaterThan(0);
  const yearRow = new RegExp(`aktiviteter/${occurrence!.id}">[^<]*</a></td><td>[^<]*</td><td>[^<]*</td><td>${reminders}</td>`);
  expect((await sara.get(`/app/loften/${id}`)).text).toMatch(yearRow);

  const page = `/app/loften/${id}/uppfoljningar/1`;
  expect((await sara.get(`/app/loften/${id}`)).text).toContain(`href="${page}"`);
  const shown = await sara.get(page);
  expect(shown.text).toContain('Planerat mot genomfört');
  expect(shown.text).toContain('när den publiceras avslutas löftet');
  const empty = await sara.post(page, [
    ['_csrf', csrfOf(shown.text)],
    ['narrative', ' '],
  ]);
  expect(empty.status).toBe(400);
  expect(empty.text).toContain('id="narrative-problem"');
  const published = await sara.post(page, [
    ['_csrf', csrfOf(empty.text)],
    ['narrative', 'Butikerna och polisen har träffats, men dialogmötena blev inte av.'],
    ['safetySurvey', 'Tryggheten i centrum ökade något.'],
    ['crimeStatistics', ''],
  ]);
  expect(published).toMatchObject({ status: 303, location: `/app/loften/${id}?klart=publicerat` });
  expect((await sara.get(published.location!)).text).toContain('Uppföljningen är publicerad');
  expect((await sara.get(page)).text).toContain('Tryggheten i centrum ökade något.</textarea>');
  await eventually(async () => expect(await statusOf(id)).toBe('CLOSED'));
  // The API reads the published context back as it was written (it once answered 500 here).
  const [followUp] = (await testbed.coordinator.get(`/api/promises/${id}/follow-ups`)).json;
  expect(followUp).toMatchObject({
    status: 'PUBLISHED',
    narrative: expect.stringContaining('dialogmötena blev inte av'),
    safetySurvey: 'Tryggheten i centrum ökade något.',
  });
});
