import type { FieldProblem } from '../../domain/problems';
import { TextArea, problemsByField } from './fields';
import { CsrfField, Layout, type PageContext, ProblemSummary, RefusalNotice } from './layout';

// A follow-up for its coordinator: what the reports say (planned against done), the narrative,
// the safety survey and the crime statistics to edit, and publishing it.

export interface FollowUpPageData {
  promiseId: string;
  index: number;
  period: { start: string; end: string };
  final: boolean;
  status: string;
  publishedAt: string | null;
  rows: { text: string; schedule: string | null; planned: number; done: number; notReported: number }[];
  form: { narrative?: string; safetySurvey?: string; crimeStatistics?: string };
  problems: FieldProblem[];
  refusal?: string;
}

export function FollowUpPage({ context, data }: { context: PageContext; data: FollowUpPageData }) {
  const { t } = context;
  const texts = t.followUp;
  const title = texts.title(data.index, data.period.start, data.period.end);
  const problems = problemsByField(context.t, data.problems);
  const labels: Record<string, string> = {
    narrative: texts.narrative,
    safetySurvey: texts.safetySurvey,
    crimeStatistics: texts.crimeStatistics,
  };
  const published = data.status === 'PUBLISHED';
  return (
    <Layout context={context} title={title}>
      <p>
        <a href={`/app/loften/${data.promiseId}`}>{t.occurrence.back}</a>
      </p>
      <h1>{title}</h1>
      <p>{published && data.publishedAt ? texts.published(data.publishedAt) : texts.status[data.status]}</p>
      <table>
        <caption>{texts.generated}</caption>
        <thead>
          <tr>
            <th scope="col">{texts.columns.commitment}</th>
            <th scope="col">{texts.columns.schedule}</th>
            <th scope="col">{texts.columns.planned}</th>
            <th scope="col">{texts.columns.done}</th>
            <th scope="col">{texts.columns.notReported}</th>
          </tr>
        </thead>
        <tbody>
          {data.rows.map((row, i) => (
            <tr key={i}>
              <td>{row.text}</td>
              <td>{row.schedule ?? ''}</td>
              <td>{row.planned}</td>
              <td>{row.done}</td>
              <td>{row.notReported}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <RefusalNotice text={data.refusal} />
      <ProblemSummary t={t} problems={data.problems} labels={labels} />
      <form method="post" action={`/app/loften/${data.promiseId}/uppfoljningar/${data.index}`} novalidate>
        <CsrfField token={context.csrfToken} />
        <TextArea
          name="narrative"
          label={texts.narrative}
          hint={texts.narrativeHint}
          value={data.form.narrative}
          rows={8}
          problems={problems}
        />
        <TextArea name="safetySurvey" label={texts.safetySurvey} value={data.form.safetySurvey} rows={3} problems={problems} />
        <TextArea name="crimeStatistics" label={texts.crimeStatistics} value={data.form.crimeStatistics} rows={3} problems={problems} />
        {!published && (
          <>
            {data.final && <p>{texts.finalNote}</p>}
            <button type="submit" class="primary">
              {texts.publish}
            </button>
          </>
        )}
      </form>
    </Layout>
  );
}
