import { DEFAULT_SETTINGS } from '../domain/default-settings';
import {
  adoptYear,
  applyReport,
  markDateRequested,
  markFollowUpRequested,
  markReminderSent,
  nextEvent,
  startYear,
  type YearEvent,
  type YearState,
} from '../workflows/year-plan';

// The year's bookkeeping, without Temporal: what comes next, and how reports change it.

const at = (iso: string) => Date.parse(iso);
const describeEvent = (event: YearEvent | undefined) =>
  event &&
  `${new Date(event.at).toISOString()} ${
    event.type === 'REMINDER'
      ? `${event.reminder.kind}:${event.reminder.sequence} ${event.occurrence.commitmentKey}`
      : event.type === 'DATE_REQUEST'
        ? `DATE_REQUEST:${event.sequence} ${event.occurrence.commitmentKey}${event.last ? ' (sista)' : ''}`
        : event.type
  }`;

function year(renewal: 'ANNUAL' | 'NONE' = 'NONE'): YearState {
  return startYear({
    activatedAt: at('2027-01-01T00:00:00Z'),
    settings: DEFAULT_SETTINGS.activities,
    period: { start: '2027-01-01', end: '2027-12-31' },
    renewal,
    occurrences: [
      { occurrenceId: 'o1', commitmentKey: 'dialogmoten', kind: 'ACTIVITY', dueDate: '2027-07-01' },
      { occurrenceId: 'o2', commitmentKey: 'trygghetsvandring', kind: 'ACTIVITY', dueDate: '2027-10-15' },
    ],
  });
}

/** Plays the year forward, marking each event done, until `until`; returns what happened. */
function playUntil(state: YearState, until: string): string[] {
  const happened: string[] = [];
  for (let event = nextEvent(state); event && event.at <= at(until); event = nextEvent(state)) {
    happened.push(describeEvent(event)!);
    if (event.type === 'REMINDER') markReminderSent(event.occurrence, event.reminder, event.dueDate);
    else if (event.type === 'DATE_REQUEST') markDateRequested(event.occurrence);
    else if (event.type === 'FOLLOW_UP') markFollowUpRequested(state, event.followUp, event.at);
    else state.renewalId = 'renewal';
  }
  return happened;
}

test('reminders come in order; a report stops those of its occurrence', () => {
  const state = year();
  expect(playUntil(state, '2027-07-08T12:00:00Z')).toEqual([
    '2027-06-17T07:00:00.000Z BEFORE:0 dialogmoten',
    '2027-07-01T07:00:00.000Z DUE:0 dialogmoten',
    '2027-07-08T07:00:00.000Z OVERDUE:1 dialogmoten',
  ]);
  applyReport(state.occurrences[0]!, { kind: 'DONE', performedOn: '2027-07-09', description: 'Genomfört.' }, at('2027-07-09T12:00:00Z'));
  expect(describeEvent(nextEvent(state))).toBe('2027-10-01T07:00:00.000Z BEFORE:0 trygghetsvandring');
});

test('a postponement moves the occurrence and gives it a fresh set of reminders', () => {
  const state = year();
  playUntil(state, '2027-07-01T12:00:00Z');
  applyReport(state.occurrences[0]!, { kind: 'POSTPONED', newDueDate: '2027-09-01', reason: 'Semestertider.' }, at('2027-07-01T12:00:00Z'));
  expect(playUntil(state, '2027-09-01T12:00:00Z')).toEqual([
    '2027-08-18T07:00:00.000Z BEFORE:0 dialogmoten',
    '2027-09-01T07:00:00.000Z DUE:0 dialogmoten',
  ]);
});

test('a cancellation ends the reminders; then the follow-up, and its reminders until published', () => {
  const state = year();
  state.occurrences.forEach((o) => applyReport(o, { kind: 'CANCELLED', reason: 'Inställt.' }, at('2027-01-02T00:00:00Z')));
  expect(playUntil(state, '2028-01-15T12:00:00Z')).toEqual([
    '2028-01-01T00:00:00.000Z FOLLOW_UP',
    '2028-01-08T00:00:00.000Z FOLLOW_UP',
    '2028-01-15T00:00:00.000Z FOLLOW_UP',
  ]);
  state.followUps[0]!.status = 'PUBLISHED';
  expect(nextEvent(state)).toBeUndefined();
});

test('an annual promise renews itself 60 days before the period ends, once', () => {
  const state = year('ANNUAL');
  state.occurrences.forEach((o) => applyReport(o, { kind: 'CANCELLED', reason: 'Inställt.' }, at('2027-01-02T00:00:00Z')));
  expect(playUntil(state, '2027-12-31T00:00:00Z')).toEqual(['2027-11-02T00:00:00.000Z RENEWAL']);
  expect(describeEvent(nextEvent(state))).toBe('2028-01-01T00:00:00.000Z FOLLOW_UP');
});

test('a postponement to a date within two weeks skips the "coming up" reminder that is already past', () => {
  const state = year();
  applyReport(
    state.occurrences[0]!,
    { kind: 'POSTPONED', newDueDate: '2027-07-10', reason: 'Lokalen var upptagen.' },
    at('2027-07-01T12:00:00Z'),
  );
  expect(describeEvent(nextEvent(state))).toBe('2027-07-10T07:00:00.000Z DUE:0 dialogmoten');
});

test('reminders before the promise became active are not sent late', () => {
  const state = year();
  state.activatedAt = at('2027-06-20T00:00:00Z');
  expect(describeEvent(nextEvent(state))).toBe('2027-07-01T07:00:00.000Z DUE:0 dialogmoten');
});

test('the coordinator is reminded of an unpublished follow-up at most maxFollowUpReminders times', () => {
  const state = year();
  state.settings = { ...state.settings, followUpReminderInterval: '1s', maxFollowUpReminders: 3 };
  state.occurrences.forEach((o) => applyReport(o, { kind: 'CANCELLED', reason: 'Inställt.' }, at('2027-01-02T00:00:00Z')));
  expect(playUntil(state, '2029-01-01T00:00:00Z')).toEqual([
    '2028-01-01T00:00:00.000Z FOLLOW_UP',
    '2028-01-01T00:00:01.000Z FOLLOW_UP',
    '2028-01-01T00:00:02.000Z FOLLOW_UP',
    '2028-01-01T00:00:03.000Z FOLLOW_UP',
  ]);
  expect(nextEvent(state)).toBeUndefined();
});

test('a postponement while a reminder for the old date goes out keeps the first reminder for the new date', () => {
  const state = year();
  const event = nextEvent(state)!;
  expect(describeEvent(event)).toBe('2027-06-17T07:00:00.000Z BEFORE:0 dialogmoten');
  if (event.type !== 'REMINDER') throw new Error('en påminnelse väntades');
  // The reminder for 1 July is on its way when the postponement to 1 September lands.
  const sentFor = event.dueDate;
  applyReport(
    event.occurrence,
    { kind: 'POSTPONED', newDueDate: '2027-09-01', reason: 'Lokalen var upptagen.' },
    at('2027-06-17T07:00:01Z'),
  );
  markReminderSent(event.occurrence, event.reminder, sentFor);
  expect(describeEvent(nextEvent(state))).toBe('2027-08-18T07:00:00.000Z BEFORE:0 dialogmoten');
});

test('a year adopted from the records keeps what is closed and published, and reminds only from now on', () => {
  const recorded = {
    settings: DEFAULT_SETTINGS.activities,
    period: { start: '2027-01-01', end: '2027-12-31' },
    renewal: 'ANNUAL' as const,
    occurrences: [
      { occurrenceId: 'o1', commitmentKey: 'dialogmoten', kind: 'ACTIVITY' as const, dueDate: '2027-07-01' },
      { occurrenceId: 'o2', commitmentKey: 'trygghetsvandring', kind: 'ACTIVITY' as const, dueDate: '2027-10-15' },
    ],
    open: ['o2'],
    followUps: [],
    renewalId: 'r1',
  };
  const state = adoptYear(recorded, at('2027-10-10T00:00:00Z'));
  expect(state.occurrences.map((o) => o.open)).toEqual([false, true]);
  expect(state.renewalId).toBe('r1');
  // The "coming up" reminder of 1 October fell due while no run was going: not sent late.
  expect(describeEvent(nextEvent(state))).toBe('2027-10-15T07:00:00.000Z DUE:0 trygghetsvandring');
});

describe('a one-off whose date is to be set', () => {
  const undatedYear = (activatedAt = '2027-01-01T00:00:00Z') =>
    startYear({
      activatedAt: at(activatedAt),
      settings: DEFAULT_SETTINGS.activities,
      period: { start: '2027-01-01', end: '2027-12-31' },
      renewal: 'NONE',
      occurrences: [{ occurrenceId: 'o1', commitmentKey: 'dialog', kind: 'ACTIVITY', dueDate: null }],
    });

  test('the coordinator is asked at once and every 14 days; once the date is set, the contacts get the usual reminders', () => {
    const state = undatedYear();
    expect(playUntil(state, '2027-01-30T00:00:00Z')).toEqual([
      '2027-01-01T00:00:00.000Z DATE_REQUEST:0 dialog',
      '2027-01-15T00:00:00.000Z DATE_REQUEST:1 dialog',
      '2027-01-29T00:00:00.000Z DATE_REQUEST:2 dialog',
    ]);
    applyReport(state.occurrences[0]!, { kind: 'DATE_SET', newDueDate: '2027-03-10' }, at('2027-02-01T09:00:00Z'));
    expect(playUntil(state, '2027-03-11T00:00:00Z')).toEqual([
      '2027-02-24T07:00:00.000Z BEFORE:0 dialog',
      '2027-03-10T07:00:00.000Z DUE:0 dialog',
    ]);
  });

  test('asking stops when the period ends; reported done without a date, it is closed', () => {
    const late = undatedYear('2027-12-10T00:00:00Z');
    expect(playUntil(late, '2028-06-01T00:00:00Z').filter((e) => e.includes('DATE_REQUEST'))).toEqual([
      '2027-12-10T00:00:00.000Z DATE_REQUEST:0 dialog',
      '2027-12-24T00:00:00.000Z DATE_REQUEST:1 dialog',
    ]);
    const done = undatedYear();
    applyReport(
      done.occurrences[0]!,
      { kind: 'DONE', performedOn: '2027-01-01', description: 'Dialogen hölls.' },
      at('2027-01-02T00:00:00Z'),
    );
    expect(nextEvent(done)?.type).toBe('FOLLOW_UP');
  });

  test('asked at most maxDateRequests times, then once more saying it is the last, then no more while the period lasts', () => {
    const state = undatedYear();
    expect(playUntil(state, '2028-01-01T00:00:00Z').filter((e) => e.includes('DATE_REQUEST'))).toEqual([
      '2027-01-01T00:00:00.000Z DATE_REQUEST:0 dialog',
      '2027-01-15T00:00:00.000Z DATE_REQUEST:1 dialog',
      '2027-01-29T00:00:00.000Z DATE_REQUEST:2 dialog',
      '2027-02-12T00:00:00.000Z DATE_REQUEST:3 dialog',
      '2027-02-26T00:00:00.000Z DATE_REQUEST:4 dialog (sista)',
    ]);
  });

  test('a year begun before the limit existed (settings without it) is asked until the period ends, as its history says', () => {
    const { maxDateRequests: _none, ...before } = DEFAULT_SETTINGS.activities;
    const state = startYear({
      activatedAt: at('2027-01-01T00:00:00Z'),
      settings: before as typeof DEFAULT_SETTINGS.activities,
      period: { start: '2027-01-01', end: '2027-12-31' },
      renewal: 'NONE',
      occurrences: [{ occurrenceId: 'o1', commitmentKey: 'dialog', kind: 'ACTIVITY', dueDate: null }],
    });
    expect(playUntil(state, '2028-01-01T00:00:00Z').filter((e) => e.includes('DATE_REQUEST'))).toHaveLength(27);
  });

  test('adopted from the records while still without a date, it is asked for again from now on', () => {
    const state = adoptYear(
      {
        settings: DEFAULT_SETTINGS.activities,
        period: { start: '2027-01-01', end: '2027-12-31' },
        renewal: 'NONE',
        occurrences: [{ occurrenceId: 'o1', commitmentKey: 'dialog', kind: 'ACTIVITY', dueDate: null }],
        open: ['o1'],
        followUps: [],
      },
      at('2027-05-05T12:00:00Z'),
    );
    expect(describeEvent(nextEvent(state))).toBe('2027-05-05T12:00:00.000Z DATE_REQUEST:0 dialog');
  });
});
