import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { uuidFromName } from '../../domain/crypto';
import { STATUS_LABELS_SV } from '../../domain/lifecycle';
import {
  AddressCorrectionRequestSchema,
  BankIdReviewParamsSchema,
  BankIdReviewRequestSchema,
  CreatePromiseRequestSchema,
  IdempotencyHeadersSchema,
  MoveDeadlineRequestSchema,
  PersonalNumberRequestSchema,
  PromiseIdParamsSchema,
  ReviseContentRequestSchema,
  SignatoryParamsSchema,
  SigningRequestParamsSchema,
  WithdrawRequestSchema,
} from '../../domain/requests';
import {
  AddressCorrectionResponseSchema,
  AuditChainSchema,
  AuditResponseSchema,
  BankIdReviewResponseSchema,
  HeldBankIdSignatureSchema,
  PersonalNumberPinSchema,
  PromiseListResponseSchema,
  PromiseResponseSchema,
  StatusChangeResponseSchema,
} from '../../domain/responses';
import { DEFAULT_SETTINGS } from '../../domain/default-settings';
import { promiseView, summaryOf } from '../promise-view';
import { attentionOf } from '../../store/attention';
import { auditChainOf, auditTrailOf } from '../../store/audit';
import { heldSignaturesOf } from '../../store/bankid-orders';
import { pinPersonalNumber, unpinPersonalNumber } from '../../store/pins';
import { createDraft, promisesOf } from '../../store/promises';
import {
  correctAddressAndResend,
  moveSigningDeadline,
  requireSigningMethods,
  reviewHeldSignature,
  resendSigningRequest,
  reviseContent,
  submitPromise,
  withdrawPromise,
} from '../actions';
import { actorOf, coordinatorOf, requirePromiseAccess } from '../auth';
import { resume } from '../commands';
import { errors, json, type Api } from '../routing';
import type { ApiDeps } from '../server';

const LOFTEN = ['Löften'];
const params = PromiseIdParamsSchema;

export function promiseRoutes(app: Api, deps: ApiDeps) {
  const { db, engine } = deps;

  app.route({
    method: 'POST',
    url: '/api/promises',
    config: { auth: true },
    schema: {
      operationId: 'createPromise',
      summary: 'Skapa ett medborgarlöfte som utkast',
      tags: LOFTEN,
      body: CreatePromiseRequestSchema,
      response: { 201: json('Utkastet', PromiseResponseSchema) },
    },
    handler: async (request, reply) => {
      const coordinator = coordinatorOf(request);
      requireSigningMethods(deps, request.body.content);
      const { promise } = await createDraft(db, {
        content: request.body.content,
        settings: request.body.settings ?? DEFAULT_SETTINGS,
        coordinatorId: coordinator.id,
        actor: actorOf(request, 'COORDINATOR', coordinator.id),
      });
      return reply
        .status(201)
        .header('location', `/api/promises/${promise.id}`)
        .send(await promiseView(db, promise.id));
    },
  });

  app.route({
    method: 'GET',
    url: '/api/promises',
    config: { auth: true },
    schema: {
      operationId: 'listPromises',
      summary: 'Samordnarens löften',
      tags: LOFTEN,
      response: { 200: json('Listan, nyast först', PromiseListResponseSchema) },
    },
    handler: async (request) => {
      const promises = await promisesOf(db, coordinatorOf(request).id);
      const attention = await attentionOf(
        db,
        promises.map((p) => p.id),
      );
      return promises.map((p) => ({ ...summaryOf(p, attention.get(p.id) ?? []), versionNumber: p.currentVersionNumber }));
    },
  });

  app.route({
    method: 'GET',
    url: '/api/promises/:id',
    config: { auth: true },
    schema: {
      operationId: 'getPromise',
      summary: 'Ett löfte: status, aktuell version och vem som signerat',
      tags: LOFTEN,
      params,
      response: { 200: json('Löftet', PromiseResponseSchema), ...errors({ 404: 'Finns inte' }) },
    },
    handler: async (request) => {
      const { promise } = await requirePromiseAccess(db, request);
      return promiseView(db, promise.id);
    },
  });

  app.route({
    method: 'PUT',
    url: '/api/promises/:id/content',
    config: { auth: true },
    schema: {
      operationId: 'replacePromiseContent',
      summary: 'Ny text: ny version. Under signering ogiltigförklaras tidigare signaturer och en ny omgång startar.',
      tags: LOFTEN,
      params,
      body: ReviseContentRequestSchema,
      response: {
        200: json('Löftet med den nya versionen', PromiseResponseSchema),
        ...errors({ 404: 'Finns inte', 409: 'Kan inte ändras i nuvarande status' }),
      },
    },
    handler: async (request) => {
      const acting = await requirePromiseAccess(db, request);
      await reviseContent(deps, acting, request.body.content);
      return promiseView(db, acting.promise.id);
    },
  });

  app.route({
    method: 'POST',
    url: '/api/promises/:id/submit',
    config: { auth: true },
    schema: {
      operationId: 'submitPromise',
      summary: 'Skicka utkastet för signering: varje undertecknare får en personlig länk med e-post',
      tags: LOFTEN,
      params,
      headers: IdempotencyHeadersSchema,
      response: {
        200: json('Signeringen har startat', StatusChangeResponseSchema),
        ...errors({ 404: 'Finns inte', 409: 'Inte ett utkast' }),
      },
    },
    handler: async (request) => {
      const result = await submitPromise(deps, await requirePromiseAccess(db, request), request.headers['idempotency-key']);
      return { ...result, statusLabel: STATUS_LABELS_SV[result.status] };
    },
  });

  app.route({
    method: 'POST',
    url: '/api/promises/:id/withdraw',
    config: { auth: true },
    schema: {
      operationId: 'withdrawPromise',
      summary: 'Återkalla löftet (före avslut), med skäl; parterna meddelas',
      tags: LOFTEN,
      params,
      body: WithdrawRequestSchema,
      response: {
        200: json('Återkallat', StatusChangeResponseSchema),
        ...errors({ 404: 'Finns inte', 409: 'Redan avslutat eller återkallat' }),
      },
    },
    handler: async (request) => {
      const result = await withdrawPromise(deps, await requirePromiseAccess(db, request), request.body.reason);
      return { ...result, statusLabel: STATUS_LABELS_SV[result.status] };
    },
  });

  app.route({
    method: 'POST',
    url: '/api/promises/:id/signing-deadline',
    config: { auth: true },
    schema: {
      operationId: 'moveSigningDeadline',
      summary:
        'Flytta den öppna signeringsomgångens sista dag till en senare dag inom perioden; påminnelser och varning planeras om, och de som inte svarat får den nya dagen med e-post',
      tags: LOFTEN,
      params,
      body: MoveDeadlineRequestSchema,
      response: {
        200: json('Den nya sista dagen', MoveDeadlineRequestSchema),
        ...errors({ 404: 'Finns inte', 409: 'Löftet signeras inte nu' }),
      },
    },
    handler: async (request) => moveSigningDeadline(deps, await requirePromiseAccess(db, request), request.body.deadline),
  });

  app.route({
    method: 'POST',
    url: '/api/promises/:id/address-corrections',
    config: { auth: true },
    schema: {
      operationId: 'correctAddress',
      summary:
        'Rätta en undertecknares eller kontaktpersons e-postadress. Adresser ingår inte i den signerade texten: signaturer står kvar, och det som gick till den gamla adressen skickas igen.',
      tags: LOFTEN,
      params,
      body: AddressCorrectionRequestSchema,
      response: {
        200: json('Vilka som fick den nya adressen', AddressCorrectionResponseSchema),
        ...errors({
          404: 'Löftet, eller ingen med den gamla adressen',
          409: 'Adressen finns redan hos en annan undertecknare, eller löftet är avslutat',
        }),
      },
    },
    handler: async (request) => {
      return correctAddressAndResend(deps, await requirePromiseAccess(db, request), request.body);
    },
  });

  app.route({
    method: 'POST',
    url: '/api/promises/:id/signing-requests/:requestId/resend',
    config: { auth: true },
    schema: {
      operationId: 'resendSigningRequest',
      summary:
        'Skicka en signeringsbegäran igen (undertecknaren hittar den inte): ett nytt e-postmeddelande med en ny länk; tidigare länkar fungerar till tidsfristen',
      tags: LOFTEN,
      params: SigningRequestParamsSchema,
      headers: IdempotencyHeadersSchema,
      response: {
        202: json('Begäran skickas igen', z.object({ resending: z.literal(true) })),
        ...errors({ 404: 'Finns inte', 409: 'Löftet signeras inte, eller begäran väntar inte på svar' }),
      },
    },
    handler: async (request, reply) => {
      const acting = await requirePromiseAccess(db, request);
      const { requestId } = request.params;
      const key = request.headers['idempotency-key'];
      const resendId = key ? uuidFromName(`resend:${acting.actor.id}:${requestId}:${key}`) : randomUUID();
      await resendSigningRequest(deps, acting, { requestId, resendId });
      return reply.status(202).send({ resending: true });
    },
  });

  app.route({
    method: 'POST',
    url: '/api/promises/:id/resume',
    config: { auth: true },
    schema: {
      operationId: 'resumePromise',
      summary:
        'Återuppta ett löfte som behöver åtgärdas: steget som misslyckades görs om. Ett löfte vars arbetsflöde har stannat fortsätter där uppgifterna visar att det var.',
      tags: LOFTEN,
      params,
      response: { 200: json('Löftet', PromiseResponseSchema), ...errors({ 404: 'Finns inte', 409: 'Löftet väntar inte på någon åtgärd' }) },
    },
    handler: async (request) => {
      const { promise, actor } = await requirePromiseAccess(db, request);
      await resume(engine, promise.id, actor);
      return promiseView(db, promise.id);
    },
  });

  app.route({
    method: 'GET',
    url: '/api/promises/:id/audit',
    config: { auth: true },
    schema: {
      operationId: 'getAuditLog',
      summary: 'Granskningsloggen: vem gjorde vad och när',
      tags: LOFTEN,
      params,
      response: { 200: json('Händelserna i tidsordning', AuditResponseSchema), ...errors({ 404: 'Finns inte' }) },
    },
    handler: async (request) => {
      const { promise } = await requirePromiseAccess(db, request);
      const events = await auditTrailOf(db, promise.id);
      return events.map((e) => ({
        at: e.occurredAt,
        actor: e.actor,
        action: e.action,
        details: e.details,
        ipAddress: e.ipAddress,
        userAgent: e.userAgent,
      }));
    },
  });

  const pinSchema = (operationId: string, summary: string) => ({
    operationId,
    summary,
    tags: LOFTEN,
    params: SignatoryParamsSchema,
    response: {
      200: json('Låset som det står: de fyra sista siffrorna', PersonalNumberPinSchema),
      ...errors({
        404: 'Löftet eller undertecknaren finns inte',
        409: 'Undertecknaren signerar inte med BankID, eller löftet är avslutat',
      }),
    },
  });

  app.route({
    method: 'PUT',
    url: '/api/promises/:id/signatories/:key/personal-number',
    config: { auth: true },
    schema: {
      ...pinSchema('pinPersonalNumber', 'Lås en undertecknare som signerar med BankID till ett personnummer'),
      body: PersonalNumberRequestSchema,
    },
    handler: async (request) => {
      const { promise, actor } = await requirePromiseAccess(db, request);
      return pinPersonalNumber(db, {
        promiseId: promise.id,
        signatoryKey: request.params.key,
        personalNumber: request.body.personalNumber,
        secret: deps.linkSecret,
        actor,
      });
    },
  });

  app.route({
    method: 'DELETE',
    url: '/api/promises/:id/signatories/:key/personal-number',
    config: { auth: true },
    schema: pinSchema('unpinPersonalNumber', 'Ta bort låset till ett personnummer'),
    handler: async (request) => {
      const { promise, actor } = await requirePromiseAccess(db, request);
      await unpinPersonalNumber(db, { promiseId: promise.id, signatoryKey: request.params.key, actor });
      return { signatoryKey: request.params.key, lastFour: null };
    },
  });

  app.route({
    method: 'GET',
    url: '/api/promises/:id/bankid-signatures',
    config: { auth: true },
    schema: {
      operationId: 'listHeldBankIdSignatures',
      summary: 'Underskrifter med BankID som väntar på samordnaren: BankID gav ett annat namn än undertecknarens',
      tags: LOFTEN,
      params,
      response: { 200: json('De väntande underskrifterna', z.array(HeldBankIdSignatureSchema)), ...errors({ 404: 'Finns inte' }) },
    },
    handler: async (request) => {
      const { promise } = await requirePromiseAccess(db, request);
      return (await heldSignaturesOf(db, deps.linkSecret, promise.id)).map(({ roundWorkflowId: _round, ...held }) => held);
    },
  });

  app.route({
    method: 'POST',
    url: '/api/promises/:id/bankid-signatures/:orderId/review',
    config: { auth: true },
    schema: {
      operationId: 'reviewBankIdSignature',
      summary: 'Godta eller avvisa en väntande underskrift med BankID',
      tags: LOFTEN,
      params: BankIdReviewParamsSchema,
      body: BankIdReviewRequestSchema,
      response: {
        200: json('Utfallet', BankIdReviewResponseSchema),
        ...errors({ 404: 'Finns inte', 409: 'Underskriften väntar inte, eller omgången är avslutad' }),
      },
    },
    handler: async (request) =>
      reviewHeldSignature(deps, await requirePromiseAccess(db, request), request.params.orderId, request.body.accept),
  });

  app.route({
    method: 'GET',
    url: '/api/promises/:id/audit/chain',
    config: { auth: true },
    schema: {
      operationId: 'getAuditChain',
      summary: 'Granskningsloggen som hashkedja, att kontrollera mot kedjans huvud (i öppna data och PDF:en)',
      tags: LOFTEN,
      params,
      response: { 200: json('Kedjan, i ordning', AuditChainSchema), ...errors({ 404: 'Finns inte' }) },
    },
    handler: async (request) => auditChainOf(db, (await requirePromiseAccess(db, request)).promise.id),
  });
}
