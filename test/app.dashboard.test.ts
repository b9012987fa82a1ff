import { addDays } from '../domain/calendar';
import { startAppTestbed, type AppClient } from './support/app-client';
import { eventually } from './support/eventually';
import type { ApiTestbed } from './support/http';
import { fixture, inComingYear, lessebo, startingOn, today } from './support/promises';
import { signEveryRequest } from './support/signing';

// The start page puts first what needs the coordinator now: an address that bounced (what went
// wrong) before signatures still missing (with whose, and by when), activities past their date
// without a report, dates to set and a renewal draft to review; then every promise by municipality.

const SARA = 'sara.dashboard@lessebo.example';
let testbed: ApiTestbed;
let sara: AppClient;

beforeAll(async () => {
  ({ testbed, browser: sara } = await startAppTestbed(SARA));
});
afterAll(async () => {
  await testbed?.stop();
});

const create = async (content: unknown) => (await testbed.coordinator.post('/api/promises', { content })).json.id as string;
const submit = (id: string) => testbed.coordinator.post(`/api/promises/${id}/submit`, {});
/** The "needs you now" list as text, one line per promise. */
const needsYou = async () => {
  const page = (await sara.get('/app')).text;
  const section = /<section aria-labelledby="behover-dig">([\s\S]*?)<\/section>/.exec(page)?.[1] ?? '';
  return section
    .split('</ul></li>')
    .map((item) =>
      item
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter(Boolean);
};

test('what needs the coordinator comes first, most urgent first, each with its reason', async () => {
  // Signing: two of eight have signed.
  const signing = await create(inComingYear(lessebo()));
  await submit(signing);

  // Signing, with an address the relay refuses.
  const bouncing = inComingYear(lessebo());
  bouncing.title = 'Trygg i butik, med en studsande adress';
  bouncing.signatories[2]!.email = 'finns.inte@lessebo.example';
  testbed.engine.mailbox.refuse('finns.inte@lessebo.example');
  const bounced = await create(bouncing);
  await submit(bounced);

  // In its year for eight months: activities past their date, and Ljungby's dates to be set; and its renewal.
  const ljungby = startingOn(fixture('ljungby-2021'), addDays(today(), -250));
  const active = await create(ljungby);
  await submit(active);
  await signEveryRequest(testbed.engine, active);
  const { renewalId } = (await testbed.coordinator.post(`/api/promises/${active}/renewal`, {})).json;

  const occurrences = (await testbed.coordinator.get(`/api/promises/${active}/occurrences`)).json as { dueDate: string | null }[];
  const overdue = occurrences.filter((o) => o.dueDate !== null && o.dueDate < today()).length;
  const undated = occurrences.filter((o) => o.dueDate === null).length;
  expect(overdue).toBeGreaterThan(1);
  expect(undated).toBe(1); // the youth dialogue, "date to be set"

  const lines = await eventually(async () => {
    const now = await needsYou();
    expect(now[0]).toContain('finns.inte@lessebo.example kom inte fram');
    return now;
  }, 30_000);
  expect(lines).toHaveLength(4);
  expect(lines[0]).toContain('Trygg i butik, med en studsande adress');
  // The other round's deadline is the same or later: both are listed with who has not signed.
  const waiting = lines.find((line) => line.startsWith('Trygg i butik i Lessebo kommun'))!;
  expect(waiting).toMatch(/Väntar på signatur från [^,]+, [^,]+, [^,]+ och 5 till, senast \d{4}-\d{2}-\d{2}\./);
  const year = lines.find((line) => line.includes(ljungby.title) && line.includes('Aktivt'))!;
  expect(year).toContain(`${overdue} aktiviteter utan rapport efter sitt datum`);
  expect(year).toContain('Ett datum att bestämma');
  const renewal = lines.find((line) => line.includes('Utkast'))!;
  expect(renewal).toContain('Förnyelse att granska och skicka för signering');
  expect((await sara.get('/app')).text).toContain(`href="/app/loften/${renewalId}"`);

  // A report clears its activity from the count.
  const first = occurrences.find((o) => o.dueDate !== null && o.dueDate < today()) as unknown as { id: string };
  await testbed.coordinator.post(`/api/promises/${active}/occurrences/${first.id}/reports`, {
    report: { kind: 'DONE', performedOn: today(), description: 'Genomfört.' },
  });
  const after = (await needsYou()).find((line) => line.includes(ljungby.title) && line.includes('Aktivt'))!;
  expect(after).toContain(overdue - 1 === 1 ? 'En aktivitet utan rapport' : `${overdue - 1} aktiviteter utan rapport`);
});
