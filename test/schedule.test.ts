import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays, addMonths, daysBetween, isWorkingDay } from '../domain/calendar';
import { swedishCalendarFor } from '../domain/working-days';
import { PromiseContentSchema, type Commitment } from '../domain/content';
import {
  dateRequestTime,
  expandCommitment,
  expandSchedule,
  followUpPeriods,
  occurrenceReminders,
  planWaitingSteps,
  previewSchedule,
  waitingSteps,
} from '../domain/schedule';
import { ActivitySettingsSchema } from '../domain/settings';
import { describeShape } from '../domain/describe';
import { nextPeriodContent } from '../domain/renewal';
import { fieldProblems } from '../domain/validation';

const fixture = (name: string) => PromiseContentSchema.parse(JSON.parse(readFileSync(join(__dirname, 'fixtures', `${name}.json`), 'utf8')));
const commitment = (shape: Commitment['shape']): Commitment => ({ key: 'k', text: 't', shape, responsiblePartyKeys: ['p'] });
const year2021 = { start: '2021-01-01', end: '2021-12-31' };
const dates = (c: Commitment, period = year2021) => expandCommitment(c, period).map((o) => o.dueDate!);

test('two a year are spread, one per half-year, not both in December', () => {
  expect(dates(commitment({ kind: 'COUNT_PER_PERIOD', count: 2, period: 'YEAR' }))).toEqual(['2021-06-30', '2021-12-31']);
  expect(dates(commitment({ kind: 'COUNT_PER_PERIOD', count: 4, period: 'YEAR' }))).toEqual([
    '2021-03-31',
    '2021-06-30',
    '2021-09-30',
    '2021-12-31',
  ]);
  expect(dates(commitment({ kind: 'COUNT_PER_PERIOD', count: 1, period: 'QUARTER' }))).toEqual([
    '2021-03-31',
    '2021-06-30',
    '2021-09-30',
    '2021-12-31',
  ]);
});

/** The n equal parts of [from, from + months): whole months where n divides them, else equal runs of days. */
function subPeriodStarts(from: string, months: number, n: number): string[] {
  if (months % n === 0) return Array.from({ length: n + 1 }, (_, i) => addMonths(from, (months / n) * i));
  const days = daysBetween(from, addMonths(from, months));
  return Array.from({ length: n + 1 }, (_, i) => addDays(from, Math.floor((days * i) / n)));
}

test.each([
  ['YEAR', 12, '2021-01-01', year2021],
  ['HALF_YEAR', 6, '2021-01-01', year2021],
  ['YEAR', 12, '2023-03-06', { start: '2023-03-06', end: '2024-03-05' }],
] as const)('N per %s puts each occurrence inside its own part of the period (from %#)', (unit, months, from, period) => {
  for (const count of [1, 2, 3, 4, 6, 12]) {
    const due = dates(commitment({ kind: 'COUNT_PER_PERIOD', count, period: unit }), period).slice(0, count);
    const starts = subPeriodStarts(from, months, count);
    expect(due).toHaveLength(count);
    due.forEach((date, i) => {
      expect(date >= starts[i]! && date < starts[i + 1]!).toBe(true);
      // The last day of its part: as late as the part allows, so nothing is due before its time.
      expect(addDays(date, 1)).toBe(starts[i + 1]);
    });
  }
});

test('a one-off is due on its date; a continuous effort reports at its cadence, the last at the period end', () => {
  expect(dates(commitment({ kind: 'ONE_OFF', dueDate: '2021-05-31' }))).toEqual(['2021-05-31']);
  expect(dates(commitment({ kind: 'CONTINUOUS', reportEvery: 'QUARTER' }))).toEqual([
    '2021-03-31',
    '2021-06-30',
    '2021-09-30',
    '2021-12-31',
  ]);
  expect(dates(commitment({ kind: 'CONTINUOUS', reportEvery: 'HALF_YEAR' }), { start: '2023-03-06', end: '2023-12-31' })).toEqual([
    '2023-09-05',
    '2023-12-31',
  ]);
});

test('a partial last year gets its share of a yearly count, at least one', () => {
  const astorp = { start: '2023-03-06', end: '2025-12-31' };
  expect(dates(commitment({ kind: 'COUNT_PER_PERIOD', count: 2, period: 'YEAR' }), astorp)).toEqual([
    '2023-09-05',
    '2024-03-05',
    '2024-09-05',
    '2025-03-05',
    '2025-09-05',
    '2025-12-31',
  ]);
  // Four a year: the last quarter is cut to 26 of its days, too little of it to count.
  expect(dates(commitment({ kind: 'COUNT_PER_PERIOD', count: 4, period: 'YEAR' }), astorp).slice(-3)).toEqual([
    '2025-06-05',
    '2025-09-05',
    '2025-12-05',
  ]);
  // A period shorter than half a year still gets its one, on its last day.
  expect(dates(commitment({ kind: 'COUNT_PER_PERIOD', count: 2, period: 'YEAR' }), { start: '2027-11-01', end: '2027-12-31' })).toEqual([
    '2027-12-31',
  ]);
});

test('Ljungby 2021 becomes eleven occurrences, in date order, the meeting whose date the text leaves open last', () => {
  const schedule = expandSchedule(fixture('ljungby-2021'));
  expect(schedule).toHaveLength(11);
  expect(schedule[10]).toEqual({ commitmentKey: 'dialog-a-traktorer', sequence: 1, dueDate: null, kind: 'ACTIVITY' });
  expect(schedule.filter((o) => o.commitmentKey === 'dialogmoten').map((o) => o.dueDate)).toEqual(['2021-06-30', '2021-12-31']);
});

test('Åstorp 2023–2025 has two yearly follow-ups and a final one', () => {
  expect(followUpPeriods(fixture('astorp-2023-2025').period)).toEqual([
    { index: 1, start: '2023-03-06', end: '2024-03-05', final: false },
    { index: 2, start: '2024-03-06', end: '2025-03-05', final: false },
    { index: 3, start: '2025-03-06', end: '2025-12-31', final: true },
  ]);
});

test('an occurrence is reminded 14 days before, on the day, weekly when overdue (4 times) and escalated after 14 days', () => {
  const settings = ActivitySettingsSchema.parse({});
  const reminders = occurrenceReminders('2021-07-01', settings, 0).map((r) => [r.kind, r.sequence, new Date(r.at).toISOString()]);
  expect(reminders).toEqual([
    ['BEFORE', 0, '2021-06-17T07:00:00.000Z'],
    ['DUE', 0, '2021-07-01T07:00:00.000Z'],
    ['OVERDUE', 1, '2021-07-08T07:00:00.000Z'],
    ['OVERDUE', 2, '2021-07-15T07:00:00.000Z'],
    ['ESCALATION', 0, '2021-07-15T07:00:00.000Z'],
    ['OVERDUE', 3, '2021-07-22T07:00:00.000Z'],
    ['OVERDUE', 4, '2021-07-29T07:00:00.000Z'],
  ]);
  // Activated after the "before" reminder's time: that one is left out.
  expect(occurrenceReminders('2021-07-01', settings, Date.UTC(2021, 5, 20))[0]!.kind).toBe('DUE');
});

test('adding months keeps the day or falls back to the month end', () => {
  expect(addMonths('2021-01-31', 1)).toBe('2021-02-28');
  expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
  expect(addMonths('2023-03-06', 12)).toBe('2024-03-06');
});

describe('counts tied to parts of the year', () => {
  const year2027 = { start: '2027-01-01', end: '2027-12-31' };
  const inSummer = (date: string) => date.slice(5) > '06-10' && date.slice(5) < '08-20';

  test('two a year in the school terms: spread over the term days, never on a summer day', () => {
    const due = dates(commitment({ kind: 'COUNT_PER_PERIOD', count: 2, period: 'YEAR', within: { kind: 'SCHOOL_TERMS' } }), year2027);
    // 268 term days (15 Jan – 10 Jun, 20 Aug – 18 Dec): the 134th is 28 May, the last 18 December.
    expect(due).toEqual(['2027-05-28', '2027-12-18']);
    const weekly = dates(commitment({ kind: 'COUNT_PER_PERIOD', count: 40, period: 'YEAR', within: { kind: 'SCHOOL_TERMS' } }), year2027);
    expect(weekly).toHaveLength(40);
    expect(weekly.filter(inSummer)).toEqual([]);
  });

  test('one per half-year in the terms: the end of the spring term and of the autumn term', () => {
    expect(
      dates(commitment({ kind: 'COUNT_PER_PERIOD', count: 1, period: 'HALF_YEAR', within: { kind: 'SCHOOL_TERMS' } }), year2027),
    ).toEqual(['2027-06-10', '2027-12-18']);
  });

  test('named months: the occurrences fall in them only', () => {
    const due = dates(
      commitment({ kind: 'COUNT_PER_PERIOD', count: 4, period: 'YEAR', within: { kind: 'MONTHS', months: [10, 3, 4, 9] } }),
      year2027,
    );
    expect(due).toHaveLength(4);
    expect(due.map((d) => Number(d.slice(5, 7))).every((m) => [3, 4, 9, 10].includes(m))).toBe(true);
    expect(due[due.length - 1]).toBe('2027-10-31');
  });

  test('without parts of the year nothing changes', () => {
    expect(dates(commitment({ kind: 'COUNT_PER_PERIOD', count: 2, period: 'YEAR', atLeast: true }))).toEqual(['2021-06-30', '2021-12-31']);
  });

  test('"at least" and the parts of the year are said in words', () => {
    expect(describeShape({ kind: 'COUNT_PER_PERIOD', count: 1, period: 'YEAR', atLeast: true, within: { kind: 'SCHOOL_TERMS' } })).toBe(
      'minst 1 gång per år, under terminerna',
    );
    expect(describeShape({ kind: 'COUNT_PER_PERIOD', count: 2, period: 'YEAR', within: { kind: 'MONTHS', months: [10, 3, 4, 9] } })).toBe(
      '2 gånger per år, i mars, april, september och oktober',
    );
  });

  test('parts of the year the period never reaches, and a month twice, are refused by field', () => {
    const summer = fixture('lessebo-2020');
    summer.period = { start: '2020-06-15', end: '2020-08-15' };
    summer.priorityAreas = summer.priorityAreas.map((area) => ({
      ...area,
      commitments: area.commitments.map((c) => ({
        ...c,
        shape: { kind: 'COUNT_PER_PERIOD' as const, count: 1, period: 'YEAR' as const, within: { kind: 'SCHOOL_TERMS' as const } },
      })),
    }));
    const refused = PromiseContentSchema.safeParse(summer);
    expect(refused.success).toBe(false);
    expect(fieldProblems(refused.error!)[0]).toEqual({
      field: 'priorityAreas.0.commitments.0.shape.within',
      problem: 'ingen dag i löftets period faller inom de valda delarna av året',
    });

    const twice = fixture('lessebo-2020');
    twice.priorityAreas[0]!.commitments[0]!.shape = {
      kind: 'COUNT_PER_PERIOD',
      count: 1,
      period: 'YEAR',
      within: { kind: 'MONTHS', months: [3, 3] },
    };
    const problems = fieldProblems(PromiseContentSchema.safeParse(twice).error!);
    expect(problems).toEqual([{ field: 'priorityAreas.0.commitments.0.shape.within.months', problem: 'samma månad finns två gånger' }]);
  });
});

describe('commitments made of steps', () => {
  const year2027 = { start: '2027-01-01', end: '2027-12-31' };
  const council: Commitment['shape'] = {
    kind: 'STEPS',
    steps: [
      { kind: 'ONE_OFF', dueDate: '2027-02-15' },
      { kind: 'COUNT_PER_PERIOD', count: 4, period: 'YEAR', from: '2027-03-01' },
    ],
  };

  test('a start, then four a year from its date: the start first, the rest spread from the start date, numbered together', () => {
    const planned = expandCommitment(commitment(council), year2027);
    expect(planned.map((o) => [o.sequence, o.dueDate])).toEqual([
      [1, '2027-02-15'],
      [2, '2027-05-31'],
      [3, '2027-08-31'],
      [4, '2027-11-30'],
    ]);
    expect(describeShape(council)).toBe('en gång, senast 2027-02-15, sedan 4 gånger per år från och med 2027-03-01');
  });

  test('a count starting after a date, on its own', () => {
    expect(dates(commitment({ kind: 'COUNT_PER_PERIOD', count: 1, period: 'QUARTER', from: '2021-07-01' }))).toEqual([
      '2021-09-30',
      '2021-12-31',
    ]);
  });

  test('a step outside the period, and steps that are only one, are refused by field', () => {
    const content = fixture('lessebo-2020');
    content.priorityAreas[0]!.commitments[0]!.shape = {
      kind: 'STEPS',
      steps: [
        { kind: 'ONE_OFF', dueDate: '2020-04-01' },
        { kind: 'CONTINUOUS', reportEvery: 'QUARTER', from: '2021-01-01' },
      ],
    };
    expect(fieldProblems(PromiseContentSchema.safeParse(content).error!)).toEqual([
      { field: 'priorityAreas.0.commitments.0.shape.steps.1.from', problem: 'ska ligga inom löftets period' },
    ]);
    content.priorityAreas[0]!.commitments[0]!.shape = { kind: 'STEPS', steps: [{ kind: 'ONE_OFF', dueDate: '2020-04-01' }] };
    expect(fieldProblems(PromiseContentSchema.safeParse(content).error!)).toEqual([
      { field: 'priorityAreas.0.commitments.0.shape.steps', problem: 'minst två steg' },
    ]);
  });

  test('a renewal moves every date in the steps along with the period', () => {
    const content = fixture('ljungby-2021');
    content.priorityAreas[0]!.commitments[0]!.shape = {
      kind: 'STEPS',
      steps: [
        { kind: 'ONE_OFF', dueDate: '2021-02-15' },
        { kind: 'COUNT_PER_PERIOD', count: 4, period: 'YEAR', from: '2021-03-01' },
      ],
    };
    expect(nextPeriodContent(content).priorityAreas[0]!.commitments[0]!.shape).toEqual({
      kind: 'STEPS',
      steps: [
        { kind: 'ONE_OFF', dueDate: '2022-02-15' },
        { kind: 'COUNT_PER_PERIOD', count: 4, period: 'YEAR', from: '2022-03-01' },
      ],
    });
  });
});

describe('a one-off whose date is to be set', () => {
  const year2027 = { start: '2027-01-01', end: '2027-12-31' };
  const dialogue: Commitment['shape'] = { kind: 'ONE_OFF', dateToBeSet: { when: 'när trygghetsmätningens resultat presenteras' } };

  test('is planned without a date, after the dated ones, and said in words', () => {
    const content = fixture('ljungby-2021');
    content.priorityAreas[0]!.commitments[0]!.shape = dialogue;
    const planned = expandSchedule(content);
    expect(planned.slice(-2)).toEqual([
      { commitmentKey: 'dialog-a-traktorer', sequence: 1, dueDate: null, kind: 'ACTIVITY' },
      { commitmentKey: content.priorityAreas[0]!.commitments[0]!.key, sequence: 1, dueDate: null, kind: 'ACTIVITY' },
    ]);
    expect(planned.slice(0, -2).every((o) => o.dueDate !== null)).toBe(true);
    expect(describeShape(dialogue)).toBe('en gång, datum bestäms senare (när trygghetsmätningens resultat presenteras)');
    expect(describeShape({ kind: 'ONE_OFF', dateToBeSet: {} })).toBe('en gång, datum bestäms senare');
  });

  test('the preview shows no reminders for it, only that the coordinator is asked for the date', () => {
    const content = fixture('ljungby-2021');
    content.priorityAreas[0]!.commitments[0]!.shape = dialogue;
    const undated = previewSchedule(content, ActivitySettingsSchema.parse({})).occurrences.find((o) => o.dueDate === null)!;
    expect(undated.reminders).toEqual([]);
    expect(undated.coordinatorAskedEvery).toBe('14d');
  });

  test('the coordinator is asked as the year starts and every 14 days, while the period lasts', () => {
    const settings = ActivitySettingsSchema.parse({});
    const year = { activatedAt: Date.parse('2027-12-01T10:00:00Z'), settings, period: year2027 };
    expect(dateRequestTime(year, 0)).toBe(Date.parse('2027-12-01T10:00:00Z'));
    expect(dateRequestTime(year, 2)).toBe(Date.parse('2027-12-29T10:00:00Z'));
    expect(dateRequestTime(year, 3)).toBeUndefined();
  });

  test("a step may be one: meetings that start once a group is formed wait for the forming's date, then start the day after it", () => {
    const formThenMeet = commitment({
      kind: 'STEPS',
      steps: [
        { kind: 'ONE_OFF', dateToBeSet: {} },
        { kind: 'CONTINUOUS', reportEvery: 'QUARTER' },
      ],
    });
    expect(expandCommitment(formThenMeet, year2027)).toEqual([
      { commitmentKey: 'k', sequence: 1, step: 1, dueDate: null, kind: 'ACTIVITY' },
    ]);
    expect(waitingSteps(formThenMeet)).toEqual([2]);
    const planned = planWaitingSteps(formThenMeet, year2027, {}, { after: 1, date: '2027-04-10', nextSequence: 2 });
    expect(planned.map((o) => [o.sequence, o.step, o.dueDate, o.kind])).toEqual([
      [2, 2, '2027-07-10', 'PROGRESS_REPORT'],
      [3, 2, '2027-10-10', 'PROGRESS_REPORT'],
      [4, 2, '2027-12-31', 'PROGRESS_REPORT'],
    ]);
  });

  test('the preview names the waiting step; once the year has recorded its occurrences, it shows them instead', () => {
    const content = fixture('ljungby-2021');
    const meetings = content.priorityAreas[0]!.commitments[0]!;
    meetings.shape = { kind: 'STEPS', steps: [{ kind: 'ONE_OFF', dateToBeSet: {} }, { kind: 'CONTINUOUS' }] };
    const settings = ActivitySettingsSchema.parse({});
    const before = previewSchedule(content, settings);
    expect(before.waitingSteps).toEqual([
      { commitmentKey: meetings.key, step: 2, priorityArea: 'Tryggt boende', commitment: meetings.text },
    ]);
    expect(before.occurrences.filter((o) => o.commitmentKey === meetings.key).map((o) => [o.sequence, o.step, o.dueDate])).toEqual([
      [1, 1, null],
    ]);
    const recorded = [
      { commitmentKey: meetings.key, sequence: 1, step: 1, kind: 'ACTIVITY' as const, dueDate: '2021-03-01' },
      { commitmentKey: meetings.key, sequence: 2, step: 2, kind: 'PROGRESS_REPORT' as const, dueDate: '2021-06-01' },
    ];
    const after = previewSchedule(content, settings, { recorded });
    expect(after.waitingSteps).toEqual([]);
    expect(after.occurrences.map((o) => [o.sequence, o.dueDate])).toEqual([
      [1, '2021-03-01'],
      [2, '2021-06-01'],
    ]);
    // A year planned before steps were numbered planned them all at signing: nothing waits.
    const older = recorded.map(({ step: _step, ...o }) => o);
    expect(previewSchedule(content, settings, { recorded: older }).waitingSteps).toEqual([]);
  });

  test("a step with no start of its own after a dated one-off starts the day after it, not on the period's first day", () => {
    const formThenMeet = commitment({
      kind: 'STEPS',
      steps: [
        { kind: 'ONE_OFF', dueDate: '2027-03-15' },
        { kind: 'COUNT_PER_PERIOD', count: 4, period: 'YEAR' },
      ],
    });
    expect(waitingSteps(formThenMeet)).toEqual([]);
    expect(dates(formThenMeet, year2027)).toEqual(['2027-03-15', '2027-06-15', '2027-09-15', '2027-12-15']);
  });

  test('occurrences are numbered in the order of the steps, not by date', () => {
    const planned = expandCommitment(
      commitment({
        kind: 'STEPS',
        steps: [
          { kind: 'ONE_OFF', dateToBeSet: {} },
          { kind: 'ONE_OFF', dueDate: '2027-03-01' },
        ],
      }),
      year2027,
    );
    expect(planned.map((o) => [o.sequence, o.step, o.dueDate])).toEqual([
      [1, 1, null],
      [2, 2, '2027-03-01'],
    ]);
  });

  test('neither a date nor when it is set, or both, is refused by field; a renewal keeps it to be set', () => {
    const content = fixture('ljungby-2021');
    const shapeOf = () => content.priorityAreas[0]!.commitments[0]!;
    shapeOf().shape = { kind: 'ONE_OFF' };
    expect(fieldProblems(PromiseContentSchema.safeParse(content).error!)).toEqual([
      { field: 'priorityAreas.0.commitments.0.shape.dueDate', problem: 'ange ett datum, eller dateToBeSet när datumet bestäms senare' },
    ]);
    shapeOf().shape = { kind: 'ONE_OFF', dueDate: '2021-05-01', dateToBeSet: {} };
    expect(fieldProblems(PromiseContentSchema.safeParse(content).error!)).toEqual([
      { field: 'priorityAreas.0.commitments.0.shape.dateToBeSet', problem: 'ange antingen ett datum eller dateToBeSet, inte båda' },
    ]);
    shapeOf().shape = dialogue;
    expect(nextPeriodContent(PromiseContentSchema.parse(content)).priorityAreas[0]!.commitments[0]!.shape).toEqual(dialogue);
  });
});

describe('the Swedish working-day calendar', () => {
  const year2028 = { start: '2028-01-01', end: '2028-12-31' };
  const calendar = swedishCalendarFor(year2028);
  const dates = (shape: Commitment['shape'], withCalendar = true) =>
    expandCommitment(commitment(shape), year2028, withCalendar ? { calendar } : {}).map((o) => o.dueDate);
  const settings = ActivitySettingsSchema.parse({});

  test('its days off: weekends, public holidays, and Midsummer, Christmas and New Year’s Eve from date-holidays', () => {
    for (const day of ['2028-06-23', '2028-12-24', '2028-12-31', '2028-12-25', '2028-06-06', '2028-04-14', '2028-01-01', '2028-09-30']) {
      expect({ day, workingDay: isWorkingDay(calendar, day) }).toEqual({ day, workingDay: false });
    }
    for (const day of ['2028-06-22', '2028-12-29', '2028-09-29', '2028-03-31']) {
      expect({ day, workingDay: isWorkingDay(calendar, day) }).toEqual({ day, workingDay: true });
    }
  });

  test('a date the product works out falls on the last working day of its part; without a calendar, as before', () => {
    expect(dates({ kind: 'COUNT_PER_PERIOD', count: 4, period: 'YEAR' })).toEqual(['2028-03-31', '2028-06-30', '2028-09-29', '2028-12-29']);
    expect(dates({ kind: 'COUNT_PER_PERIOD', count: 4, period: 'YEAR' }, false)).toEqual([
      '2028-03-31',
      '2028-06-30',
      '2028-09-30',
      '2028-12-31',
    ]);
    expect(dates({ kind: 'CONTINUOUS', reportEvery: 'HALF_YEAR' })).toEqual(['2028-06-30', '2028-12-29']);
    expect(dates({ kind: 'COUNT_PER_PERIOD', count: 1, period: 'YEAR', within: { kind: 'MONTHS', months: [6] } })).toEqual(['2028-06-30']);
    // A date the text gives stays as given, day off or not.
    expect(dates({ kind: 'ONE_OFF', dueDate: '2028-12-24' })).toEqual(['2028-12-24']);
  });

  test('reminders go at 08:00 in Sweden, summer and winter, and one that falls on a day off goes on the working day before', () => {
    const at = (dueDate: string) =>
      Object.fromEntries(
        occurrenceReminders(dueDate, settings, -Infinity, calendar).map((r) => [`${r.kind}:${r.sequence}`, new Date(r.at).toISOString()]),
      );
    // Due on Friday 7 July 2028: "before" (14 days earlier) would be Midsummer Eve, so it goes on the Thursday.
    expect(at('2028-07-07')).toMatchObject({
      'BEFORE:0': '2028-06-22T06:00:00.000Z',
      'DUE:0': '2028-07-07T06:00:00.000Z',
      'OVERDUE:1': '2028-07-14T06:00:00.000Z',
    });
    // Winter time: 08:00 is 07:00 UTC.
    expect(at('2028-01-31')['DUE:0']).toBe('2028-01-31T07:00:00.000Z');
    // Without a calendar (a year planned before it): 07:00 UTC on the day, as before.
    expect(occurrenceReminders('2028-07-07', settings, -Infinity).find((r) => r.kind === 'BEFORE')!.at).toBe(
      Date.parse('2028-06-23T07:00:00Z'),
    );
  });

  test('the preview uses the calendar', () => {
    const content = { ...fixture('lessebo-2020'), period: year2028 };
    const preview = previewSchedule(content, settings, { calendar });
    for (const o of preview.occurrences.filter((o) => o.dueDate !== null && o.kind === 'ACTIVITY')) {
      expect({ dueDate: o.dueDate, working: isWorkingDay(calendar, o.dueDate!) }).toMatchObject({ working: true });
    }
  });
});
