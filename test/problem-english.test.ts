import { PromiseContentSchema } from '../domain/content';
import { problemInEnglish } from '../domain/problem-english';
import { fieldProblems } from '../domain/validation';
import { reportProblems } from '../domain/report-rules';
import { ActivityReportSchema, SignFormSchema } from '../domain/requests';
import { lineTextProblem } from '../domain/text';
import { lessebo } from './support/promises';

// Every problem the product finds is said in English on an English page (issue 22): zod's own
// words from its English locale, the product's own from one list. Each input here is wrong in
// a way a person can make; each problem it gives must have its English.

const englishOf = (p: { problem: string; en?: string }) => p.en ?? problemInEnglish(p.problem);

test('each problem of a broken promise has its English', () => {
  const content = lessebo();
  const [area] = content.priorityAreas;
  const broken = {
    ...content,
    title: '',
    period: { start: '2026-01-01', end: '2025-01-01' },
    parties: [{ ...content.parties[0], key: 'Stora Bokstäver' }, content.parties[0]],
    signatories: [{ ...content.signatories[0], email: 'inte-en-adress', partyKey: 'ingen-sadan' }, content.signatories[0]],
    priorityAreas: [
      {
        ...area,
        title: 'Rad\u202Etext',
        commitments: [
          { ...area!.commitments[0], shape: { kind: 'COUNT_PER_PERIOD', count: 500, period: 'MONTH' }, responsiblePartyKeys: [] },
          { ...area!.commitments[0], shape: { kind: 'ONE_OFF' } },
          { ...area!.commitments[0], shape: { kind: 'STEPS', steps: [] } },
        ],
      },
      { ...area, commitments: [] },
    ],
  };
  const result = PromiseContentSchema.safeParse(broken);
  expect(result.success).toBe(false);
  const problems = fieldProblems(result.error!);
  expect(problems.length).toBeGreaterThan(8);
  expect(problems.filter((p) => !englishOf(p))).toEqual([]);
});

test('the report rules, the report and signing forms and the text rules say their problems in English too', () => {
  const period = { start: '2026-01-01', end: '2026-12-31' };
  const reported = (report: Record<string, string>) => reportProblems(report as never, { dueDate: '2026-05-01' }, period, '2026-06-01');
  const problems = [
    ...reported({ kind: 'DATE_SET', newDueDate: '2025-01-01', reason: 'x' }),
    ...reported({ kind: 'DONE', performedOn: '2026-07-01', description: 'x' }),
    ...reported({ kind: 'POSTPONED', newDueDate: '2027-02-01', reason: 'x' }),
    ...reported({ kind: 'POSTPONED', newDueDate: '2026-02-01', reason: 'x' }),
    ...fieldProblems(ActivityReportSchema.safeParse({ kind: 'DONE', performedOn: 'igår', description: ' ' }).error!),
    ...fieldProblems(ActivityReportSchema.safeParse({ kind: 'CANCELLED', reason: '' }).error!),
    ...fieldProblems(SignFormSchema.safeParse({ decision: 'KANSKE' }).error!),
    { field: 'name', problem: lineTextProblem('Ett\u0007namn')! },
    { field: 'name', problem: lineTextProblem('Ett\u202Enamn')! },
  ];
  expect(problems.length).toBeGreaterThan(8);
  expect(problems.filter((p) => !englishOf(p))).toEqual([]);
  // Values in a problem carry over into its English.
  expect(problemInEnglish('ligger i framtiden (i dag är det 2026-06-01)')).toBe('is in the future (today is 2026-06-01)');
});
