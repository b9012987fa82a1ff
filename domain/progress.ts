import type { PromiseContent } from './content';
import { hasBeenReported } from './report-rules';

// What was done of each commitment, for the public: counted from the year's occurrences, with "no
// report yet" as a state of its own (never 0 %), and the reports as dated updates, a corrected
// report replaced by its correction.

export interface OccurrenceRecord {
  commitmentKey: string;
  status: 'PLANNED' | 'DONE' | 'CANCELLED' | 'POSTPONED';
  reports: ReportRecord[];
}

export interface ReportRecord {
  id: string;
  kind: 'DONE' | 'PROGRESS' | 'CANCELLED' | 'POSTPONED' | 'DATE_SET';
  performedOn: string | null;
  description: string | null;
  reason: string | null;
  newDueDate: string | null;
  correctsId: string | null;
  reportedOn: string;
  /** When it was made: the instant a feed and open data give. */
  reportedAt: Date;
}

export interface CommitmentProgress {
  key: string;
  text: string;
  planned: number;
  done: number;
  cancelled: number;
  /** Whether any occurrence has been reported (report-rules.ts says what counts). */
  reported: boolean;
}

export function progressOf(content: PromiseContent, occurrences: OccurrenceRecord[]): CommitmentProgress[] {
  return content.priorityAreas
    .flatMap((area) => area.commitments)
    .map((commitment) => {
      const mine = occurrences.filter((o) => o.commitmentKey === commitment.key);
      return {
        key: commitment.key,
        text: commitment.text,
        planned: mine.length,
        done: mine.filter((o) => o.status === 'DONE').length,
        cancelled: mine.filter((o) => o.status === 'CANCELLED').length,
        reported: mine.some((o) => hasBeenReported(o.reports)),
      };
    });
}

/**
 * Every report that stands (not replaced by a correction), with its commitment, the latest first.
 * A correction stands in its original's place: `original` is the first report of the chain (its id
 * and when it was made), so a feed updates that entry instead of adding one.
 */
export function updatesOf(content: PromiseContent, occurrences: OccurrenceRecord[]) {
  const texts = new Map(content.priorityAreas.flatMap((area) => area.commitments).map((c) => [c.key, c.text] as const));
  const reports = occurrences.flatMap((o) => o.reports.map((report) => ({ report, commitment: texts.get(o.commitmentKey) ?? '' })));
  const byId = new Map(reports.map(({ report }) => [report.id, report]));
  const corrected = new Set(reports.map(({ report }) => report.correctsId).filter((id) => id !== null));
  const originalOf = (report: ReportRecord): ReportRecord => {
    const earlier = report.correctsId ? byId.get(report.correctsId) : undefined;
    return earlier ? originalOf(earlier) : report;
  };
  return reports
    .filter(({ report }) => !corrected.has(report.id))
    .map(({ report, commitment }) => {
      const original = originalOf(report);
      return {
        ...report,
        commitment,
        on: report.performedOn ?? report.reportedOn,
        original: { id: original.id, reportedAt: original.reportedAt },
      };
    })
    .sort((a, b) => b.on.localeCompare(a.on));
}
