import type { FieldProblem } from '../../domain/problems';
import { WEBHOOK_EVENT_TYPES, type WebhookEvent } from '../../domain/webhooks';
import { CheckboxGroup, Select, TextField, problemsByField } from './fields';
import { CsrfField, Layout, type PageContext, ProblemSummary, RefusalNotice, StatusNotice } from './layout';

// An organisation's webhook receivers in the web app: the list and a form to add one (its secret
// shown once), and one receiver's page: its deliveries with their answers, sending one again,
// changing the secret, switching it off and on.

export interface EndpointRow {
  id: string;
  description: string;
  url: string;
  events: string[];
  /** When and why it was switched off; absent while on. */
  off?: { at: string; reason: string };
  delivered: number;
  pending: number;
  failed: number;
}

export interface WebhooksData {
  organisations: { id: string; name: string; endpoints: EndpointRow[] }[];
  notice?: string;
  /** Why what was asked was not done (no such receiver). */
  refusal?: string;
  /** A secret just made: shown this once. */
  secret?: string;
  form?: Record<string, unknown>;
  problems?: FieldProblem[];
}

/** Text given once, to copy: a secret, in a status message so a screen reader hears it. */
function ShownOnce({ context, secret }: { context: PageContext; secret: string }) {
  const texts = context.t.webhooks;
  return (
    <div class="notice" role="status">
      <h2>{texts.secretTitle}</h2>
      <p>{texts.secretOnce}</p>
      <p class="hash">{secret}</p>
    </div>
  );
}

const chosenEvents = (value: unknown): string[] =>
  value === undefined ? [...WEBHOOK_EVENT_TYPES] : Array.isArray(value) ? value.map(String) : [String(value)];

export function Webhooks({ context, data }: { context: PageContext; data: WebhooksData }) {
  const { t } = context;
  const texts = t.webhooks;
  const problems = problemsByField(t, data.problems ?? []);
  const labels = { organisationId: texts.organisation, url: texts.url, description: texts.description, events: texts.events };
  const eventName = (type: string) => texts.eventNames[type as WebhookEvent] ?? type;
  return (
    <Layout context={context} title={texts.title}>
      <h1>{texts.title}</h1>
      <StatusNotice text={data.notice} />
      <RefusalNotice text={data.refusal} />
      <ProblemSummary t={t} problems={data.problems ?? []} labels={labels} />
      <p>{texts.intro}</p>
      {data.organisations.length === 0 && <p>{texts.noOrganisation}</p>}
      {data.organisations.map((organisation) => (
        <section key={organisation.id} aria-labelledby={`org-${organisation.id}`}>
          <h2 id={`org-${organisation.id}`}>{texts.caption(organisation.name)}</h2>
          {organisation.endpoints.length === 0 ? (
            <p>{texts.none}</p>
          ) : (
            <ul class="needs">
              {organisation.endpoints.map((endpoint) => (
                <li key={endpoint.id}>
                  <a href={`/app/webhooks/${endpoint.id}`}>{endpoint.description}</a> <span class="hash">{endpoint.url}</span>
                  <br />
                  {endpoint.off ? <strong>{texts.off(endpoint.off.at, endpoint.off.reason)}</strong> : texts.on}
                  {'. '}
                  {texts.counts(endpoint.delivered, endpoint.pending, endpoint.failed)}.
                  <br />
                  {texts.receives}: {endpoint.events.map(eventName).join('; ')}.
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
      {data.organisations.length > 0 && (
        <form method="post" action="/app/webhooks" aria-labelledby="lagg-till">
          <h2 id="lagg-till">{texts.addTitle}</h2>
          <CsrfField token={context.csrfToken} />
          <Select
            name="organisationId"
            label={texts.organisation}
            options={data.organisations.map((o) => [o.id, o.name] as const)}
            value={data.form?.organisationId}
            problems={problems}
          />
          <TextField
            name="description"
            label={texts.description}
            hint={texts.descriptionHint}
            value={data.form?.description}
            problems={problems}
          />
          <TextField name="url" type="url" label={texts.url} hint={texts.urlHint} value={data.form?.url} problems={problems} />
          <CheckboxGroup
            name="events"
            label={texts.events}
            chosen={chosenEvents(data.form ? (data.form.events ?? []) : undefined)}
            options={WEBHOOK_EVENT_TYPES.map((type) => [type, eventName(type)] as const)}
            problems={problems}
          />
          <p>
            <button type="submit" class="primary">
              {texts.add}
            </button>
          </p>
        </form>
      )}
    </Layout>
  );
}

export interface DeliveryRow {
  id: string;
  event: string;
  promise: { id: string; title: string };
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  attempts: number;
  statusCode: number | null;
  error: string | null;
  lastAttemptAt: string | null;
}

export interface WebhookEndpointData {
  endpoint: EndpointRow & { organisation: string; previousSecretUntil?: string };
  deliveries: DeliveryRow[];
  /** How long an old secret keeps signing after a change, in words. */
  grace: string;
  notice?: string;
  secret?: string;
  refusal?: string;
}

export function WebhookEndpoint({ context, data }: { context: PageContext; data: WebhookEndpointData }) {
  const { t } = context;
  const texts = t.webhooks;
  const { endpoint } = data;
  const action = (path: string) => `/app/webhooks/${endpoint.id}/${path}`;
  const eventName = (type: string) => texts.eventNames[type as WebhookEvent] ?? type;
  return (
    <Layout context={context} title={texts.endpointTitle(endpoint.description)}>
      <p>
        <a href="/app/webhooks">{texts.back}</a>
      </p>
      <h1>{texts.endpointTitle(endpoint.description)}</h1>
      <StatusNotice text={data.notice} />
      <RefusalNotice text={data.refusal} />
      {data.secret && <ShownOnce context={context} secret={data.secret} />}
      <dl>
        <dt>{texts.organisation}</dt>
        <dd>{endpoint.organisation}</dd>
        <dt>{texts.url}</dt>
        <dd class="hash">{endpoint.url}</dd>
        <dt>{texts.columns.state}</dt>
        <dd>
          {endpoint.off ? texts.off(endpoint.off.at, endpoint.off.reason) : texts.on}{' '}
          {endpoint.previousSecretUntil && texts.previousUntil(endpoint.previousSecretUntil)}
        </dd>
        <dt>{texts.receives}</dt>
        <dd>{endpoint.events.map(eventName).join('; ')}</dd>
        <dt>{texts.columns.deliveries}</dt>
        <dd>{texts.counts(endpoint.delivered, endpoint.pending, endpoint.failed)}</dd>
      </dl>
      <h2>{texts.rotateTitle}</h2>
      <form method="post" action={action('ny-hemlighet')}>
        <CsrfField token={context.csrfToken} />
        <p>{texts.rotateIntro(data.grace)}</p>
        <p>
          <button type="submit">{texts.rotate}</button>
        </p>
      </form>
      <h2>{texts.switchTitle}</h2>
      <form method="post" action={action(endpoint.off ? 'sla-pa' : 'stang-av')}>
        <CsrfField token={context.csrfToken} />
        <p>
          <button type="submit">{endpoint.off ? texts.enable : texts.disable}</button>
        </p>
      </form>
      {data.deliveries.length === 0 ? (
        <p>{texts.noDeliveries}</p>
      ) : (
        <table>
          <caption>{texts.deliveriesCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{texts.deliveryColumns.event}</th>
              <th scope="col">{texts.deliveryColumns.promise}</th>
              <th scope="col">{texts.deliveryColumns.state}</th>
              <th scope="col">{texts.deliveryColumns.answer}</th>
              <th scope="col">{texts.deliveryColumns.at}</th>
            </tr>
          </thead>
          <tbody>
            {data.deliveries.map((delivery) => (
              <tr key={delivery.id}>
                <td>
                  {eventName(delivery.event)}
                  <br />
                  <span class="hash">{delivery.id}</span>
                </td>
                <td>
                  <a href={`/app/loften/${delivery.promise.id}`}>{delivery.promise.title}</a>
                </td>
                <td>
                  {texts.status[delivery.status]} ({texts.attempts(delivery.attempts)})
                  {delivery.status !== 'PENDING' && !endpoint.off && (
                    <form method="post" action={action(`leveranser/${delivery.id}/skicka-igen`)} class="inline">
                      <CsrfField token={context.csrfToken} /> <button type="submit">{texts.resend(eventName(delivery.event))}</button>
                    </form>
                  )}
                </td>
                <td>
                  {delivery.statusCode ?? texts.noAnswer}
                  {delivery.error && <> ({delivery.error})</>}
                </td>
                <td>{delivery.lastAttemptAt ?? texts.notYet}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
