import type { PromiseContent } from '../../domain/content';
import { stockholmTimeOf } from '../../domain/calendar';
import { SignedText } from './signed-text';
import { auditActionLabel } from '../../domain/audit-actions';
import type { promiseView } from '../promise-view';
import type { occurrenceView } from '../routes/year';
import { actorLabel } from './actors';
import { CsrfField, Layout, StatusNotice, type PageContext } from './layout';
import { PromiseActions, type ActionsData } from './promise-actions';

// One promise as its coordinators follow it: the facts, the signing round per signatory, the year,
// the text as it was signed, and what has happened; what can be done now, and the answer to it.

export interface PromisePageData {
  promise: Awaited<ReturnType<typeof promiseView>>;
  occurrences: ReturnType<typeof occurrenceView>[];
  audit: { at: string; actor: string; action: string }[];
  /** The text as the signing page shows it (escaped by its builder). */
  /** The promise's content as signed. */
  content: PromiseContent;
  actions: ActionsData;
  followUps: { index: number; start: string; end: string; status: string }[];
  /** What the last action did, said once on the page it led to. */
  notice?: string;
  /** A renewal's predecessor, and the commitments carried over from it. */
  predecessor?: { id: string; title: string };
  /** The renewal that followed, for the chain of periods. */
  renewal?: { id: string; title: string; period: string };
  versions: { number: number; sha256: string; createdAt: string }[];
  /** Reminders sent about each occurrence, by its id. */
  remindersSent: ReadonlyMap<string, number>;
  carriedOver: string[];
  /** The id of this page's forms that must act once however often they are sent. */
  submissionId: string;
}

export function PromisePage({ context, data }: { context: PageContext; data: PromisePageData }) {
  const { t } = context;
  const texts = t.promise;
  const { promise, occurrences, audit } = data;
  const round = promise.signingRound;
  const canResend = promise.status === 'SIGNING' && round?.status === 'OPEN';
  return (
    <Layout context={context} title={promise.title}>
      <p>
        <a href="/app">{texts.back}</a>
      </p>
      <h1>{promise.title}</h1>
      <StatusNotice text={data.notice} />
      {promise.attention.length > 0 && (
        <div class="error" role="alert">
          {promise.attention.map((a, i) => (
            <p key={i}>{t.dashboard.attentionItem(a)}</p>
          ))}
        </div>
      )}
      <h2>{texts.facts}</h2>
      <dl>
        <dt>{texts.status}</dt>
        <dd>
          {t.dashboard.status[promise.status]}
          {promise.statusReason ? ` – ${promise.statusReason}` : ''}
        </dd>
        <dt>{texts.period}</dt>
        <dd>{`${promise.period.start} – ${promise.period.end}`}</dd>
        <dt>{texts.version}</dt>
        <dd>{promise.currentVersion.number}</dd>
        <dt>{texts.fingerprint}</dt>
        <dd class="hash">{promise.currentVersion.sha256}</dd>
        {data.predecessor && (
          <>
            <dt>{t.actions.predecessor}</dt>
            <dd>
              <a href={`/app/loften/${data.predecessor.id}`}>{data.predecessor.title}</a>
            </dd>
          </>
        )}
        {data.renewal && (
          <>
            <dt>{t.actions.renewal}</dt>
            <dd>
              <a href={`/app/loften/${data.renewal.id}`}>{`${data.renewal.title} (${data.renewal.period})`}</a>
            </dd>
          </>
        )}
      </dl>
      {data.carriedOver.length > 0 && (
        <>
          <p>{t.actions.carriedOver}</p>
          <ul>
            {data.carriedOver.map((text, i) => (
              <li key={i}>{text}</li>
            ))}
          </ul>
        </>
      )}
      <PromiseActions context={context} data={data.actions} />

      <h2>{texts.signing}</h2>
      {!round ? (
        <p>{texts.noRound}</p>
      ) : (
        <table>
          <caption>{texts.round(round.number, texts.roundStatus[round.status] ?? round.status)}</caption>
          <thead>
            <tr>
              <th scope="col">{texts.signatoryColumns.name}</th>
              <th scope="col">{texts.signatoryColumns.party}</th>
              <th scope="col">{texts.signatoryColumns.state}</th>
              <th scope="col">{texts.signatoryColumns.sent}</th>
              <th scope="col">{texts.signatoryColumns.reminders}</th>
              <th scope="col">{texts.signatoryColumns.decided}</th>
              {canResend && <th scope="col">{texts.signatoryColumns.resend}</th>}
            </tr>
          </thead>
          <tbody>
            {round.signatories.map((s) => (
              <tr key={`${s.name}-${s.party}`}>
                <td>{`${s.name}, ${s.title}`}</td>
                <td>{s.party}</td>
                <td>
                  {texts.requestStatus[s.status] ?? s.status}
                  {s.reason ? ` – ${s.reason}` : ''}
                </td>
                <td>{s.sentAt ? stockholmTimeOf(s.sentAt.getTime()) : ''}</td>
                <td>{s.remindersSent}</td>
                <td>{s.decidedAt ? stockholmTimeOf(s.decidedAt.getTime()) : ''}</td>
                {canResend && (
                  <td>
                    {(s.status === 'PENDING' || s.status === 'UNDELIVERABLE') && (
                      <form method="post" action={`/app/loften/${promise.id}/skicka-igen`} class="inline">
                        <CsrfField token={context.csrfToken} />
                        <input type="hidden" name="requestId" value={s.requestId} />
                        <input type="hidden" name="submissionId" value={data.submissionId} />
                        <button type="submit" class="secondary">
                          {texts.resend(s.name)}
                        </button>
                      </form>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{texts.year}</h2>
      {occurrences.length === 0 ? (
        <p>{texts.noYear}</p>
      ) : (
        <table>
          <caption>{texts.year}</caption>
          <thead>
            <tr>
              <th scope="col">{texts.occurrenceColumns.commitment}</th>
              <th scope="col">{texts.occurrenceColumns.due}</th>
              <th scope="col">{texts.occurrenceColumns.status}</th>
              <th scope="col">{texts.occurrenceColumns.reminders}</th>
              <th scope="col">{texts.occurrenceColumns.reports}</th>
            </tr>
          </thead>
          <tbody>
            {occurrences.map((o) => (
              <tr key={o.id}>
                <td>
                  <a href={`/app/loften/${promise.id}/aktiviteter/${o.id}`}>{o.commitment}</a>
                </td>
                <td>{o.dueDate ?? texts.dateToBeSet}</td>
                <td>{texts.occurrenceStatus[o.status] ?? o.status}</td>
                <td>{data.remindersSent.get(o.id) ?? 0}</td>
                <td>{o.reports.length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{t.followUp.section}</h2>
      {data.followUps.length === 0 ? (
        <p>{t.followUp.none}</p>
      ) : (
        <ul>
          {data.followUps.map((f) => (
            <li key={f.index}>
              <a href={`/app/loften/${promise.id}/uppfoljningar/${f.index}`}>{t.followUp.title(f.index, f.start, f.end)}</a>
              {` – ${t.followUp.status[f.status] ?? f.status}`}
            </li>
          ))}
        </ul>
      )}

      <h2>{texts.text}</h2>
      <SignedText context={context} content={data.content} />

      <h2>{texts.versions}</h2>
      <table>
        <caption>{texts.versions}</caption>
        <thead>
          <tr>
            <th scope="col">{texts.versionColumns.number}</th>
            <th scope="col">{texts.versionColumns.saved}</th>
            <th scope="col">{texts.versionColumns.fingerprint}</th>
          </tr>
        </thead>
        <tbody>
          {data.versions.map((v) => (
            <tr key={v.number}>
              <td>{v.number}</td>
              <td>{v.createdAt}</td>
              <td class="hash">{v.sha256}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{texts.audit}</h2>
      <p>
        <a href={`/app/loften/${promise.id}/handelsekedja.json`} download>
          {texts.auditDownload}
        </a>
        {` · `}
        <a href="/verifiera/handelser">{texts.auditCheck}</a>
      </p>
      <table>
        <caption>{texts.audit}</caption>
        <thead>
          <tr>
            <th scope="col">{texts.auditColumns.at}</th>
            <th scope="col">{texts.auditColumns.who}</th>
            <th scope="col">{texts.auditColumns.what}</th>
          </tr>
        </thead>
        <tbody>
          {audit.map((event, i) => (
            <tr key={i}>
              <td>{event.at}</td>
              <td>{actorLabel(event.actor, texts.theService)}</td>
              <td>{auditActionLabel(texts.auditActions, event.action)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
