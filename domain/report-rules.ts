import type { IsoDate } from './calendar';
import type { FieldProblem } from './problems';
import type { ActivityReport } from './requests';

/**
 * What counts as reported, for every count a person reads (the follow-up, the public page, the
 * chart, open data): the activity done, a progress report, or cancelled with its reason. Setting a
 * date or moving one says when, not what was done.
 */
export const REPORTED_KINDS: readonly ActivityReport['kind'][] = ['DONE', 'PROGRESS', 'CANCELLED'];

/** Whether an occurrence's reports say what became of it. */
export const hasBeenReported = (reports: readonly { kind: string }[]): boolean =>
  reports.some((report) => (REPORTED_KINDS as readonly string[]).includes(report.kind));

/** Which form fields belong to each kind of report; the page shows them all, without script. */
export const REPORT_FORM_FIELDS: Record<ActivityReport['kind'], readonly string[]> = {
  DONE: ['performedOn', 'description', 'participants', 'hours', 'link'],
  PROGRESS: ['description', 'link'],
  CANCELLED: ['reason'],
  POSTPONED: ['newDueDate', 'reason'],
  DATE_SET: ['newDueDate', 'reason'],
};

/** Every kind of report an occurrence accepts, the likeliest first: a date is set only where none is, and only a dated activity is moved. */
export const acceptedReportKinds = (occurrence: { dueDate: unknown }): ActivityReport['kind'][] =>
  occurrence.dueDate === null ? ['DATE_SET', 'DONE', 'PROGRESS', 'CANCELLED'] : ['DONE', 'PROGRESS', 'CANCELLED', 'POSTPONED'];

/**
 * The kinds a contact's short form offers: a progress report is made or called off; a one-off whose
 * date is to be set gets its date, or is done or cancelled; a dated activity is done, cancelled or moved.
 */
export function contactReportKinds(occurrence: { kind: string; dueDate: unknown }): ActivityReport['kind'][] {
  if (occurrence.kind === 'PROGRESS_REPORT') return ['PROGRESS', 'CANCELLED'];
  return occurrence.dueDate === null ? ['DATE_SET', 'DONE', 'CANCELLED'] : ['DONE', 'CANCELLED', 'POSTPONED'];
}

/** The form fields of these kinds of report, each once, in the form's order. */
export const reportFieldsFor = (kinds: readonly ActivityReport['kind'][]): string[] =>
  [...new Set(kinds.flatMap((kind) => REPORT_FORM_FIELDS[kind]))].sort((a, b) => FIELD_ORDER.indexOf(a) - FIELD_ORDER.indexOf(b));

const FIELD_ORDER = ['performedOn', 'newDueDate', 'description', 'participants', 'hours', 'link', 'reason'];

/**
 * What is wrong with a report on this occurrence, now: its kind (a date is set only where none is,
 * and an occurrence without a date cannot be moved), and its dates against the promise's period
 * and today (in Sweden): an activity was performed within the period and not in the future; a new
 * date is a day still to come, within the period. Problems name the report's own fields.
 */
export function reportProblems(
  report: ActivityReport,
  occurrence: { dueDate: IsoDate | null },
  period: { start: IsoDate; end: IsoDate },
  today: IsoDate,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (report.kind === 'DATE_SET' && occurrence.dueDate !== null) {
    problems.push({
      field: 'kind',
      problem: `aktiviteten har redan ett datum (${occurrence.dueDate}); flytta den i stället (POSTPONED) med ett skäl`,
    });
  }
  if (report.kind === 'POSTPONED' && occurrence.dueDate === null) {
    problems.push({ field: 'kind', problem: 'aktiviteten har inget datum än; sätt datumet (DATE_SET)' });
  }
  if (report.kind === 'DONE') {
    const on = report.performedOn;
    if (on > today) problems.push({ field: 'performedOn', problem: `ligger i framtiden (i dag är det ${today})` });
    else if (on < period.start || on > period.end)
      problems.push({ field: 'performedOn', problem: `ska ligga inom löftets period, ${period.start} – ${period.end}` });
  }
  if (report.kind === 'POSTPONED' || report.kind === 'DATE_SET') {
    const to = report.newDueDate;
    if (to < today) problems.push({ field: 'newDueDate', problem: `har redan passerat (i dag är det ${today})` });
    else if (to > period.end) problems.push({ field: 'newDueDate', problem: `ligger efter löftets period, som slutar ${period.end}` });
  }
  return problems;
}
