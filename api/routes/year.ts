import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ActivityOccurrence, ActivityReport, Commitment, FollowUpReport } from '@prisma/client';
import { utcDateOf } from '../../domain/calendar';
import { PromiseContentSchema } from '../../domain/content';
import { isInYear, NOT_IN_YEAR_SV } from '../../domain/lifecycle';
import { FollowUpParamsSchema, OccurrenceParamsSchema, PublishFollowUpRequestSchema, ReportRequestSchema } from '../../domain/requests';
import { previewSchedule } from '../../domain/schedule';
import { PromiseSettingsSchema } from '../../domain/settings';
import { requireOwnPromise } from '../auth';
import { launchRenewal, publishFollowUp, reportActivity } from '../commands';
import { HttpError, parseInput } from '../errors';
import type { ApiRegistry } from '../openapi';
import type { ApiDeps } from '../server';

// The coordinator's view of the year: the planned schedule (also before signing), occurrences
// and their reports, follow-ups, and the renewal.

const isoDate = (date: Date | null) => (date ? utcDateOf(date) : null);

export function reportView(report: ActivityReport) {
  return {
    id: report.id,
    kind: report.kind,
    performedOn: isoDate(report.performedOn),
    description: report.description,
    participants: report.participants,
    hours: report.hours === null ? null : Number(report.hours),
    link: report.link,
    reason: report.reason,
    newDueDate: isoDate(report.newDueDate),
    correctsReportId: report.correctsId,
    reportedBy: report.reportedBy,
    reportedAt: report.createdAt,
  };
}

function occurrenceView(occurrence: ActivityOccurrence & { commitment: Commitment; reports: ActivityReport[] }) {
  return {
    id: occurrence.id,
    commitmentKey: occurrence.commitment.key,
    commitment: occurrence.commitment.text,
    kind: occurrence.kind,
    sequence: occurrence.sequence,
    plannedDueDate: isoDate(occurrence.plannedDueDate),
    dueDate: isoDate(occurrence.dueDate),
    status: occurrence.status,
    contact: occurrence.commitment.contactEmail ? { name: occurrence.commitment.contactName, email: occurrence.commitment.contactEmail } : null,
    reports: occurrence.reports.map(reportView),
  };
}

function followUpView(followUp: FollowUpReport) {
  return {
    index: followUp.periodIndex,
    period: { start: isoDate(followUp.periodStart), end: isoDate(followUp.periodEnd) },
    final: followUp.final,
    status: followUp.status,
    generated: followUp.generated,
    narrative: followUp.narrative,
    safetySurvey: followUp.safetySurvey,
    crimeStatistics: followUp.crimeStatistics,
    publishedAt: followUp.publishedAt,
  };
}

export function yearRoutes(app: FastifyInstance, deps: ApiDeps, registry: ApiRegistry) {
  const { db, engine } = deps;
  const occurrenceInclude = { commitment: true, reports: { orderBy: { createdAt: 'asc' } } } as const;

  /** The caller's promise, which must be in its year (signed, not yet closed or withdrawn). */
  async function promiseInYear(request: FastifyRequest) {
    const own = await requireOwnPromise(db, request);
    if (!isInYear(own.promise.status)) throw new HttpError('INVALID_STATE', NOT_IN_YEAR_SV);
    return own;
  }

  registry.route(app, {
    method: 'GET',
    url: '/api/promises/{id}/schedule',
    summary: 'Planen för året, även före signering: varje aktivitet med ansvarig, förfallodag och påminnelser, uppföljningar och förnyelse',
    tag: 'Året',
    auth: true,
    responses: { 200: 'Planen', 401: 'API-nyckel saknas', 404: 'Finns inte' },
  }, async (request) => {
    const { promise } = await requireOwnPromise(db, request);
    const version = await db.documentVersion.findUniqueOrThrow({
      where: { promiseId_number: { promiseId: promise.id, number: promise.currentVersionNumber } },
    });
    return previewSchedule(PromiseContentSchema.parse(version.content), PromiseSettingsSchema.parse(promise.settings).activities);
  });

  registry.route(app, {
    method: 'GET',
    url: '/api/promises/{id}/occurrences',
    summary: 'Årets aktiviteter med status och alla rapporter (rättelser inräknade)',
    tag: 'Året',
    auth: true,
    responses: { 200: 'Aktiviteterna i datumordning', 401: 'API-nyckel saknas', 404: 'Finns inte' },
  }, async (request) => {
    const { promise } = await requireOwnPromise(db, request);
    const occurrences = await db.activityOccurrence.findMany({
      where: { promiseId: promise.id },
      include: occurrenceInclude,
      orderBy: [{ dueDate: 'asc' }, { sequence: 'asc' }],
    });
    return occurrences.map(occurrenceView);
  });

  registry.route(app, {
    method: 'POST',
    url: '/api/promises/{id}/occurrences/{occurrenceId}/reports',
    summary: 'Rapportera en aktivitet: genomförd, lägesrapport, inställd eller flyttad; en rättelse pekar på rapporten den rättar',
    tag: 'Året',
    auth: true,
    body: ReportRequestSchema,
    responses: {
      201: 'Aktiviteten med den nya rapporten',
      400: 'Ogiltig indata, med varje felaktigt fält',
      401: 'API-nyckel saknas',
      404: 'Löftet eller aktiviteten finns inte',
      409: 'Redan rapporterad, eller löftet är inte aktivt',
    },
  }, async (request, reply) => {
    const { promise, actor } = await promiseInYear(request);
    const { occurrenceId } = parseInput(OccurrenceParamsSchema, request.params, 'sökvägen');
    const body = parseInput(ReportRequestSchema, request.body);
    const occurrence = await db.activityOccurrence.findUnique({ where: { id: occurrenceId } });
    if (!occurrence || occurrence.promiseId !== promise.id) {
      throw new HttpError('NOT_FOUND', `Aktiviteten ${occurrenceId} hör inte till löftet.`);
    }
    await reportActivity(engine, promise.id, { reportId: randomUUID(), occurrenceId, ...body, actor });
    const updated = await db.activityOccurrence.findUniqueOrThrow({ where: { id: occurrenceId }, include: occurrenceInclude });
    return reply.status(201).send(occurrenceView(updated));
  });

  registry.route(app, {
    method: 'GET',
    url: '/api/promises/{id}/follow-ups',
    summary: 'Uppföljningarna: utkast genererade ur rapporterna (planerat mot genomfört) och publicerade',
    tag: 'Året',
    auth: true,
    responses: { 200: 'Uppföljningarna', 401: 'API-nyckel saknas', 404: 'Finns inte' },
  }, async (request) => {
    const { promise } = await requireOwnPromise(db, request);
    const followUps = await db.followUpReport.findMany({ where: { promiseId: promise.id }, orderBy: { periodIndex: 'asc' } });
    return followUps.map(followUpView);
  });

  registry.route(app, {
    method: 'POST',
    url: '/api/promises/{id}/follow-ups/{index}/publish',
    summary: 'Publicera en uppföljning med sammanfattning, trygghetsmätning och brottsstatistik; den sista avslutar löftet',
    tag: 'Året',
    auth: true,
    body: PublishFollowUpRequestSchema,
    responses: {
      200: 'Den publicerade uppföljningen',
      400: 'Ogiltig indata',
      401: 'API-nyckel saknas',
      404: 'Finns inte',
      409: 'Redan publicerad, perioden är inte slut, eller löftet är inte aktivt',
    },
  }, async (request) => {
    const { promise, actor } = await promiseInYear(request);
    const { index } = parseInput(FollowUpParamsSchema, request.params, 'sökvägen');
    const body = parseInput(PublishFollowUpRequestSchema, request.body);
    await publishFollowUp(engine, promise.id, { index, ...body, actor });
    const followUp = await db.followUpReport.findUniqueOrThrow({ where: { promiseId_periodIndex: { promiseId: promise.id, periodIndex: index } } });
    return followUpView(followUp);
  });

  registry.route(app, {
    method: 'POST',
    url: '/api/promises/{id}/renewal',
    summary: 'Förnya löftet: nästa periods utkast, ifyllt från detta, med ofärdiga åtaganden markerade. Två anrop ger en förnyelse.',
    tag: 'Året',
    auth: true,
    responses: { 200: 'Förnyelsens id och adress', 401: 'API-nyckel saknas', 404: 'Finns inte', 409: 'Löftet är inte aktivt' },
  }, async (request, reply) => {
    const { promise, actor } = await promiseInYear(request);
    const { renewalId } = await launchRenewal(engine, promise.id, actor);
    return reply.header('location', `/api/promises/${renewalId}`).send({ renewalId });
  });
}
