import type { Actor } from '../domain/actor';
import { progressOf, type OccurrenceRecord, type ReportRecord } from '../domain/progress';
import type { ActivityReport } from '../domain/requests';
import { createFollowUpDraft, recordActivityReport, scheduleOccurrences } from '../store/year';
import { createTestDatabase, type TestDatabase } from './support/database';
import { createDraftOf, fixture, inComingYear } from './support/promises';
import { PromiseSettingsSchema } from '../domain/settings';

// What counts as reported, the same in every count a person reads: the activity done, a progress
// report, or cancelled with its reason; a date set or moved alone is no report. Each kind on the
// follow-up generated from PostgreSQL, and on the public progress (page, chart, open data).

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const record = (kind: ReportRecord['kind']): ReportRecord => ({
  id: kind,
  kind,
  performedOn: null,
  description: null,
  reason: null,
  newDueDate: null,
  correctsId: null,
  reportedOn: '2026-05-01',
  reportedAt: new Date('2026-05-01T08:00:00Z'),
});

test.each([
  ['DATE_SET', false],
  ['POSTPONED', false],
  ['DONE', true],
  ['PROGRESS', true],
  ['CANCELLED', true],
] as const)('on the public progress, an occurrence with only a %s report counts as reported: %s', (kind, reported) => {
  const content = fixture('ljungby-2021');
  const occurrences: OccurrenceRecord[] = [
    { commitmentKey: 'dialog-a-traktorer', status: kind === 'DONE' || kind === 'PROGRESS' ? 'DONE' : 'PLANNED', reports: [record(kind)] },
  ];
  const row = progressOf(content, occurrences).find((p) => p.key === 'dialog-a-traktorer')!;
  expect(row.reported).toBe(reported);
});

test('the follow-up counts a date set, then never done, and a postponement alone as not reported', async () => {
  const content = inComingYear(fixture('ljungby-2021'));
  const { promise, actor } = await createDraftOf(database.db, content, PromiseSettingsSchema.parse({}));
  const { occurrences, period } = await scheduleOccurrences(database.db, promise.id);
  const first = (key: string) => occurrences.find((o) => o.commitmentKey === key)!;
  const report = (key: string, body: ActivityReport, by: Actor = actor) =>
    recordActivityReport(database.db, { reportId: crypto.randomUUID(), occurrenceId: first(key).occurrenceId, report: body, actor: by });
  const year = period.start.slice(0, 4);

  await report('dialog-a-traktorer', { kind: 'DATE_SET', newDueDate: `${year}-05-31` });
  await report('dialogmoten', { kind: 'POSTPONED', newDueDate: `${year}-11-30`, reason: 'Lokalen var upptagen.' });
  await report('trygghetsvandring', { kind: 'DONE', performedOn: `${year}-04-10`, description: 'Vandring i centrum.' });
  await report('narkotika', { kind: 'PROGRESS', description: 'Insatserna pågår.' });
  await report('grannsamverkan', { kind: 'CANCELLED', reason: 'Inställt.' });

  const draft = await createFollowUpDraft(database.db, {
    promiseId: promise.id,
    index: 1,
    start: period.start,
    end: period.end,
    final: true,
  });
  const rows = (draft.generated as { commitments: { key: string; planned: number; notReported: number }[] }).commitments;
  const notReported = (key: string) => rows.find((c) => c.key === key)!.notReported;
  const planned = (key: string) => rows.find((c) => c.key === key)!.planned;
  expect(notReported('dialog-a-traktorer')).toBe(planned('dialog-a-traktorer'));
  expect(notReported('dialogmoten')).toBe(planned('dialogmoten'));
  expect(notReported('trygghetsvandring')).toBe(planned('trygghetsvandring') - 1);
  expect(notReported('narkotika')).toBe(planned('narkotika') - 1);
  expect(notReported('grannsamverkan')).toBe(planned('grannsamverkan') - 1);
});
