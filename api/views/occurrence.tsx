import type { FieldProblem } from '../../domain/problems';
import type { occurrenceView } from '../routes/year';
import { actorLabel } from './actors';
import { acceptedReportKinds } from '../../domain/report-rules';
import { ReportFields } from './report-fields';
import { CsrfField, Layout, type PageContext, ProblemSummary, RefusalNotice, StatusNotice } from './layout';
import { problemsByField } from './fields';

// One of the year's activities for its coordinator: its date and state, every report, and a form
// to report for a contact, correct a report, or set a date that was to be set.

export interface OccurrencePageData {
  promiseId: string;
  occurrence: ReturnType<typeof occurrenceView>;
  /** Who reported, by name or address, per report id. */
  reporters: Map<string, string>;
  reportedAt: Map<string, string>;
  /** The form's id: the same form sent twice is one report. */
  submissionId: string;
  form?: Record<string, unknown>;
  problems: FieldProblem[];
  refusal?: string;
  /** What was just done (a report recorded), said in a status message. */
  notice?: string;
}

export function OccurrencePage({ context, data }: { context: PageContext; data: OccurrencePageData }) {
  const { t } = context;
  const texts = t.occurrence;
  const { occurrence, form = {} } = data;
  const problems = problemsByField(context.t, data.problems);
  const kindLabel = new Map(texts.kinds);
  const undated = occurrence.dueDate === null;
  return (
    <Layout context={context} title={texts.title(occurrence.commitment)}>
      <p>
        <a href={`/app/loften/${data.promiseId}`}>{texts.back}</a>
      </p>
      <h1>{texts.title(occurrence.commitment)}</h1>
      <StatusNotice text={data.notice} />
      <dl>
        <dt>{texts.due}</dt>
        <dd>{occurrence.dueDate ?? t.promise.dateToBeSet}</dd>
        <dt>{texts.status}</dt>
        <dd>{t.promise.occurrenceStatus[occurrence.status] ?? occurrence.status}</dd>
        <dt>{texts.contacts}</dt>
        <dd>{occurrence.contacts.map((c) => `${c.name} <${c.email}>`).join(', ') || '–'}</dd>
      </dl>
      <h2>{texts.reports}</h2>
      {occurrence.reports.length === 0 ? (
        <p>{texts.noReports}</p>
      ) : (
        <ul>
          {occurrence.reports.map((r) => (
            <li key={r.id}>
              <strong>{kindLabel.get(r.kind) ?? r.kind}</strong>
              {r.correctsReportId ? ` (${texts.correction})` : ''}{' '}
              {texts.reportedBy(
                actorLabel(data.reporters.get(r.id) ?? r.reportedBy, t.promise.theService),
                data.reportedAt.get(r.id) ?? '',
              )}
              {r.performedOn && `: ${r.performedOn}`}
              {r.newDueDate && `: ${r.newDueDate}`}
              {r.description && <p>{r.description}</p>}
              {r.reason && <p>{`${texts.labels.reason}: ${r.reason}`}</p>}
            </li>
          ))}
        </ul>
      )}
      <h2 id="rapportera">{texts.reportTitle}</h2>
      <RefusalNotice text={data.refusal} />
      <ProblemSummary t={t} problems={data.problems} labels={texts.labels} />
      <p>{texts.reportIntro}</p>
      <form method="post" action={`/app/loften/${data.promiseId}/aktiviteter/${occurrence.id}`} novalidate>
        <CsrfField token={context.csrfToken} />
        <input type="hidden" name="submissionId" value={data.submissionId} />
        <ReportFields
          context={context}
          kinds={acceptedReportKinds(occurrence)}
          form={form}
          problems={problems}
          undated={undated}
          correctable={occurrence.reports.map(
            (r) => [r.id, `${kindLabel.get(r.kind) ?? r.kind}, ${data.reportedAt.get(r.id) ?? ''}`] as const,
          )}
        />
        <button type="submit" class="primary">
          {texts.send}
        </button>
      </form>
    </Layout>
  );
}
