import type { FieldProblem } from '../../domain/problems';
import type { RetentionPolicy } from '../../domain/retention';
import { NumberField, Select, TextField, problemsByField } from './fields';
import { CsrfField, Layout, type PageContext, ProblemSummary, RefusalNotice, StatusNotice } from './layout';

// A person's rights, carried out by a coordinator: look up an address, download everything kept
// about it (access), or erase it (erasure) with a reason; what the public record keeps is listed.

export interface OrganisationRetentionRow {
  id: string;
  name: string;
  retentionTechnicalDays: number | null;
  retentionAddressMonths: number | null;
}

export interface RightsData {
  /** The installation's limits, and the coordinator's organisations with their own. */
  retention: { installation: RetentionPolicy; organisations: OrganisationRetentionRow[] };
  form?: Record<string, unknown>;
  problems?: FieldProblem[];
  notice?: string;
  refusal?: string;
  /** After an erasure: the names and titles that stay, as signed. */
  kept?: { promise: string; name: string; title: string }[];
}

export function Rights({ context, data }: { context: PageContext; data: RightsData }) {
  const { t } = context;
  const texts = t.rights;
  const problems = problemsByField(t, data.problems ?? []);
  const labels: Record<string, string> = {
    email: texts.email,
    reason: texts.reason,
    organisationId: texts.organisation,
    retentionTechnicalDays: texts.technicalDays,
    retentionAddressMonths: texts.addressMonths,
  };
  const { installation, organisations } = data.retention;
  const own = (value: number | null) => (value === null ? texts.installationDefault : String(value));
  return (
    <Layout context={context} title={texts.title}>
      <h1>{texts.title}</h1>
      <StatusNotice text={data.notice} />
      <RefusalNotice text={data.refusal} />
      <ProblemSummary t={t} problems={data.problems ?? []} labels={labels} />
      {data.kept && data.kept.length > 0 && (
        <>
          <h2>{texts.keptTitle}</h2>
          <ul>
            {data.kept.map((k) => (
              <li key={`${k.promise}-${k.name}`}>{[k.name, k.title, k.promise].filter(Boolean).join(', ')}</li>
            ))}
          </ul>
        </>
      )}
      <p>{texts.intro}</p>
      {/* One address for both: the export and the erasure post the same form to their own paths. */}
      <form method="post" action="/app/personuppgifter/utdrag">
        <CsrfField token={context.csrfToken} />
        <TextField name="email" label={texts.email} type="email" value={data.form?.email} problems={problems} />
        <h2>{texts.exportTitle}</h2>
        <p>{texts.exportIntro}</p>
        <p>
          <button type="submit">{texts.export}</button>
        </p>
        <h2>{texts.eraseTitle}</h2>
        <p>{texts.eraseIntro}</p>
        <TextField name="reason" label={texts.reason} hint={texts.reasonHint} value={data.form?.reason} problems={problems} />
        <p>
          <button type="submit" class="primary" formaction="/app/personuppgifter/radera">
            {texts.erase}
          </button>
        </p>
      </form>
      {organisations.length > 0 && (
        <form method="post" action="/app/personuppgifter/lagringstider" aria-labelledby="lagringstider">
          <h2 id="lagringstider">{texts.retentionTitle}</h2>
          <p>{texts.retentionIntro(installation.technicalDays, installation.addressMonths)}</p>
          <table>
            <caption>{texts.retentionCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{texts.organisation}</th>
                <th scope="col">{texts.technicalDays}</th>
                <th scope="col">{texts.addressMonths}</th>
              </tr>
            </thead>
            <tbody>
              {organisations.map((o) => (
                <tr key={o.id}>
                  <td>{o.name}</td>
                  <td>{own(o.retentionTechnicalDays)}</td>
                  <td>{own(o.retentionAddressMonths)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <CsrfField token={context.csrfToken} />
          <Select
            name="organisationId"
            label={texts.organisation}
            options={organisations.map((o) => [o.id, o.name] as const)}
            value={data.form?.organisationId}
            problems={problems}
          />
          <NumberField
            name="retentionTechnicalDays"
            label={texts.technicalDays}
            value={data.form?.retentionTechnicalDays}
            problems={problems}
          />
          <NumberField
            name="retentionAddressMonths"
            label={texts.addressMonths}
            value={data.form?.retentionAddressMonths}
            problems={problems}
          />
          <p>
            <button type="submit">{texts.saveRetention}</button>
          </p>
        </form>
      )}
    </Layout>
  );
}
