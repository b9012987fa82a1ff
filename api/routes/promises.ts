import { WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { utcDateOf } from '../../domain/calendar';
import { DomainError } from '../../domain/errors';
import { canApply, isInYear, STATUS_LABELS_SV, transitionRefusal, type LifecycleEvent, type PromiseStatus } from '../../domain/lifecycle';
import {
  AddressCorrectionRequestSchema,
  CreatePromiseRequestSchema,
  ReviseContentRequestSchema,
  WithdrawRequestSchema,
} from '../../domain/requests';
import { DEFAULT_SETTINGS } from '../../domain/settings';
import type { Database } from '../../store/database';
import { correctAddress } from '../../store/addresses';
import { attentionOf } from '../../store/attention';
import { appendVersion, createDraft } from '../../store/promises';
import { actorOf, requireCoordinator, requireOwnPromise } from '../auth';
import { announceAddressCorrection, resume, reviseDuringSigning, submitForSigning, withdraw } from '../commands';
import { HttpError, parseInput } from '../errors';
import type { ApiRegistry } from '../openapi';
import type { ApiDeps } from '../server';

async function promiseView(db: Database, id: string) {
  const promise = await db.promiseRecord.findUniqueOrThrow({
    where: { id },
    include: {
      versions: { orderBy: { number: 'desc' }, take: 1 },
      signingRounds: {
        orderBy: { number: 'desc' },
        take: 1,
        include: { requests: { include: { signatory: { include: { party: true } }, signature: true } } },
      },
    },
  });
  const version = promise.versions[0]!;
  const round = promise.signingRounds[0];
  const attention = (await attentionOf(db, [id])).get(id) ?? [];
  return {
    id: promise.id,
    title: promise.title,
    municipality: promise.municipality,
    status: promise.status,
    statusLabel: STATUS_LABELS_SV[promise.status],
    statusReason: promise.statusReason,
    needsAttention: attention.length > 0,
    attention,
    period: { start: utcDateOf(promise.periodStart), end: utcDateOf(promise.periodEnd) },
    renewal: promise.renewalMode,
    predecessorId: promise.predecessorId,
    settings: promise.settings,
    currentVersion: { number: version.number, sha256: version.sha256, createdAt: version.createdAt },
    content: version.content,
    signingRound: round && {
      number: round.number,
      status: round.status,
      outcomeReason: round.outcomeReason,
      startedAt: round.startedAt,
      endedAt: round.endedAt,
      signatories: round.requests
        .map((r) => ({
          name: r.signatory.name,
          title: r.signatory.title,
          party: r.signatory.party.name,
          signingGroup: r.signatory.signingGroup,
          status: r.status,
          remindersSent: r.remindersSent,
          decidedAt: r.signature?.decidedAt ?? null,
          reason: r.signature?.reason ?? null,
        }))
        .sort((a, b) => a.signingGroup - b.signingGroup || a.name.localeCompare(b.name, 'sv')),
    },
  };
}

export function promiseRoutes(app: FastifyInstance, deps: ApiDeps, registry: ApiRegistry) {
  const { db, engine } = deps;

  const ownPromise = (request: FastifyRequest) => requireOwnPromise(db, request);

  /** The lifecycle's own answer, so the API's early 409 and the workflow's validator agree. */
  const requireTransition = (status: PromiseStatus, event: LifecycleEvent) => {
    if (!canApply(status, event)) throw new HttpError('INVALID_STATE', transitionRefusal(status, event));
  };

  registry.route(app, {
    method: 'POST',
    url: '/api/promises',
    summary: 'Skapa ett medborgarlöfte som utkast',
    tag: 'Löften',
    auth: true,
    body: CreatePromiseRequestSchema,
    responses: { 201: 'Utkastet', 400: 'Ogiltig indata, med varje felaktigt fält', 401: 'API-nyckel saknas' },
  }, async (request, reply) => {
    const coordinator = await requireCoordinator(db, request);
    const body = parseInput(CreatePromiseRequestSchema, request.body);
    const { promise } = await createDraft(db, {
      content: body.content,
      settings: body.settings ?? DEFAULT_SETTINGS,
      coordinatorId: coordinator.id,
      actor: actorOf(request, 'COORDINATOR', coordinator.id),
    });
    return reply.status(201).header('location', `/api/promises/${promise.id}`).send(await promiseView(db, promise.id));
  });

  registry.route(app, {
    method: 'GET',
    url: '/api/promises',
    summary: 'Samordnarens löften',
    tag: 'Löften',
    auth: true,
    responses: { 200: 'Listan', 401: 'API-nyckel saknas' },
  }, async (request) => {
    const coordinator = await requireCoordinator(db, request);
    const promises = await db.promiseRecord.findMany({
      where: { coordinatorId: coordinator.id },
      orderBy: { createdAt: 'desc' },
    });
    const attention = await attentionOf(db, promises.map((p) => p.id));
    return promises.map((p) => ({
      id: p.id,
      title: p.title,
      municipality: p.municipality,
      status: p.status,
      statusLabel: STATUS_LABELS_SV[p.status],
      statusReason: p.statusReason,
      needsAttention: (attention.get(p.id)?.length ?? 0) > 0,
      versionNumber: p.currentVersionNumber,
    }));
  });

  registry.route(app, {
    method: 'GET',
    url: '/api/promises/{id}',
    summary: 'Ett löfte: status, aktuell version och vem som signerat',
    tag: 'Löften',
    auth: true,
    responses: { 200: 'Löftet', 400: 'Ogiltigt id', 401: 'API-nyckel saknas', 404: 'Finns inte' },
  }, async (request) => {
    const { promise } = await ownPromise(request);
    return promiseView(db, promise.id);
  });

  registry.route(app, {
    method: 'PUT',
    url: '/api/promises/{id}/content',
    summary: 'Ny text: ny version. Under signering ogiltigförklaras tidigare signaturer och en ny omgång startar.',
    tag: 'Löften',
    auth: true,
    body: ReviseContentRequestSchema,
    responses: { 200: 'Löftet med den nya versionen', 400: 'Ogiltig indata', 401: 'API-nyckel saknas', 404: 'Finns inte', 409: 'Kan inte ändras i nuvarande status' },
  }, async (request) => {
    const { promise, actor } = await ownPromise(request);
    const { content } = parseInput(ReviseContentRequestSchema, request.body);
    requireTransition(promise.status, 'REVISED');
    if (promise.status === 'DRAFT') {
      try {
        await appendVersion(db, { promiseId: promise.id, content, actor, allowedStatus: 'DRAFT' });
        return promiseView(db, promise.id);
      } catch (error) {
        // Submitted meanwhile: the workflow owns the text now, so the edit goes through it.
        if (!(error instanceof DomainError && error.code === 'CONFLICT')) throw error;
      }
    }
    await reviseDuringSigning(engine, promise.id, actor, content);
    return promiseView(db, promise.id);
  });

  registry.route(app, {
    method: 'POST',
    url: '/api/promises/{id}/submit',
    summary: 'Skicka utkastet för signering: varje undertecknare får en personlig länk med e-post',
    tag: 'Löften',
    auth: true,
    responses: { 200: 'Signeringen har startat', 401: 'API-nyckel saknas', 404: 'Finns inte', 409: 'Inte ett utkast' },
  }, async (request) => {
    const { promise, actor } = await ownPromise(request);
    requireTransition(promise.status, 'SUBMIT');
    const result = await submitForSigning(engine, promise.id, actor);
    return { ...result, statusLabel: STATUS_LABELS_SV[result.status] };
  });

  registry.route(app, {
    method: 'POST',
    url: '/api/promises/{id}/withdraw',
    summary: 'Återkalla löftet (före avslut), med skäl; parterna meddelas',
    tag: 'Löften',
    auth: true,
    body: WithdrawRequestSchema,
    responses: { 200: 'Återkallat', 400: 'Skäl saknas', 401: 'API-nyckel saknas', 404: 'Finns inte', 409: 'Redan avslutat eller återkallat' },
  }, async (request) => {
    const { promise, actor } = await ownPromise(request);
    const { reason } = parseInput(WithdrawRequestSchema, request.body);
    requireTransition(promise.status, 'WITHDRAW');
    const result = await withdraw(engine, promise.id, actor, reason);
    return { ...result, statusLabel: STATUS_LABELS_SV[result.status] };
  });

  registry.route(app, {
    method: 'POST',
    url: '/api/promises/{id}/address-corrections',
    summary: 'Rätta en undertecknares eller kontaktpersons e-postadress. Adresser ingår inte i den signerade texten: signaturer står kvar, och det som gick till den gamla adressen skickas igen.',
    tag: 'Löften',
    auth: true,
    body: AddressCorrectionRequestSchema,
    responses: {
      200: 'Vilka som fick den nya adressen',
      400: 'Ogiltig adress',
      401: 'API-nyckel saknas',
      404: 'Löftet, eller ingen med den gamla adressen',
      409: 'Adressen finns redan hos en annan undertecknare, eller löftet är avslutat',
    },
  }, async (request) => {
    const { promise, actor } = await ownPromise(request);
    const { previous, email } = parseInput(AddressCorrectionRequestSchema, request.body);
    const corrected = await correctAddress(db, { promiseId: promise.id, previous, email, actor });
    // The correction is on record; the workflow sends again what went to the old address. A
    // workflow that has stopped does it when it is resumed (its reminders read the new address).
    let resending = promise.status === 'SIGNING' || isInYear(promise.status);
    if (resending) {
      try {
        await announceAddressCorrection(engine, promise.id, previous, email);
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
        resending = false;
      }
    }
    return { corrected, resending };
  });

  registry.route(app, {
    method: 'POST',
    url: '/api/promises/{id}/resume',
    summary: 'Återuppta ett löfte som behöver åtgärdas: steget som misslyckades görs om. Ett löfte vars arbetsflöde har stannat fortsätter där uppgifterna visar att det var.',
    tag: 'Löften',
    auth: true,
    responses: { 200: 'Löftet', 401: 'API-nyckel saknas', 404: 'Finns inte', 409: 'Löftet väntar inte på någon åtgärd' },
  }, async (request) => {
    const { promise, actor } = await ownPromise(request);
    await resume(engine, promise.id, actor);
    return promiseView(db, promise.id);
  });

  registry.route(app, {
    method: 'GET',
    url: '/api/promises/{id}/audit',
    summary: 'Granskningsloggen: vem gjorde vad och när',
    tag: 'Löften',
    auth: true,
    responses: { 200: 'Händelserna i tidsordning', 401: 'API-nyckel saknas', 404: 'Finns inte' },
  }, async (request) => {
    const { promise } = await ownPromise(request);
    const events = await db.auditEvent.findMany({ where: { promiseId: promise.id }, orderBy: { id: 'asc' } });
    return events.map((e) => ({
      at: e.occurredAt,
      actor: e.actor,
      action: e.action,
      details: e.details,
      ipAddress: e.ipAddress,
      userAgent: e.userAgent,
    }));
  });
}
