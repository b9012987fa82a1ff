import { Layout, type PageContext } from './layout';
import type { PromiseStatus } from '../../domain/lifecycle';

// The coordinator's start page: their promises, what needs them first.

export interface DashboardPromise {
  id: string;
  title: string;
  municipality: string;
  period: { start: string; end: string };
  status: PromiseStatus;
  /** What needs the coordinator, in words; empty when nothing does. */
  attention: string[];
}

export function Dashboard({ context, promises }: { context: PageContext; promises: DashboardPromise[] }) {
  const { t } = context;
  return (
    <Layout context={context} title={t.dashboard.title}>
      <h1>{t.dashboard.title}</h1>
      <p>
        <a href="/app/loften/ny" class="button primary">
          {t.dashboard.newPromise}
        </a>
      </p>
      {promises.length === 0 ? (
        <p>{t.dashboard.empty}</p>
      ) : (
        <table>
          <caption>{t.dashboard.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.dashboard.columns.title}</th>
              <th scope="col">{t.dashboard.columns.municipality}</th>
              <th scope="col">{t.dashboard.columns.period}</th>
              <th scope="col">{t.dashboard.columns.status}</th>
            </tr>
          </thead>
          <tbody>
            {promises.map((p) => (
              <tr key={p.id}>
                <td>
                  <a href={`/app/loften/${p.id}`}>{p.title}</a>
                </td>
                <td>{p.municipality}</td>
                <td>{`${p.period.start} – ${p.period.end}`}</td>
                <td>
                  {t.dashboard.status[p.status]}
                  {p.attention.map((what, i) => (
                    <span key={i}>
                      <br />
                      <strong>{t.dashboard.attention(what)}</strong>
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
