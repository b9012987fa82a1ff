import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { stockholmDateOf, stockholmTimeOf, utcDateOf } from '../../domain/calendar';
import { contactsOf, storedContent } from '../../domain/stored-content';
import {
  AddressCorrectionRequestSchema,
  FollowUpParamsSchema,
  MoveDeadlineRequestSchema,
  OccurrenceParamsSchema,
  PersonalNumberField,
  PromiseIdParamsSchema,
  PublishFollowUpRequestSchema,
  reportFromForm,
  WithdrawRequestSchema,
} from '../../domain/requests';
import { AuditChainSchema } from '../../domain/responses';
import { fieldProblems } from '../../domain/validation';
import type { FieldProblem } from '../../domain/problems';
import { actorNamesOf, auditChainOf, auditTrailOf } from '../../store/audit';
import { heldSignaturesOf } from '../../store/bankid-orders';
import { pinPersonalNumber, unpinPersonalNumber } from '../../store/pins';
import { findPromiseOf, renewalOf, versionsOf } from '../../store/promises';
import { openRoundOf } from '../../store/signing';
import { carriedOverInto, remindersSentOf, findFollowUp, findOccurrence, followUpsOf, occurrencesOf } from '../../store/year';
import {
  correctAddressAndResend,
  moveSigningDeadline,
  publishFollowUpOf,
  renewPromise,
  reportOnOccurrence,
  resendSigningRequest,
  reviewHeldSignature,
  submitPromise,
  withdrawPromise,
  type Acting,
} from '../actions';
import { requirePromiseAccess } from '../auth';
import { resume } from '../commands';
import { HttpError, toHttpError } from '../errors';
import { FormFieldsSchema } from '../forms/promise-form';
import { seeOther } from '../pages/html';
import { promiseView } from '../promise-view';
import { periodInWords } from '../public-view';
import { htmlPage, json, type Api } from '../routing';
import type { ApiDeps } from '../server';
import { pageContext } from '../session';
import { FollowUpPage } from '../views/follow-up';
import { sendView } from '../views/layout';
import type { Texts } from '../views/texts';
import { OccurrencePage } from '../views/occurrence';
import { PromisePage } from '../views/promise';
import type { Refusal } from '../views/promise-actions';
import { followUpView, occurrenceView } from './year';

// A promise in the web app: its page, and what the coordinator does to it, each action through the
// same call as the API's route for it (api/actions.ts). Success leads (303) to the page that shows
// the result; a refusal answers with that page and the reason beside the form that caused it.

const APP = ['Samordnarens webbapp'];
const form = (summary: string, responses: Record<number, string>) => ({
  summary,
  tags: APP,
  consumes: ['application/x-www-form-urlencoded'],
  body: FormFieldsSchema,
  response: Object.fromEntries(Object.entries(responses).map(([status, description]) => [status, htmlPage(description)])),
});
const field = (fields: Record<string, unknown>, name: string) => (typeof fields[name] === 'string' ? (fields[name] as string) : '');

/** The words for what an action did, by its code in `?klart=`; only a code the catalogue has (the address is anyone's to type). */
const doneNotice = (t: Texts, done: string | undefined): string | undefined =>
  done && Object.hasOwn(t.actions.done, done) ? t.actions.done[done] : undefined;

export function appPromiseRoutes(app: Api, deps: ApiDeps) {
  const { db } = deps;

  /** The audit trail as people read it: Stockholm time, who by name, what (in words on the page). */
  async function readableAuditTrail(promiseId: string) {
    const events = await auditTrailOf(db, promiseId);
    const names = await actorNamesOf(
      db,
      events.map((e) => e.actor),
    );
    return events.map((e) => ({ at: stockholmTimeOf(e.occurredAt.getTime()), actor: names.get(e.actor) ?? e.actor, action: e.action }));
  }

  /** The promise page, with the result of the last action or the refusal of this one. */
  async function showPromise(
    request: FastifyRequest,
    reply: FastifyReply,
    acting: Acting,
    status: number,
    outcome: { done?: string; refusal?: Refusal },
  ) {
    const context = pageContext(request, reply);
    const { promise } = acting;
    // Independent readings of the records, made side by side.
    const [view, predecessor, renewal, occurrences, audit, followUps, versions, carriedOver, remindersSent, round] = await Promise.all([
      promiseView(db, promise.id),
      promise.predecessorId ? findPromiseOf(db, acting.actor.id, promise.predecessorId) : null,
      renewalOf(db, promise.id),
      occurrencesOf(db, promise.id),
      readableAuditTrail(promise.id),
      followUpsOf(db, promise.id),
      versionsOf(db, promise.id),
      promise.predecessorId ? carriedOverInto(db, promise.id) : [],
      remindersSentOf(db, promise.id),
      promise.status === 'SIGNING' ? openRoundOf(db, promise.id) : undefined,
    ]);
    const held = promise.status === 'SIGNING' ? await heldSignaturesOf(db, deps.linkSecret, promise.id) : [];
    const content = storedContent(view.content);
    const addresses = new Map<string, string>();
    for (const s of content.signatories) addresses.set(s.email.toLowerCase(), s.name);
    for (const c of content.priorityAreas.flatMap((a) => a.commitments).flatMap(contactsOf)) addresses.set(c.email.toLowerCase(), c.name);
    const data = {
      promise: view,
      occurrences: occurrences.map(occurrenceView),
      audit,
      content,
      followUps: followUps.map((f) => ({
        index: f.periodIndex,
        start: utcDateOf(f.periodStart),
        end: utcDateOf(f.periodEnd),
        status: f.status,
      })),
      actions: {
        id: promise.id,
        status: view.status,
        needsAttention: view.attention.length > 0,
        addresses: view.status === 'DRAFT' ? [] : [...addresses].map(([email, label]) => ({ email, label })),
        signingDeadline: round && stockholmDateOf(round.deadline),
        bankIdSignatories: content.signatories
          .filter((s) => s.signingMethod === 'BANKID' && s.key)
          .map((s) => ({ key: s.key!, name: s.name, pinned: view.personalNumberPins.find((p) => p.signatoryKey === s.key)?.lastFour })),
        heldSignatures: held.map((h) => ({ ...h, completedAt: stockholmTimeOf(h.completedAt.getTime()) })),
        refusal: outcome.refusal,
      },
      // Only a code the catalogue has (the address is anyone's to type).
      notice: doneNotice(context.t, outcome.done),
      predecessor: predecessor ? { id: predecessor.id, title: predecessor.title } : undefined,
      renewal: renewal ? { id: renewal.id, title: renewal.title, period: periodInWords(renewal) } : undefined,
      versions: versions.map((v) => ({ ...v, createdAt: stockholmTimeOf(v.createdAt.getTime()) })),
      carriedOver,
      submissionId: randomUUID(),
      remindersSent,
    };
    return sendView(reply, status, <PromisePage context={context} data={data} />);
  }

  app.route({
    method: 'GET',
    url: '/app/loften/:id',
    config: { app: 'signed-in', page: true },
    schema: {
      operationId: 'promiseAppPage',
      summary: 'Ett löfte i webbappen: uppgifter, vad som kan göras nu, signering, året, uppföljningar, texten och händelserna (HTML)',
      tags: APP,
      params: PromiseIdParamsSchema,
      querystring: z.object({ klart: z.string().optional() }),
      response: { 200: htmlPage('Sidan'), 404: htmlPage('Finns inte, eller hör inte till dina organisationer') },
    },
    // The same check and the same reading as GET /api/promises/:id.
    handler: async (request, reply) =>
      showPromise(request, reply, await requirePromiseAccess(db, request), 200, { done: request.query.klart }),
  });

  app.route({
    method: 'GET',
    url: '/app/loften/:id/handelsekedja.json',
    config: { app: 'signed-in' },
    schema: {
      operationId: 'downloadAuditChain',
      summary: 'Granskningsloggen som hashkedja att ladda ned och kontrollera på /verifiera/handelser (JSON)',
      tags: APP,
      params: PromiseIdParamsSchema,
      response: { 200: json('Kedjan, i ordning', AuditChainSchema), 404: htmlPage('Finns inte, eller hör inte till dina organisationer') },
    },
    handler: async (request, reply) => {
      const { promise } = await requirePromiseAccess(db, request);
      void reply.header('content-disposition', `attachment; filename="granskningslogg-${promise.id}.json"`);
      return auditChainOf(db, promise.id);
    },
  });

  /** An action on the promise page: done, it leads to the page with `done` said; refused, the page says why beside the form. */
  function promiseAction(
    url: string,
    summary: string,
    formName: Refusal['form'],
    act: (acting: Acting, fields: Record<string, unknown>) => Promise<{ done: string; goTo?: string } | FieldProblem[]>,
  ) {
    app.route({
      method: 'POST',
      url: `/app/loften/:id/${url}`,
      config: { app: 'signed-in', page: true },
      schema: {
        operationId: `promise${formName[0]!.toUpperCase()}${formName.slice(1)}FromForm`,
        ...form(summary, {
          303: 'Till löftets sida med resultatet',
          400: 'Sidan med det som behöver rättas',
          404: 'Finns inte',
          409: 'Går inte i löftets status',
        }),
        params: PromiseIdParamsSchema,
      },
      handler: async (request, reply) => {
        const acting = await requirePromiseAccess(db, request);
        try {
          const outcome = await act(acting, request.body);
          if (!Array.isArray(outcome)) return seeOther(reply, `/app/loften/${outcome.goTo ?? acting.promise.id}?klart=${outcome.done}`);
          const refusal = { form: formName, problems: outcome };
          return showPromise(request, reply, acting, 400, { refusal });
        } catch (error) {
          const http = toHttpError(error);
          if (!http) throw error;
          const refusal = { form: formName, message: http.message, problems: http.details ?? [] };
          return showPromise(request, reply, acting, http.statusCode, { refusal });
        }
      },
    });
  }

  promiseAction('skicka', 'Skicka utkastet för signering (formulär)', 'submit', async (acting) => {
    await submitPromise(deps, acting);
    return { done: 'skickat' };
  });
  promiseAction('ateruppta', 'Återuppta ett löfte som behöver åtgärdas (formulär)', 'resume', async (acting) => {
    await resume(deps.engine, acting.promise.id, acting.actor);
    return { done: 'aterupptaget' };
  });
  promiseAction('fornya', 'Förnya löftet: nästa periods utkast (formulär); leder till förnyelsen', 'renew', async (acting) => {
    const { renewalId } = await renewPromise(deps, acting);
    return { done: 'fornyat', goTo: renewalId };
  });
  promiseAction('skicka-igen', 'Skicka en signeringsbegäran igen (formulär)', 'resend', async (acting, fields) => {
    const requestId = z.uuid().safeParse(field(fields, 'requestId'));
    if (!requestId.success) throw new HttpError('NOT_FOUND', 'Begäran finns inte.');
    // The form's own id: sent twice (a double click, a reload), the request goes out once.
    const submission = z.uuid().safeParse(field(fields, 'submissionId'));
    await resendSigningRequest(deps, acting, { requestId: requestId.data, resendId: submission.success ? submission.data : randomUUID() });
    return { done: 'skickat-igen' };
  });
  promiseAction('sista-dag', 'Flytta signeringens sista dag till en senare dag (formulär)', 'deadline', async (acting, fields) => {
    const parsed = MoveDeadlineRequestSchema.safeParse({ deadline: field(fields, 'deadline') });
    if (!parsed.success) return fieldProblems(parsed.error);
    await moveSigningDeadline(deps, acting, parsed.data.deadline);
    return { done: 'sista-dag' };
  });
  promiseAction('aterkalla', 'Återkalla löftet med ett skäl (formulär)', 'withdraw', async (acting, fields) => {
    const reason = WithdrawRequestSchema.shape.reason.safeParse(field(fields, 'reason'));
    if (!reason.success) return fieldProblems(reason.error).map((p) => ({ ...p, field: 'reason' }));
    await withdrawPromise(deps, acting, reason.data);
    return { done: 'aterkallat' };
  });
  promiseAction(
    'adress',
    'Rätta en e-postadress; det som gick till den gamla skickas igen (formulär)',
    'address',
    async (acting, fields) => {
      const parsed = AddressCorrectionRequestSchema.safeParse({ previous: field(fields, 'previous'), email: field(fields, 'email') });
      if (!parsed.success) return fieldProblems(parsed.error);
      const { resending } = await correctAddressAndResend(deps, acting, parsed.data);
      return { done: resending ? 'adress-skickas' : 'adress' };
    },
  );

  promiseAction(
    'personnummer',
    'Lås en undertecknare till ett personnummer, eller ta bort låset (formulär)',
    'pin',
    async (acting, fields) => {
      const signatoryKey = field(fields, 'signatoryKey');
      if (field(fields, 'remove') === 'ja') {
        await unpinPersonalNumber(db, { promiseId: acting.promise.id, signatoryKey, actor: acting.actor });
        return { done: 'personnummer-borttaget' };
      }
      const parsed = PersonalNumberField.safeParse(field(fields, 'personalNumber'));
      if (!parsed.success) return fieldProblems(parsed.error).map((p) => ({ ...p, field: 'personalNumber' }));
      await pinPersonalNumber(db, {
        promiseId: acting.promise.id,
        signatoryKey,
        personalNumber: parsed.data,
        secret: deps.linkSecret,
        actor: acting.actor,
      });
      return { done: 'personnummer' };
    },
  );

  promiseAction(
    'bankid-granska',
    'Godta eller avvisa en underskrift med BankID som väntar (formulär)',
    'review',
    async (acting, fields) => {
      const orderId = z.uuid().safeParse(field(fields, 'orderId'));
      if (!orderId.success) throw new HttpError('NOT_FOUND', 'Underskriften finns inte.');
      const { decision } = await reviewHeldSignature(deps, acting, orderId.data, field(fields, 'accept') === 'ja');
      return { done: decision === 'SIGNED' ? 'bankid-godtagen' : 'bankid-avvisad' };
    },
  );

  /** An occurrence of the promise, or 404. */
  async function occurrenceOf(promiseId: string, occurrenceId: string) {
    const occurrence = await findOccurrence(db, promiseId, occurrenceId);
    if (!occurrence) throw new HttpError('NOT_FOUND', `Aktiviteten ${occurrenceId} hör inte till löftet.`);
    return occurrence;
  }

  async function showOccurrence(
    request: FastifyRequest,
    reply: FastifyReply,
    acting: Acting,
    occurrenceId: string,
    status: number,
    attempt: { form?: Record<string, unknown>; problems?: FieldProblem[]; refusal?: string; done?: string } = {},
  ) {
    const occurrence = occurrenceView(await occurrenceOf(acting.promise.id, occurrenceId));
    const names = await actorNamesOf(
      db,
      occurrence.reports.map((r) => r.reportedBy),
    );
    const data = {
      promiseId: acting.promise.id,
      occurrence,
      reporters: new Map(occurrence.reports.map((r) => [r.id, names.get(r.reportedBy) ?? r.reportedBy])),
      reportedAt: new Map(occurrence.reports.map((r) => [r.id, stockholmTimeOf(r.reportedAt.getTime())])),
      // A form sent again (a double click, a reload) keeps its id, so it is still one report.
      submissionId: typeof attempt.form?.submissionId === 'string' ? attempt.form.submissionId : randomUUID(),
      form: attempt.form,
      problems: attempt.problems ?? [],
      refusal: attempt.refusal,
      notice: doneNotice(pageContext(request, reply).t, attempt.done),
    };
    return sendView(reply, status, <OccurrencePage context={pageContext(request, reply)} data={data} />);
  }

  app.route({
    method: 'GET',
    url: '/app/loften/:id/aktiviteter/:occurrenceId',
    config: { app: 'signed-in', page: true },
    schema: {
      operationId: 'occurrencePage',
      summary: 'En aktivitet: datum, läge, rapporter och formuläret för att rapportera (HTML)',
      tags: APP,
      params: OccurrenceParamsSchema,
      querystring: z.object({ klart: z.string().optional() }),
      response: { 200: htmlPage('Sidan'), 404: htmlPage('Finns inte') },
    },
    handler: async (request, reply) =>
      showOccurrence(request, reply, await requirePromiseAccess(db, request), request.params.occurrenceId, 200, {
        done: request.query.klart,
      }),
  });

  app.route({
    method: 'POST',
    url: '/app/loften/:id/aktiviteter/:occurrenceId',
    config: { app: 'signed-in', page: true },
    schema: {
      operationId: 'reportOccurrenceFromForm',
      ...form('Rapportera för en kontaktperson, rätta en rapport eller bestäm ett datum (formulär)', {
        303: 'Till aktiviteten med rapporten',
        400: 'Formuläret med det som behöver rättas',
        404: 'Finns inte',
        409: 'Redan rapporterad, eller löftet är inte aktivt',
      }),
      params: OccurrenceParamsSchema,
    },
    handler: async (request, reply) => {
      const acting = await requirePromiseAccess(db, request);
      const { occurrenceId } = request.params;
      const fields = request.body;
      const report = reportFromForm(fields);
      const corrects = z.union([z.uuid(), z.literal('')]).safeParse(field(fields, 'correctsReportId'));
      if (!report.success || !corrects.success) {
        const problems = [
          ...(report.success ? [] : fieldProblems(report.error)),
          ...(corrects.success ? [] : [{ field: 'correctsReportId', problem: 'ska vara en av rapporterna' }]),
        ];
        return showOccurrence(request, reply, acting, occurrenceId, 400, { form: fields, problems });
      }
      try {
        await reportOnOccurrence(deps, acting, {
          occurrenceId,
          report: report.data,
          correctsReportId: corrects.data || undefined,
          idempotencyKey: `app:${field(fields, 'submissionId') || randomUUID()}`,
        });
      } catch (error) {
        const http = toHttpError(error);
        if (!http) throw error;
        const problems = (http.details ?? []).map((p) => ({ ...p, field: p.field.replace(/^report\./, '') }));
        return showOccurrence(request, reply, acting, occurrenceId, http.statusCode, { form: fields, problems, refusal: http.message });
      }
      return seeOther(reply, `/app/loften/${acting.promise.id}/aktiviteter/${occurrenceId}?klart=rapporterat`);
    },
  });

  async function showFollowUp(
    request: FastifyRequest,
    reply: FastifyReply,
    acting: Acting,
    index: number,
    status: number,
    attempt: { form?: Record<string, string>; problems?: FieldProblem[]; refusal?: string } = {},
  ) {
    const found = await findFollowUp(db, acting.promise.id, index);
    if (!found) throw new HttpError('NOT_FOUND', `Uppföljning ${index} finns inte (än).`);
    // The same reading as GET /api/promises/:id/follow-ups.
    const followUp = followUpView(found);
    const data = {
      promiseId: acting.promise.id,
      index,
      period: followUp.period as { start: string; end: string },
      final: followUp.final,
      status: followUp.status,
      publishedAt: followUp.publishedAt && stockholmTimeOf(followUp.publishedAt.getTime()),
      rows: (followUp.generated as { commitments: FollowUpPageRow[] }).commitments,
      form: attempt.form ?? {
        narrative: followUp.narrative ?? undefined,
        safetySurvey: followUp.safetySurvey ?? undefined,
        crimeStatistics: followUp.crimeStatistics ?? undefined,
      },
      problems: attempt.problems ?? [],
      refusal: attempt.refusal,
    };
    return sendView(reply, status, <FollowUpPage context={pageContext(request, reply)} data={data} />);
  }

  app.route({
    method: 'GET',
    url: '/app/loften/:id/uppfoljningar/:index',
    config: { app: 'signed-in', page: true },
    schema: {
      operationId: 'followUpPage',
      summary: 'En uppföljning: planerat mot genomfört, och formuläret för att redigera och publicera den (HTML)',
      tags: APP,
      params: FollowUpParamsSchema,
      querystring: z.object({ klart: z.string().optional() }),
      response: { 200: htmlPage('Sidan'), 404: htmlPage('Finns inte') },
    },
    handler: async (request, reply) => showFollowUp(request, reply, await requirePromiseAccess(db, request), request.params.index, 200),
  });

  app.route({
    method: 'POST',
    url: '/app/loften/:id/uppfoljningar/:index',
    config: { app: 'signed-in', page: true },
    schema: {
      operationId: 'publishFollowUpFromForm',
      ...form('Publicera uppföljningen med sammanfattning, trygghetsmätning och brottsstatistik (formulär)', {
        303: 'Till löftet',
        400: 'Formuläret med det som behöver rättas',
        404: 'Finns inte',
        409: 'Redan publicerad, eller löftet är inte aktivt',
      }),
      params: FollowUpParamsSchema,
    },
    handler: async (request, reply) => {
      const acting = await requirePromiseAccess(db, request);
      const { index } = request.params;
      const typed = {
        narrative: field(request.body, 'narrative'),
        safetySurvey: field(request.body, 'safetySurvey'),
        crimeStatistics: field(request.body, 'crimeStatistics'),
      };
      const parsed = PublishFollowUpRequestSchema.safeParse({
        narrative: typed.narrative,
        ...(typed.safetySurvey.trim() ? { safetySurvey: typed.safetySurvey } : {}),
        ...(typed.crimeStatistics.trim() ? { crimeStatistics: typed.crimeStatistics } : {}),
      });
      if (!parsed.success) return showFollowUp(request, reply, acting, index, 400, { form: typed, problems: fieldProblems(parsed.error) });
      try {
        await publishFollowUpOf(deps, acting, { index, ...parsed.data });
      } catch (error) {
        const http = toHttpError(error);
        if (!http) throw error;
        return showFollowUp(request, reply, acting, index, http.statusCode, { form: typed, refusal: http.message });
      }
      return seeOther(reply, `/app/loften/${acting.promise.id}?klart=publicerat`);
    },
  });
}

type FollowUpPageRow = { text: string; schedule: string | null; planned: number; done: number; notReported: number };
