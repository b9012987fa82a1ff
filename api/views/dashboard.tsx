import type { PromiseStatus } from '../../domain/lifecycle';
import type { AttentionItem } from '../../store/attention';
import type { ToDo } from '../../store/to-dos';
import { Layout, type PageContext } from './layout';

// The coordinator's start page: first what needs them now (what went wrong, then what waits for
// them, the nearest deadline first), then every promise by municipality, the latest first.

export interface DashboardPromise {
  id: string;
  title: string;
  municipality: string;
  period: { start: string; end: string };
  status: PromiseStatus;
  attention: AttentionItem[];
  toDos: ToDo[];
}

function PromiseLink({ context, promise }: { context: PageContext; promise: DashboardPromise }) {
  return (
    <>
      <a href={`/app/loften/${promise.id}`}>{promise.title}</a>
      {` (${promise.municipality}, ${context.t.dashboard.status[promise.status]})`}
    </>
  );
}

const signingDeadline = (p: DashboardPromise) => p.toDos.find((d) => d.kind === 'SIGNATURES_MISSING')?.deadline.getTime();
/** What went wrong first, then signatures missing with the nearest deadline first, then the rest as listed. */
function byUrgency(a: DashboardPromise, b: DashboardPromise) {
  const rank = (p: DashboardPromise) => (p.attention.length > 0 ? 0 : signingDeadline(p) !== undefined ? 1 : 2);
  return rank(a) - rank(b) || (rank(a) === 1 ? signingDeadline(a)! - signingDeadline(b)! : 0);
}

export function Dashboard({ context, promises }: { context: PageContext; promises: DashboardPromise[] }) {
  const { t } = context;
  const needing = promises.filter((p) => p.attention.length > 0 || p.toDos.length > 0).sort(byUrgency);
  const byMunicipality = [...promises].sort(
    (a, b) => a.municipality.localeCompare(b.municipality, 'sv') || b.period.start.localeCompare(a.period.start),
  );
  return (
    <Layout context={context} title={t.dashboard.title}>
      <h1>{t.dashboard.title}</h1>
      <p>
        <a href="/app/loften/ny" class="button primary">
          {t.dashboard.newPromise}
        </a>
      </p>
      {needing.length > 0 && (
        <section aria-labelledby="behover-dig">
          <h2 id="behover-dig">{t.dashboard.needsYou}</h2>
          <ul class="needs">
            {needing.map((p) => (
              <li key={p.id}>
                <PromiseLink context={context} promise={p} />
                <ul>
                  {p.attention.map((item, i) => (
                    <li key={`a${i}`}>
                      <strong>{t.dashboard.attentionItem(item)}</strong>
                      {item.kind === 'WEBHOOK_FAILED' && (
                        <>
                          {' '}
                          <a href={`/app/webhooks/${item.endpointId}`}>{t.webhooks.open(item.receiver)}</a>
                        </>
                      )}
                    </li>
                  ))}
                  {p.toDos.map((item, i) => (
                    <li key={`t${i}`}>{t.dashboard.toDo(item)}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </section>
      )}
      <h2>{t.dashboard.allPromises}</h2>
      {promises.length === 0 ? (
        <p>{t.dashboard.empty}</p>
      ) : (
        <table>
          <caption>{t.dashboard.allCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.dashboard.columns.title}</th>
              <th scope="col">{t.dashboard.columns.municipality}</th>
              <th scope="col">{t.dashboard.columns.period}</th>
              <th scope="col">{t.dashboard.columns.status}</th>
            </tr>
          </thead>
          <tbody>
            {byMunicipality.map((p) => (
              <tr key={p.id}>
                <td>
                  <a href={`/app/loften/${p.id}`}>{p.title}</a>
                </td>
                <td>{p.municipality}</td>
                <td>{`${p.period.start} – ${p.period.end}`}</td>
                <td>{t.dashboard.status[p.status]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
