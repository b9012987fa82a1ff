import { z } from 'zod';
import type { ActivityOccurrence, ActivityReport, Commitment, CommitmentContact, FollowUpReport } from '../../prisma/generated/client';
import { utcDateOf } from '../../domain/calendar';
import { storedContent } from '../../domain/stored-content';
import {
  FollowUpParamsSchema,
  IdempotencyHeadersSchema,
  OccurrenceParamsSchema,
  PromiseIdParamsSchema,
  PublishFollowUpRequestSchema,
  ReportRequestSchema,
} from '../../domain/requests';
import {
  FollowUpResponseSchema,
  OccurrenceResponseSchema,
  RenewalResponseSchema,
  SchedulePreviewResponseSchema,
} from '../../domain/responses';
import { previewSchedule } from '../../domain/schedule';
import { PromiseSettingsSchema } from '../../domain/settings';
import { swedishCalendarFor } from '../../domain/working-days';
import { currentVersionOf } from '../../store/promises';
import { contextText, findFollowUp, findOccurrence, followUpsOf, occurrencesOf } from '../../store/year';
import { requirePromiseAccess } from '../auth';
import { textsFor } from '../views/texts';
import { publishFollowUpOf, renewPromise, reportOnOccurrence } from '../actions';
import { errors, json, type Api } from '../routing';
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

export function occurrenceView(
  occurrence: ActivityOccurrence & { commitment: Commitment & { contacts: CommitmentContact[] }; reports: ActivityReport[] },
) {
  return {
    id: occurrence.id,
    commitmentKey: occurrence.commitment.key,
    commitment: occurrence.commitment.text,
    kind: occurrence.kind,
    sequence: occurrence.sequence,
    plannedDueDate: isoDate(occurrence.plannedDueDate),
    dueDate: isoDate(occurrence.dueDate),
    status: occurrence.status,
    contacts: occurrence.commitment.contacts.map((c) => ({ name: c.name, title: c.title, email: c.email })),
    reports: occurrence.reports.map(reportView),
  };
}

export function followUpView(followUp: FollowUpReport) {
  return {
    index: followUp.periodIndex,
    period: { start: isoDate(followUp.periodStart), end: isoDate(followUp.periodEnd) },
    final: followUp.final,
    status: followUp.status,
    generated: followUp.generated,
    narrative: followUp.narrative,
    safetySurvey: contextText(followUp.safetySurvey),
    crimeStatistics: contextText(followUp.crimeStatistics),
    publishedAt: followUp.publishedAt,
  };
}

const YEAR = ['Året'];

export function yearRoutes(app: Api, deps: ApiDeps) {
  const { db } = deps;

  app.route({
    method: 'GET',
    url: '/api/promises/:id/schedule',
    config: { auth: true },
    schema: {
      operationId: 'getSchedule',
      summary:
        'Planen för året, även före signering: varje aktivitet med ansvarig, förfallodag och påminnelser, uppföljningar och förnyelse',
      tags: YEAR,
      params: PromiseIdParamsSchema,
      response: { 200: json('Planen', SchedulePreviewResponseSchema), ...errors({ 404: 'Finns inte' }) },
    },
    handler: async (request) => {
      const { promise } = await requirePromiseAccess(db, request);
      const version = await currentVersionOf(db, promise);
      // Once the year is under way, its occurrences as recorded (dates set or moved, steps planned since).
      const occurrences = await occurrencesOf(db, promise.id);
      const content = storedContent(version.content);
      const plan = previewSchedule(content, PromiseSettingsSchema.parse(promise.settings).activities, {
        recorded:
          occurrences.length === 0
            ? undefined
            : occurrences.map((o) => ({
                commitmentKey: o.commitment.key,
                sequence: o.sequence,
                ...(o.step === null ? {} : { step: o.step }),
                kind: o.kind,
                dueDate: o.dueDate && utcDateOf(o.dueDate),
              })),
        calendar: swedishCalendarFor(content.period),
      });
      return { ...plan, reminderRule: textsFor('sv').editor.previewReminderRule };
    },
  });

  app.route({
    method: 'GET',
    url: '/api/promises/:id/occurrences',
    config: { auth: true },
    schema: {
      operationId: 'listOccurrences',
      summary: 'Årets aktiviteter med status och alla rapporter (rättelser inräknade)',
      tags: YEAR,
      params: PromiseIdParamsSchema,
      response: { 200: json('Aktiviteterna i datumordning', z.array(OccurrenceResponseSchema)), ...errors({ 404: 'Finns inte' }) },
    },
    handler: async (request) => {
      const { promise } = await requirePromiseAccess(db, request);
      return (await occurrencesOf(db, promise.id)).map(occurrenceView);
    },
  });

  app.route({
    method: 'POST',
    url: '/api/promises/:id/occurrences/:occurrenceId/reports',
    config: { auth: true },
    schema: {
      operationId: 'reportOccurrence',
      summary:
        'Rapportera en aktivitet: genomförd, lägesrapport, inställd, flyttad, eller datumet för en aktivitet vars datum skulle bestämmas senare (DATE_SET); en rättelse pekar på rapporten den rättar',
      tags: YEAR,
      params: OccurrenceParamsSchema,
      headers: IdempotencyHeadersSchema,
      body: ReportRequestSchema,
      response: {
        201: json('Aktiviteten med den nya rapporten', OccurrenceResponseSchema),
        ...errors({ 404: 'Löftet eller aktiviteten finns inte', 409: 'Redan rapporterad, eller löftet är inte aktivt' }),
      },
    },
    handler: async (request, reply) => {
      const acting = await requirePromiseAccess(db, request);
      const { occurrenceId } = request.params;
      await reportOnOccurrence(deps, acting, { occurrenceId, ...request.body, idempotencyKey: request.headers['idempotency-key'] });
      return reply.status(201).send(occurrenceView((await findOccurrence(db, acting.promise.id, occurrenceId))!));
    },
  });

  app.route({
    method: 'GET',
    url: '/api/promises/:id/follow-ups',
    config: { auth: true },
    schema: {
      operationId: 'listFollowUps',
      summary: 'Uppföljningarna: utkast genererade ur rapporterna (planerat mot genomfört) och publicerade',
      tags: YEAR,
      params: PromiseIdParamsSchema,
      response: { 200: json('Uppföljningarna', z.array(FollowUpResponseSchema)), ...errors({ 404: 'Finns inte' }) },
    },
    handler: async (request) => {
      const { promise } = await requirePromiseAccess(db, request);
      return (await followUpsOf(db, promise.id)).map(followUpView);
    },
  });

  app.route({
    method: 'POST',
    url: '/api/promises/:id/follow-ups/:index/publish',
    config: { auth: true },
    schema: {
      operationId: 'publishFollowUp',
      summary: 'Publicera en uppföljning med sammanfattning, trygghetsmätning och brottsstatistik; den sista avslutar löftet',
      tags: YEAR,
      params: FollowUpParamsSchema,
      body: PublishFollowUpRequestSchema,
      response: {
        200: json('Den publicerade uppföljningen', FollowUpResponseSchema),
        ...errors({ 404: 'Finns inte', 409: 'Redan publicerad, perioden är inte slut, eller löftet är inte aktivt' }),
      },
    },
    handler: async (request) => {
      const acting = await requirePromiseAccess(db, request);
      const { index } = request.params;
      await publishFollowUpOf(deps, acting, { index, ...request.body });
      // Publishing it succeeded, so it exists.
      return followUpView((await findFollowUp(db, acting.promise.id, index))!);
    },
  });

  app.route({
    method: 'POST',
    url: '/api/promises/:id/renewal',
    config: { auth: true },
    schema: {
      operationId: 'launchRenewal',
      summary: 'Förnya löftet: nästa periods utkast, ifyllt från detta, med ofärdiga åtaganden markerade. Två anrop ger en förnyelse.',
      tags: YEAR,
      params: PromiseIdParamsSchema,
      response: {
        200: json('Förnyelsens id (och dess adress i Location)', RenewalResponseSchema),
        ...errors({ 404: 'Finns inte', 409: 'Löftet är inte aktivt' }),
      },
    },
    handler: async (request, reply) => {
      const { renewalId } = await renewPromise(deps, await requirePromiseAccess(db, request));
      return reply.header('location', `/api/promises/${renewalId}`).send({ renewalId });
    },
  });
}
