import { CsrfField, Layout, ProblemSummary, StatusNotice, type PageContext } from './layout';

// The coordinator's personal API keys for integrations: made here (shown once), listed, revoked.

export interface ApiKeyRow {
  id: string;
  label: string;
  createdAt: string;
  /** When it was last used, to within the hour: use is noted at most once an hour. */
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function ApiKeys({
  context,
  keys,
  created,
  notice,
  problem,
  label = '',
}: {
  context: PageContext;
  keys: ApiKeyRow[];
  /** A key just made: shown this once. */
  created?: string;
  notice?: string;
  problem?: string;
  label?: string;
}) {
  const { t } = context;
  const texts = t.apiKeys;
  return (
    <Layout context={context} title={texts.title}>
      <h1>{texts.title}</h1>
      {created && (
        <div class="notice" role="status">
          <h2>{texts.createdTitle}</h2>
          <p>{texts.created}</p>
          <p class="hash">{created}</p>
        </div>
      )}
      <StatusNotice text={notice} />
      <ProblemSummary t={t} problems={problem ? [{ field: 'label', problem }] : []} labels={{ label: texts.label }} />
      <p>{texts.intro}</p>
      <form method="post" action="/app/api-nycklar">
        <CsrfField token={context.csrfToken} />
        <p>
          <label for="label">{texts.label}</label> <span id="label-hint">({texts.labelHint})</span>
          <br />
          <input
            id="label"
            name="label"
            type="text"
            required
            maxLength={100}
            value={label}
            aria-describedby={problem ? 'label-hint label-problem' : 'label-hint'}
            aria-invalid={problem ? 'true' : undefined}
          />
          {problem && (
            <span id="label-problem" class="field-problem">
              {problem}
            </span>
          )}
        </p>
        <p>
          <button type="submit" class="primary">
            {texts.create}
          </button>
        </p>
      </form>
      {keys.length === 0 ? (
        <p>{texts.none}</p>
      ) : (
        <table>
          <caption>{texts.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{texts.columns.label}</th>
              <th scope="col">{texts.columns.created}</th>
              <th scope="col">{texts.columns.lastUsed}</th>
              <th scope="col">{texts.columns.state}</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key.id}>
                <td>{key.label}</td>
                <td>{key.createdAt}</td>
                <td>{key.lastUsedAt ?? texts.neverUsed}</td>
                <td>
                  {key.revokedAt ? (
                    texts.revoked(key.revokedAt)
                  ) : (
                    <form method="post" action={`/app/api-nycklar/${key.id}/aterkalla`} class="inline">
                      <CsrfField token={context.csrfToken} />
                      {texts.active} <button type="submit">{texts.revoke(key.label)}</button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
