import { z } from 'zod';
import { stockholmTimeOf } from '../../domain/calendar';
import { newWebhookSecret, sealText } from '../../domain/crypto';
import { durationInWords } from '../../domain/durations';
import { formFields, formText } from '../../domain/text-schemas';
import { fieldProblems } from '../../domain/validation';
import { PREVIOUS_SECRET_GRACE, WebhookEndpointRequestSchema } from '../../domain/webhooks';
import { createOutbound } from '../../platform/outbound';
import {
  addWebhookEndpoint,
  disableWebhookEndpoint,
  enableWebhookEndpoint,
  resendWebhookDelivery,
  rotateWebhookSecret,
  webhookEndpointsOf,
  webhookEndpointWithDeliveries,
} from '../../store/webhook-endpoints';
import { actorOf } from '../auth';
import { toHttpError } from '../errors';
import { htmlPage, type Api } from '../routing';
import type { ApiDeps } from '../server';
import { pageContext, signedIn } from '../session';
import { sendView } from '../views/layout';
import { WebhookEndpoint, Webhooks, type EndpointRow, type WebhookEndpointData, type WebhooksData } from '../views/webhooks';

// An organisation's webhook receivers in the web app (issue 25): add one (its secret shown once),
// see each one's deliveries, send one again, change the secret, switch it off and on. A coordinator
// reaches only the receivers of their own organisations.

const TAGS = ['Samordnarens webbapp'];
const CsrfOnly = formFields({ _csrf: formText().optional() });
const EndpointParams = z.object({ endpointId: z.uuid('ska vara en mottagares id') });
const time = (date: Date) => stockholmTimeOf(date.getTime());

type Request = Parameters<typeof signedIn>[0];
type Reply = Parameters<typeof sendView>[0];

export function webhookRoutes(app: Api, deps: ApiDeps) {
  const { db } = deps;
  const outbound = deps.outbound ?? createOutbound();

  const rowOf = (endpoint: Awaited<ReturnType<typeof webhookEndpointsOf>>[number]['endpoints'][number]): EndpointRow => ({
    id: endpoint.id,
    description: endpoint.description,
    url: endpoint.url,
    events: endpoint.events,
    ...(endpoint.disabledAt ? { off: { at: time(endpoint.disabledAt), reason: endpoint.disabledReason ?? '' } } : {}),
    delivered: endpoint.delivered,
    pending: endpoint.pending,
    failed: endpoint.failed,
  });

  async function showList(request: Request, reply: Reply, status: number, extra: Partial<WebhooksData> = {}) {
    const organisations = (await webhookEndpointsOf(db, signedIn(request).id)).map((organisation) => ({
      id: organisation.id,
      name: organisation.name,
      endpoints: organisation.endpoints.map(rowOf),
    }));
    return sendView(reply, status, <Webhooks context={pageContext(request, reply)} data={{ organisations, ...extra }} />);
  }

  async function showEndpoint(request: Request, reply: Reply, endpointId: string, status = 200, extra: Partial<WebhookEndpointData> = {}) {
    const context = pageContext(request, reply);
    const coordinatorId = signedIn(request).id;
    const { endpoint, deliveries } = await webhookEndpointWithDeliveries(db, { endpointId, coordinatorId });
    const titles = await db.promiseRecord.findMany({
      where: { id: { in: [...new Set(deliveries.map((d) => d.promiseId))] } },
      select: { id: true, title: true },
    });
    const previous = endpoint.previousSecretUntil && endpoint.previousSecretUntil > new Date() ? endpoint.previousSecretUntil : undefined;
    const data: WebhookEndpointData = {
      endpoint: {
        ...rowOf(endpoint),
        organisation: endpoint.organisation.name,
        ...(previous ? { previousSecretUntil: time(previous) } : {}),
      },
      deliveries: deliveries.map((delivery) => ({
        id: delivery.id,
        event: delivery.eventType,
        promise: { id: delivery.promiseId, title: titles.find((p) => p.id === delivery.promiseId)?.title ?? delivery.promiseId },
        status: delivery.status,
        attempts: delivery.attempts,
        statusCode: delivery.lastStatusCode,
        error: delivery.lastError,
        lastAttemptAt: delivery.lastAttemptAt && time(delivery.lastAttemptAt),
      })),
      grace: durationInWords(PREVIOUS_SECRET_GRACE, context.t.lang),
      ...extra,
    };
    return sendView(reply, status, <WebhookEndpoint context={context} data={data} />);
  }

  /** A refusal from the store (a conflict, no such delivery) on the receiver's page; the list when there is no such receiver. */
  async function refused(request: Request, reply: Reply, endpointId: string, error: unknown) {
    const http = toHttpError(error);
    if (!http) throw error;
    try {
      return await showEndpoint(request, reply, endpointId, http.statusCode, { refusal: http.message });
    } catch (missing) {
      if (toHttpError(missing)?.statusCode !== 404) throw missing;
      return showList(request, reply, 404, { refusal: http.message });
    }
  }

  app.route({
    method: 'GET',
    url: '/app/webhooks',
    config: { app: 'signed-in', page: true },
    schema: {
      operationId: 'webhooksPage',
      summary: 'Organisationernas webhook-mottagare, och formuläret för att lägga till en (HTML)',
      tags: TAGS,
      response: { 200: htmlPage('Sidan') },
    },
    handler: (request, reply) => showList(request, reply, 200),
  });

  app.route({
    method: 'POST',
    url: '/app/webhooks',
    config: { app: 'signed-in', page: true },
    schema: {
      operationId: 'addWebhookEndpoint',
      summary: 'Lägg till en webhook-mottagare; hemligheten visas en gång (formulär)',
      tags: TAGS,
      consumes: ['application/x-www-form-urlencoded'],
      body: formFields({
        organisationId: formText().optional(),
        description: formText().optional(),
        url: formText().optional(),
        events: z.union([formText(), z.array(formText())]).optional(),
        _csrf: formText().optional(),
      }),
      response: {
        200: htmlPage('Mottagaren och dess hemlighet, en gång'),
        400: htmlPage('Det som behöver rättas'),
        404: htmlPage('Ingen av ens organisationer'),
      },
    },
    handler: async (request, reply) => {
      const { _csrf, ...form } = request.body;
      const events = form.events === undefined ? [] : ([] as string[]).concat(form.events);
      const parsed = WebhookEndpointRequestSchema.safeParse({ ...form, events });
      if (!parsed.success) return showList(request, reply, 400, { form, problems: fieldProblems(parsed.error) });
      // Where the address leads now; every delivery checks again, since a name can be pointed elsewhere later.
      const target = await outbound.check(parsed.data.url);
      if (target.kind !== 'usable') return showList(request, reply, 400, { form, problems: [{ field: 'url', problem: target.reason }] });
      const secret = newWebhookSecret();
      try {
        const endpoint = await addWebhookEndpoint(db, {
          ...parsed.data,
          secretSealed: sealText(deps.linkSecret, secret),
          actor: actorOf(request, 'COORDINATOR', signedIn(request).id),
        });
        return showEndpoint(request, reply, endpoint.id, 200, {
          secret,
          notice: pageContext(request, reply).t.webhooks.added(endpoint.description),
        });
      } catch (error) {
        const http = toHttpError(error);
        if (!http) throw error;
        return showList(request, reply, http.statusCode, { form, problems: [{ field: 'organisationId', problem: http.message }] });
      }
    },
  });

  app.route({
    method: 'GET',
    url: '/app/webhooks/:endpointId',
    config: { app: 'signed-in', page: true },
    schema: {
      operationId: 'webhookEndpointPage',
      summary: 'En webhook-mottagare med dess senaste leveranser (HTML)',
      tags: TAGS,
      params: EndpointParams,
      response: { 200: htmlPage('Sidan'), 404: htmlPage('Ingen sådan mottagare i ens organisationer') },
    },
    handler: async (request, reply) => {
      try {
        return await showEndpoint(request, reply, request.params.endpointId);
      } catch (error) {
        return refused(request, reply, request.params.endpointId, error);
      }
    },
  });

  /** A form on the receiver's page: do it, then show the page with what was done. */
  function endpointAction(
    path: string,
    operationId: string,
    summary: string,
    act: (request: Request & { params: { endpointId: string } }, reply: Reply) => Promise<Partial<WebhookEndpointData>>,
  ) {
    app.route({
      method: 'POST',
      url: `/app/webhooks/:endpointId/${path}`,
      config: { app: 'signed-in', page: true },
      schema: {
        operationId,
        summary,
        tags: TAGS,
        consumes: ['application/x-www-form-urlencoded'],
        params: EndpointParams,
        body: CsrfOnly,
        response: { 200: htmlPage('Mottagarens sida, med det som gjordes'), 404: htmlPage('Ingen sådan mottagare i ens organisationer') },
      },
      handler: async (request, reply) => {
        try {
          return await showEndpoint(request, reply, request.params.endpointId, 200, await act(request, reply));
        } catch (error) {
          return refused(request, reply, request.params.endpointId, error);
        }
      },
    });
  }

  endpointAction(
    'ny-hemlighet',
    'rotateWebhookSecret',
    'Byt mottagarens hemlighet; den gamla gäller ett dygn till (formulär)',
    async (request, reply) => {
      const secret = newWebhookSecret();
      const rotated = await rotateWebhookSecret(db, {
        endpointId: request.params.endpointId,
        secretSealed: sealText(deps.linkSecret, secret),
        actor: actorOf(request, 'COORDINATOR', signedIn(request).id),
      });
      return { secret, notice: pageContext(request, reply).t.webhooks.rotated(time(rotated.previousSecretUntil!)) };
    },
  );

  endpointAction('stang-av', 'disableWebhookEndpoint', 'Stäng av en webhook-mottagare (formulär)', async (request, reply) => {
    const { t } = pageContext(request, reply);
    const actor = actorOf(request, 'COORDINATOR', signedIn(request).id);
    await disableWebhookEndpoint(db, { endpointId: request.params.endpointId, reason: t.webhooks.disabledByCoordinator, actor });
    return { notice: t.webhooks.disabled };
  });

  endpointAction('sla-pa', 'enableWebhookEndpoint', 'Sätt på en avstängd webhook-mottagare (formulär)', async (request, reply) => {
    await enableWebhookEndpoint(db, {
      endpointId: request.params.endpointId,
      actor: actorOf(request, 'COORDINATOR', signedIn(request).id),
    });
    return { notice: pageContext(request, reply).t.webhooks.enabled };
  });

  app.route({
    method: 'POST',
    url: '/app/webhooks/:endpointId/leveranser/:deliveryId/skicka-igen',
    config: { app: 'signed-in', page: true },
    schema: {
      operationId: 'resendWebhookDelivery',
      summary: 'Skicka en leverans igen, med samma webhook-id (formulär)',
      tags: TAGS,
      consumes: ['application/x-www-form-urlencoded'],
      params: EndpointParams.extend({ deliveryId: z.string().regex(/^msg_[0-9a-f-]{36}$/, 'ska vara en leverans id') }),
      body: CsrfOnly,
      response: {
        200: htmlPage('Mottagarens sida; leveransen väntar på att skickas'),
        404: htmlPage('Ingen sådan mottagare eller leverans'),
        409: htmlPage('Leveransen väntar redan, eller mottagaren är avstängd'),
      },
    },
    handler: async (request, reply) => {
      const { endpointId, deliveryId } = request.params;
      try {
        await resendWebhookDelivery(db, { endpointId, deliveryId, coordinatorId: signedIn(request).id });
      } catch (error) {
        return refused(request, reply, endpointId, error);
      }
      return showEndpoint(request, reply, endpointId, 200, { notice: pageContext(request, reply).t.webhooks.resent });
    },
  });
}
