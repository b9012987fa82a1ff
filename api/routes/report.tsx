import { contactCalendarPath } from '../../domain/icalendar';
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../../domain/actor';
import { stockholmDateOf, utcDateOf } from '../../domain/calendar';
import { uuidFromName } from '../../domain/crypto';
import { contactReportKinds, reportProblems } from '../../domain/report-rules';
import { isInYear } from '../../domain/lifecycle';
import { isDateRequestKey } from '../../domain/identifiers';
import { LinkParamsSchema, LinkQuerySchema, reportFromForm, ReportFormSchema } from '../../domain/requests';
import { fieldProblems } from '../../domain/validation';
import { periodOf, senderFrom, type Sender } from '../../store/promises';
import type { Database } from '../../store/database';
import { addressIdOf } from '../../store/audit';
import { recipientOf } from '../../store/outbox';
import { findReportAccess } from '../../store/year';
import { accessFromLink, actorOf } from '../auth';
import { reportActivity } from '../commands';
import { toHttpError } from '../errors';
import { ErrorPage } from '../views/general';
import { errors, htmlPage, type Api } from '../routing';
import type { ApiDeps } from '../server';
import { LINK_PAGE } from './signing';
import { linkContext } from '../session';
import { sendView, type PageContext } from '../views/layout';
import { LinkNoticePage } from '../views/link-pages';
import { ReportPage, ReportThanksPage, type ReportPageData } from '../views/report';
import type { Texts } from '../views/texts';
import { reportView } from './year';

// The report page behind the personal link in every activity reminder. No account: the link is
// the capability, for this one occurrence. Every refusal is a page that says what happened.

type Access = NonNullable<Awaited<ReturnType<typeof findReportAccess>>>;

/** Why this link cannot be used now, if it cannot. */
function refusal(access: Access | undefined): { status: number; notice: keyof Texts['links']['notices'] } | undefined {
  if (!access) return { status: 404, notice: 'unknown' };
  const { token, occurrence } = access;
  if (occurrence.promise.status === 'WITHDRAWN') return { status: 410, notice: 'reportWithdrawn' };
  if (!isInYear(occurrence.promise.status)) return { status: 410, notice: 'reportClosed' };
  if (token.revokedAt || token.expiresAt.getTime() < Date.now()) return { status: 410, notice: 'reportExpired' };
  return undefined;
}

/** What the page shows of an occurrence and its reports, to the person behind this link. */
function reportPageData(context: PageContext, access: Access, reporterKey: string, sender: Sender, path: string): ReportPageData {
  const { occurrence } = access;
  const labels = context.t.occurrence.labels;
  const reports = occurrence.reports.map(reportView);
  const detail = (field: string, value: unknown) =>
    value === null || value === undefined || value === '' ? [] : [`${labels[field]}: ${value}`];
  return {
    path,
    commitment: occurrence.commitment.text,
    promiseTitle: occurrence.promise.title,
    progressReport: occurrence.kind === 'PROGRESS_REPORT',
    dueDate: occurrence.dueDate && utcDateOf(occurrence.dueDate),
    closed: occurrence.status === 'DONE' || occurrence.status === 'CANCELLED',
    kinds: contactReportKinds(occurrence),
    reports: reports.map((r) => ({
      id: r.id,
      kind: r.kind,
      on: stockholmDateOf(r.reportedAt),
      yours: r.reportedBy === reporterKey,
      correction: r.correctsReportId !== null,
      details: [
        ...detail('performedOn', r.performedOn),
        ...detail('newDueDate', r.newDueDate),
        ...detail('participants', r.participants),
        ...detail('hours', r.hours),
        ...detail('description', r.description),
        ...detail('reason', r.reason),
      ],
    })),
    own: reports
      .filter((r) => r.reportedBy === reporterKey)
      .map((r) => r.id)
      .reverse(),
    sender,
    submissionId: randomUUID(),
  };
}

/**
 * Who reports through the link: the contact it was sent to (with their address, for their own
 * calendar's link), or the coordinator (asked for a date, or when no contact is named).
 */
async function reporter(db: Database, access: Access): Promise<Pick<Actor, 'kind' | 'id'> & { address?: string }> {
  const { commitment, promise } = access.occurrence;
  if (commitment.contacts.length === 0 || isDateRequestKey(access.token.outboxKey))
    return { kind: 'COORDINATOR', id: promise.coordinatorId };
  // Named by the id of their address: the report and the audit log keep no address.
  const address = (await recipientOf(db, access.token.outboxKey)) ?? commitment.contacts[0]!.email;
  return { kind: 'CONTACT', id: await addressIdOf(db, address), address };
}

const CorrectsSchema = z.union([z.uuid('ska vara en rapports id'), z.literal('')]).optional();

export function reportRoutes(app: Api, deps: ApiDeps) {
  const { db, engine } = deps;

  /** The link's access, who reports through it, whom to ask, and the page to show instead when it cannot be used. */
  async function load(request: FastifyRequest) {
    const context = linkContext(request);
    const access = await accessFromLink(request, (token) => findReportAccess(db, token));
    const refused = refusal(access);
    if (refused) {
      const sender = access && senderFrom(access.occurrence.promise);
      const view = <LinkNoticePage context={context} notice={context.t.links.notices[refused.notice]} sender={sender} />;
      return { context, closed: { status: refused.status, view } } as const;
    }
    const who = await reporter(db, access!);
    const sender = senderFrom(access!.occurrence.promise);
    const path = `/report/${(request.params as { token: string }).token}`;
    const data = {
      ...reportPageData(context, access!, `${who.kind}:${who.id}`, sender, path),
      calendarPath: who.address && contactCalendarPath(deps.linkSecret, access!.occurrence.promise.id, who.address),
    };
    return { context, access: access!, who, data } as const;
  }

  const schema = {
    tags: ['Rapportering'],
    params: LinkParamsSchema,
    querystring: LinkQuerySchema,
  };

  app.route({
    method: 'GET',
    url: '/report/:token',
    ...LINK_PAGE,
    schema: {
      operationId: 'reportPage',
      ...schema,
      summary: 'Rapportsidan för en aktivitet: vad som är planerat, vad som rapporterats och formuläret (HTML)',
      response: { 200: htmlPage('Sidan'), ...errors({ 404: 'Okänd länk', 410: 'Länken eller löftet gäller inte längre' }, true) },
    },
    handler: async (request, reply) => {
      const page = await load(request);
      if (page.closed) return sendView(reply, page.closed.status, page.closed.view);
      return sendView(reply, 200, <ReportPage context={page.context} data={page.data} />);
    },
  });

  app.route({
    method: 'POST',
    url: '/report/:token',
    ...LINK_PAGE,
    schema: {
      operationId: 'submitReport',
      ...schema,
      summary:
        'Skicka en rapport eller rätta sin egen: genomförd, lägesrapport, inställd, flyttad eller ett bestämt datum (formulär, application/x-www-form-urlencoded)',
      consumes: ['application/x-www-form-urlencoded'],
      body: ReportFormSchema,
      response: {
        200: htmlPage('Kvitto'),
        ...errors({ 404: 'Okänd länk', 409: 'Redan rapporterad', 410: 'Länken eller löftet gäller inte längre' }, true),
      },
    },
    handler: async (request, reply) => {
      const page = await load(request);
      if (page.closed) return sendView(reply, page.closed.status, page.closed.view);
      const { context, access, who, data } = page;
      const { occurrence } = access;
      const texts = context.t.links.report;
      const form = (request.body ?? {}) as Record<string, unknown>;
      const report = reportFromForm(form);
      const corrects = CorrectsSchema.safeParse(form.correctsReportId);
      const notOwn = corrects.success && corrects.data && !data.own.includes(corrects.data);
      const problems = [
        ...(report.success
          ? reportProblems(
              report.data,
              { dueDate: occurrence.dueDate && utcDateOf(occurrence.dueDate) },
              periodOf(occurrence.promise),
              stockholmDateOf(Date.now()),
            )
          : fieldProblems(report.error)),
        ...(corrects.success ? [] : fieldProblems(corrects.error).map((p) => ({ ...p, field: 'correctsReportId' }))),
        ...(notOwn ? [{ field: 'correctsReportId', problem: texts.notYours }] : []),
      ];
      if (!report.success || problems.length > 0) {
        return sendView(reply, 400, <ReportPage context={context} data={data} form={form} problems={problems} />);
      }
      try {
        // The form's own id: sent twice (a double click, a reload), it is one report.
        const submission = typeof form.submissionId === 'string' && form.submissionId ? form.submissionId : randomUUID();
        await reportActivity(engine, occurrence.promiseId, {
          reportId: uuidFromName(`report-page:${occurrence.id}:${submission}`),
          occurrenceId: occurrence.id,
          report: report.data,
          correctsReportId: (corrects.success && corrects.data) || undefined,
          actor: actorOf(request, who.kind, who.id),
        });
      } catch (error) {
        const http = toHttpError(error);
        if (!http) throw error;
        return sendView(reply, http.statusCode, <ErrorPage context={context} status={http.statusCode} message={http.message} />);
      }
      const { kind } = report.data;
      const kindLabel = new Map(context.t.occurrence.kinds).get(kind) ?? kind;
      const text =
        kind === 'POSTPONED'
          ? texts.moved(report.data.newDueDate)
          : kind === 'DATE_SET'
            ? texts.dated(report.data.newDueDate)
            : texts.recorded(kindLabel);
      return sendView(reply, 200, <ReportThanksPage context={context} text={text} path={data.path} />);
    },
  });
}
