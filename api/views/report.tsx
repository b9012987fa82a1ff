import type { ActivityReport } from '../../domain/requests';
import type { FieldProblem } from '../../domain/problems';
import type { Sender } from '../../store/promises';
import { problemsByField } from './fields';
import { Layout, ProblemSummary, type PageContext } from './layout';
import { AskedBy, inLanguage } from './link-pages';
import { reportFieldLabel, ReportFields } from './report-fields';

// The report page behind the link in an activity's reminder: made for a phone, one column, the
// activity, what has been reported, and one short form; the person can correct their own report.

export interface ReportPageData {
  /** The link's own path, `/report/<key>`. */
  path: string;
  commitment: string;
  promiseTitle: string;
  progressReport: boolean;
  dueDate: string | null;
  closed: boolean;
  kinds: ActivityReport['kind'][];
  reports: { id: string; kind: string; on: string; yours: boolean; correction: boolean; details: string[] }[];
  /** The reports this person may correct, their latest first. */
  own: string[];
  sender: Sender;
  /** The form's id: the same form sent twice is one report. */
  submissionId: string;
  /** A contact's own calendar of the promise's activities, to subscribe to. */
  calendarPath?: string;
}

export function ReportPage({
  context,
  data,
  form = {},
  problems = [],
}: {
  context: PageContext;
  data: ReportPageData;
  form?: Record<string, unknown>;
  problems?: FieldProblem[];
}) {
  const texts = context.t.links.report;
  const kindLabel = new Map(context.t.occurrence.kinds);
  const title = data.progressReport ? texts.progressTitle : texts.title;
  const correctable = data.reports
    .filter((r) => data.own.includes(r.id))
    .map((r) => [r.id, `${kindLabel.get(r.kind) ?? r.kind}, ${r.on}`] as const);
  return (
    <Layout context={context} title={title}>
      <h1>{title}</h1>
      <p>
        <strong>{data.commitment}</strong>
      </p>
      <p>
        {texts.from(data.promiseTitle)}{' '}
        {data.dueDate === null ? texts.undated : data.progressReport ? texts.progressUntil(data.dueDate) : texts.planned(data.dueDate)}
      </p>
      {data.calendarPath && (
        <p>
          <a href={data.calendarPath} type="text/calendar">
            {texts.calendar}
          </a>
        </p>
      )}
      {data.reports.length > 0 && (
        <>
          <h2>{texts.soFar}</h2>
          <ul>
            {data.reports.map((r) => (
              <li key={r.id}>
                <strong>{kindLabel.get(r.kind) ?? r.kind}</strong>
                {`, ${texts.reportedOn(r.on)}${r.yours ? ` (${texts.yours})` : ''}${r.correction ? ` (${texts.correction})` : ''}`}
                {r.details.map((d) => (
                  <p key={d}>{d}</p>
                ))}
              </li>
            ))}
          </ul>
        </>
      )}
      {data.closed && <p class="notice">{texts.closed}</p>}
      <h2>{texts.formTitle}</h2>
      <ProblemSummary
        t={context.t}
        problems={problems}
        labels={(field) => reportFieldLabel(context.t.occurrence, field, data.dueDate === null)}
      />
      <form method="post" action={inLanguage(data.path, context)} novalidate>
        <input type="hidden" name="submissionId" value={data.submissionId} />
        <ReportFields
          context={context}
          kinds={data.kinds}
          form={form}
          problems={problemsByField(context.t, problems)}
          correctable={correctable}
          correcting={data.closed ? data.own[0] : undefined}
          undated={data.dueDate === null}
        />
        <button type="submit" class="primary">
          {texts.send}
        </button>
      </form>
      <AskedBy context={context} sender={data.sender} />
    </Layout>
  );
}

export function ReportThanksPage({ context, text, path }: { context: PageContext; text: string; path: string }) {
  const texts = context.t.links.report;
  return (
    <Layout context={context} title={texts.thanksTitle}>
      <h1>{texts.thanksTitle}</h1>
      <p class="notice">{text}</p>
      <p>{texts.correctLater}</p>
      <p>
        <a href={inLanguage(path, context)}>{texts.back}</a>
      </p>
    </Layout>
  );
}
