import type { IsoDate } from './calendar';
import type { ActivityReport } from './requests';
import type { FieldProblem } from './validation';

/**
 * A report's dates against the promise's period and today (in Sweden): an activity was performed
 * within the period and not in the future; a postponement moves it to a day still to come, within
 * the period. Problems name the report's own fields.
 */
export function reportDateProblems(report: ActivityReport, period: { start: IsoDate; end: IsoDate }, today: IsoDate): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (report.kind === 'DONE') {
    const on = report.performedOn;
    if (on > today) problems.push({ field: 'performedOn', problem: `ligger i framtiden (i dag är det ${today})` });
    else if (on < period.start || on > period.end) problems.push({ field: 'performedOn', problem: `ska ligga inom löftets period, ${period.start} – ${period.end}` });
  }
  if (report.kind === 'POSTPONED') {
    const to = report.newDueDate;
    if (to < today) problems.push({ field: 'newDueDate', problem: `har redan passerat (i dag är det ${today})` });
    else if (to > period.end) problems.push({ field: 'newDueDate', problem: `ligger efter löftets period, som slutar ${period.end}` });
  }
  return problems;
}
