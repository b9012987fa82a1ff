import { PromiseContentSchema } from '../domain/content';
import { nextPeriodContent } from '../domain/renewal';
import { expandSchedule } from '../domain/schedule';
import { fixture, lessebo } from './support/promises';

// The next period's draft: the day after, the same length (a whole year for yearly promises),
// years in the title and dated commitments moved along, valid like any other draft.

const oneOffs = (content: ReturnType<typeof fixture>) =>
  content.priorityAreas
    .flatMap((a) => a.commitments)
    .flatMap((c) => (c.shape.kind === 'ONE_OFF' ? [[c.key, c.shape.dueDate ?? 'bestäms senare']] : []));

/** The content with its one-offs (whose dates the seeds leave to be set) due on `date`. */
function withOneOffsOn(content: ReturnType<typeof fixture>, date: string) {
  content.priorityAreas.forEach((a) =>
    a.commitments.forEach((c) => {
      if (c.shape.kind === 'ONE_OFF') c.shape = { kind: 'ONE_OFF', dueDate: date };
    }),
  );
  return content;
}

test('Åstorp 2023-03-06 – 2025-12-31 renews as 2026-01-01 for the same two years, nine months and 26 days', () => {
  const astorp = { ...withOneOffsOn(fixture('astorp-2023-2025'), '2023-12-31'), title: 'Medborgarlöfte Åstorp 2023–2025' };
  const next = nextPeriodContent(astorp);
  expect(next.period).toEqual({ start: '2026-01-01', end: '2028-10-26' });
  expect(next.title).toBe('Medborgarlöfte Åstorp 2026–2028');
  // The situation report, due 9 months and 25 days into the period, keeps that place in the next.
  expect(oneOffs(next)).toEqual([['lagesbild', '2026-10-26']]);
  expect(PromiseContentSchema.safeParse(next).success).toBe(true);
  expect(expandSchedule(next).every((o) => o.dueDate! >= next.period.start && o.dueDate! <= next.period.end)).toBe(true);
});

test('Ljungby 2021 renews as 2022, its one-off a year on, or still to be set when it was', () => {
  const next = nextPeriodContent(fixture('ljungby-2021'));
  expect(next.period).toEqual({ start: '2022-01-01', end: '2022-12-31' });
  expect(next.title).toBe('Medborgarlöfte i Ljungby kommun 2022');
  expect(oneOffs(next)).toEqual([['dialog-a-traktorer', 'bestäms senare']]);
  expect(oneOffs(nextPeriodContent(withOneOffsOn(fixture('ljungby-2021'), '2021-05-31')))).toEqual([['dialog-a-traktorer', '2022-05-31']]);
});

test('a yearly promise that started in March renews for a whole year; a leap year is no trouble', () => {
  expect(nextPeriodContent(lessebo()).period).toEqual({ start: '2021-01-01', end: '2021-12-31' });
  const ljungby2023 = withOneOffsOn(fixture('ljungby-2021'), '2023-05-31');
  ljungby2023.period = { start: '2023-01-01', end: '2023-12-31' };
  expect(nextPeriodContent(ljungby2023).period).toEqual({ start: '2024-01-01', end: '2024-12-31' });
});

test('renewing twice in a row keeps going: three years after three years', () => {
  const threeYears = { ...withOneOffsOn(fixture('astorp-2023-2025'), '2026-12-31'), period: { start: '2024-01-01', end: '2026-12-31' } };
  const next = nextPeriodContent(threeYears);
  expect(next.period).toEqual({ start: '2027-01-01', end: '2029-12-31' });
  expect(nextPeriodContent(next).period).toEqual({ start: '2030-01-01', end: '2032-12-31' });
  expect(oneOffs(next)).toEqual([['lagesbild', '2029-12-31']]);
});

test("a renewal keeps the participants and who prepared it, and leaves the signed paper's date behind", () => {
  const astorp = fixture('astorp-2023-2025');
  const next = nextPeriodContent({ ...astorp, preparedBy: [{ name: 'Anna Augustsson', title: 'Kommunpolis' }] });
  expect(next.participants).toEqual(astorp.participants);
  expect(next.preparedBy).toEqual([{ name: 'Anna Augustsson', title: 'Kommunpolis' }]);
  expect(astorp.documentDate).toBe('2023-03-06');
  expect(next.documentDate).toBeUndefined();
});
