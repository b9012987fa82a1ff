import type { ChainHead } from '../../domain/audit-chain';
import type { CommitmentProgress, updatesOf } from '../../domain/progress';
import { SignedText } from './signed-text';
import type { PromiseContent } from '../../domain/content';
import { Layout, type PageContext } from './layout';
import { ProgressChart } from './progress-chart';

// The citizens' pages: the municipalities with signed promises, a municipality's promises (this
// period's and earlier ones), and one promise: the text as signed, who signed it, what has been
// done, the latest reports and the published follow-ups. No e-mail address and no draft reaches
// these components: store/public.ts selects what they may show.

export interface PublicPromiseRow {
  id: string;
  title: string;
  municipality: string;
  period: string;
  status: string;
}

export function MunicipalitiesPage({
  context,
  municipalities,
}: {
  context: PageContext;
  municipalities: { name: string; slug: string }[];
}) {
  const texts = context.t.public;
  return (
    <Layout context={context} title={texts.municipalitiesTitle}>
      <h1>{texts.municipalitiesTitle}</h1>
      <p>{texts.municipalitiesIntro}</p>
      <p>
        <a href="/oppna-data">{texts.openData}</a>
      </p>
      {municipalities.length === 0 ? (
        <p>{texts.none}</p>
      ) : (
        <ul>
          {municipalities.map((m) => (
            <li key={m.slug}>
              <a href={`/kommuner/${m.slug}`}>{m.name}</a>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function MunicipalityPage({
  context,
  municipality,
  slug,
  promises,
}: {
  context: PageContext;
  municipality: string;
  /** The municipality in addresses. */
  slug: string;
  promises: PublicPromiseRow[];
}) {
  const texts = context.t.public;
  return (
    <Layout context={context} title={texts.municipalityTitle(municipality)}>
      <p>
        <a href="/kommuner">{texts.allMunicipalities}</a>
      </p>
      <h1>{texts.municipalityTitle(municipality)}</h1>
      <p>
        <a href={`/kommuner/${slug}/flode.atom`} type="application/atom+xml">
          {texts.follow}
        </a>
      </p>
      <table>
        <caption>{texts.promisesCaption(municipality)}</caption>
        <thead>
          <tr>
            <th scope="col">{texts.columns.title}</th>
            <th scope="col">{texts.columns.period}</th>
            <th scope="col">{texts.columns.status}</th>
          </tr>
        </thead>
        <tbody>
          {promises.map((p) => (
            <tr key={p.id}>
              <td>
                <a href={`/loften/${p.id}`}>{p.title}</a>
              </td>
              <td>{p.period}</td>
              <td>{texts.status[p.status] ?? p.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

export interface PublicPromiseData {
  id: string;
  title: string;
  municipality: string;
  municipalitySlug: string;
  period: string;
  periodDates: { start: string; end: string };
  status: string;
  signedOn: string | null;
  /** When the round completed: the time a feed gives. */
  signedInstant: Date | null;
  sha256: string;
  /** The signed text exactly as its fingerprint is computed. */
  canonicalText: string;
  signatories: {
    name: string;
    title: string;
    party: string;
    signedAt: string;
    signedAtTime: string;
    signedAtInstant: Date;
    documentSha256: string;
    /** How they signed: the e-mailed link alone, or BankID. */
    method: 'EMAIL_LINK' | 'BANKID';
  }[];
  progress: CommitmentProgress[];
  updates: ReturnType<typeof updatesOf>;
  followUps: {
    index: number;
    final: boolean;
    start: string;
    end: string;
    narrative: string;
    safetySurvey: string | null;
    crimeStatistics: string | null;
    publishedAt: string;
    publishedInstant: Date;
  }[];
  /** The text as signed (escaped by its builder), and its content. */
  content: PromiseContent;
  /** The audit trail's head now, and as it stood when the last signature completed the round. */
  chain: { head: ChainHead | null; atSigning: ChainHead | null };
  predecessor: { id: string; title: string } | null;
  renewal: { id: string; title: string } | null;
}

export function PublicPromisePage({ context, data }: { context: PageContext; data: PublicPromiseData }) {
  const texts = context.t.public;
  return (
    <Layout context={context} title={data.title}>
      <p>
        <a href={`/kommuner/${data.municipalitySlug}`}>{texts.municipalityTitle(data.municipality)}</a>
      </p>
      <h1>{data.title}</h1>
      <p>
        <a href={`/loften/${data.id}/flode.atom`} type="application/atom+xml">
          {texts.follow}
        </a>
      </p>
      <p>
        <a href={`/loften/${data.id}/kalender.ics`} type="text/calendar">
          {texts.calendar}
        </a>
      </p>
      <dl>
        <dt>{texts.period}</dt>
        <dd>{data.period}</dd>
        <dt>{texts.columns.status}</dt>
        <dd>
          {texts.status[data.status] ?? data.status}
          {data.signedOn ? ` (${texts.signedOn(data.signedOn)})` : ''}
        </dd>
        <dt>{texts.fingerprint}</dt>
        <dd class="hash">{data.sha256}</dd>
        {data.predecessor && (
          <>
            <dt>{texts.earlier}</dt>
            <dd>
              <a href={`/loften/${data.predecessor.id}`}>{data.predecessor.title}</a>
            </dd>
          </>
        )}
        {data.renewal && (
          <>
            <dt>{texts.next}</dt>
            <dd>
              <a href={`/loften/${data.renewal.id}`}>{data.renewal.title}</a>
            </dd>
          </>
        )}
      </dl>

      <p class="actions">
        <a class="button" href={`/loften/${data.id}/loftet.pdf`}>
          {texts.pdf}
        </a>
        <a class="button" href={`/verifiera?fingeravtryck=${data.sha256}`}>
          {texts.verifyLink}
        </a>
      </p>

      <h2>{texts.progress}</h2>
      {data.progress.length > 0 && <ProgressChart context={context} progress={data.progress} />}
      <table>
        <caption>{texts.progressCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{texts.progressColumns.number}</th>
            <th scope="col">{texts.progressColumns.commitment}</th>
            <th scope="col">{texts.progressColumns.done}</th>
          </tr>
        </thead>
        <tbody>
          {data.progress.map((p, i) => (
            <tr key={p.key}>
              <td>{i + 1}</td>
              <td>{p.text}</td>
              <td>{p.reported ? texts.doneOf(p.done, p.planned, p.cancelled) : texts.noReportYet}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{texts.updates}</h2>
      {data.updates.length === 0 ? (
        <p>{texts.noUpdates}</p>
      ) : (
        <ul>
          {data.updates.map((u) => (
            <li key={u.id}>
              <strong>{`${u.on}: ${texts.update[u.kind] ?? u.kind}`}</strong>
              {u.newDueDate ? ` (${texts.movedTo(u.newDueDate)})` : ''} – {u.commitment}
              {u.description && <p>{u.description}</p>}
              {u.reason && <p>{u.reason}</p>}
            </li>
          ))}
        </ul>
      )}

      {data.followUps.length > 0 && (
        <>
          <h2>{texts.followUps}</h2>
          {data.followUps.map((f) => (
            <section key={f.start} aria-label={texts.followUp(f.start, f.end)}>
              <h3>{texts.followUp(f.start, f.end)}</h3>
              <p>{texts.published(f.publishedAt)}</p>
              <p class="wrap">{f.narrative}</p>
              <p>
                <a href={`/loften/${data.id}/uppfoljningar/${f.index}/uppfoljning.pdf`}>{texts.followUpPdf(f.start, f.end)}</a>
              </p>
            </section>
          ))}
        </>
      )}

      <h2>{texts.signatories}</h2>
      <ul>
        {data.signatories.map((s) => (
          <li
            key={`${s.name}-${s.party}`}
          >{`${s.name}, ${s.title}, ${s.party} – ${texts.signedOn(s.signedAt)} ${texts.signedWith[s.method]}`}</li>
        ))}
      </ul>

      <h2>{texts.text}</h2>
      <SignedText context={context} content={data.content} />
    </Layout>
  );
}

export function OpenDataPage({ context, files }: { context: PageContext; files: string[] }) {
  const texts = context.t.public;
  return (
    <Layout context={context} title={texts.openData}>
      <p>
        <a href="/kommuner">{texts.allMunicipalities}</a>
      </p>
      <h1>{texts.openData}</h1>
      <p>{texts.openDataIntro}</p>
      <p>{texts.openDataLicence}</p>
      <dl>
        <dt>
          <a href="/oppna-data/loften.json">loften.json</a>
        </dt>
        <dd>{texts.openDataJson}</dd>
        {files.map((file) => (
          <>
            <dt>
              <a href={`/oppna-data/${file}.csv`}>{`${file}.csv`}</a>
            </dt>
            <dd>{texts.openDataCsv[file]}</dd>
            <dt>
              <a href={`/oppna-data/${file}-kalkylblad.csv`}>{`${file}-kalkylblad.csv`}</a>
            </dt>
            <dd>{texts.openDataSpreadsheet}</dd>
          </>
        ))}
      </dl>
    </Layout>
  );
}
