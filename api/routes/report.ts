import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../../domain/actor';
import { stockholmDateOf, utcDateOf } from '../../domain/calendar';
import { uuidFromName } from '../../domain/crypto';
import { reportProblems } from '../../domain/report-rules';
import { isInYear } from '../../domain/lifecycle';
import { isDateRequestKey } from '../../domain/identifiers';
import { LinkParamsSchema, reportFromForm, ReportFormSchema } from '../../domain/requests';
import { fieldProblems, type FieldProblem } from '../../domain/validation';
import { periodOf } from '../../store/promises';
import type { Database } from '../../store/database';
import { recipientOf } from '../../store/outbox';
import { findReportAccess } from '../../store/year';
import { accessFromLink, actorOf } from '../auth';
import { reportActivity } from '../commands';
import { toHttpError } from '../errors';
import { html, Html, problemSummary, sendNotice, sendPage, sendRefusal, type Notice } from '../pages/html';
import { errors, htmlPage, type Api } from '../routing';
import type { ApiDeps } from '../server';
import { LINK_PAGE } from './signing';
import { reportView } from './year';

// The report page behind the personal link in every activity reminder. No account: the link is
// the capability, for this one occurrence. Every refusal is a page that says what happened.

type Access = NonNullable<Awaited<ReturnType<typeof findReportAccess>>>;

const KIND_LABELS = {
  DONE: 'Genomförd',
  PROGRESS: 'Lägesrapport',
  CANCELLED: 'Inställd',
  POSTPONED: 'Flyttad',
  DATE_SET: 'Datum bestämt',
} as const;

const FIELD_LABELS: Record<string, string> = {
  kind: 'Vad vill du rapportera',
  performedOn: 'Datum då den genomfördes',
  description: 'Vad gjordes',
  participants: 'Antal deltagare',
  hours: 'Antal timmar',
  link: 'Länk',
  reason: 'Skäl',
  newDueDate: 'Nytt datum',
  correctsReportId: 'Rapporten som rättas',
};

/** Why this link cannot be used now, if it cannot. */
function refusal(access: Access | undefined): Notice | undefined {
  if (!access) return [404, 'Okänd länk', 'Länken känns inte igen. Kontrollera att hela länken kom med från e-postmeddelandet.'];
  const { token, occurrence } = access;
  if (occurrence.promise.status === 'WITHDRAWN')
    return [410, 'Löftet är återkallat', 'Samordnaren har återkallat löftet, så inga fler rapporter behövs.'];
  if (!isInYear(occurrence.promise.status))
    return [410, 'Löftet är avslutat', 'Löftets period är avslutad och uppföljd. Kontakta samordnaren om något behöver rättas.'];
  if (token.revokedAt || token.expiresAt.getTime() < Date.now()) {
    return [410, 'Länken har gått ut', 'Länken gäller inte längre. Kontakta samordnaren om du behöver rapportera något.'];
  }
  return undefined;
}

function reportSummary(report: ReturnType<typeof reportView>): Html {
  const details = [
    report.performedOn && `genomförd ${report.performedOn}`,
    report.newDueDate && `nytt datum ${report.newDueDate}`,
    report.participants !== null && `${report.participants} deltagare`,
    report.hours !== null && `${report.hours} timmar`,
  ].filter(Boolean);
  return html`<li><strong>${KIND_LABELS[report.kind]}</strong>${report.correctsReportId ? ' (rättelse)' : ''}, rapporterad ${utcDateOf(report.reportedAt)}${details.length > 0 ? `: ${details.join(', ')}` : ''}.
${report.description ? html`<br>${report.description}` : ''}${report.reason ? html`<br>Skäl: ${report.reason}` : ''}</li>`;
}

/** The form, refilled with what was sent when it comes back with problems. */
function reportForm(access: Access, problems: FieldProblem[] = [], sent: Record<string, unknown> = {}): Html {
  const { occurrence } = access;
  const reports = occurrence.reports.map(reportView);
  const latest = reports[reports.length - 1];
  const closed = occurrence.status === 'DONE' || occurrence.status === 'CANCELLED';
  const undated = occurrence.dueDate === null;
  const kinds =
    occurrence.kind === 'PROGRESS_REPORT'
      ? (['PROGRESS', 'CANCELLED'] as const)
      : undated
        ? (['DATE_SET', 'DONE', 'CANCELLED'] as const)
        : (['DONE', 'CANCELLED', 'POSTPONED'] as const);
  const labels: Record<string, string> = undated ? { ...FIELD_LABELS, newDueDate: 'Datum' } : FIELD_LABELS;
  const offers = (kind: string) => (kinds as readonly string[]).includes(kind);
  const value = (name: string) => (typeof sent[name] === 'string' ? sent[name] : '');
  const chosen = offers(value('kind')) ? value('kind') : kinds[0];
  const input = (name: string, type: string, extra = '') =>
    html`<p><label for="${name}">${labels[name]}</label><br><input id="${name}" name="${name}" type="${type}" value="${value(name)}"${new Html(extra)}></p>`;
  return html`<h1>${occurrence.kind === 'PROGRESS_REPORT' ? 'Lägesrapport' : 'Rapportera aktiviteten'}</h1>
<p>${occurrence.commitment.text}</p>
<p>Ur "${occurrence.promise.title}". ${
    undated
      ? html`<strong>Datumet är inte bestämt än.</strong> Sätt det när det är bestämt, så får de ansvariga påminnelser inför det.`
      : html`${occurrence.kind === 'PROGRESS_REPORT' ? 'Rapporten gäller perioden fram till' : 'Planerad till'} <strong>${utcDateOf(occurrence.dueDate!)}</strong>.`
  }</p>
${problemSummary('Formuläret behöver rättas:', problems, (field) => labels[field] ?? field)}
${reports.length > 0 ? html`<h2>Rapporterat hittills</h2><ul>${reports.map(reportSummary)}</ul>` : ''}
${closed ? html`<p class="notice">Aktiviteten är redan rapporterad. Stämmer något inte kan du skicka en rättelse nedan; den tidigare rapporten sparas.</p>` : ''}
<form method="post">
  <input type="hidden" name="submissionId" value="${randomUUID()}">
  ${closed && latest ? html`<input type="hidden" name="correctsReportId" value="${latest.id}">` : ''}
  <fieldset>
    <legend>${FIELD_LABELS.kind}</legend>
    ${kinds.map((kind) => html`<p><input type="radio" id="kind-${kind}" name="kind" value="${kind}"${new Html(kind === chosen ? ' checked' : '')}> <label for="kind-${kind}">${KIND_LABELS[kind]}</label></p>`)}
  </fieldset>
  ${offers('DONE') ? input('performedOn', 'date') : ''}
  <p><label for="description">${FIELD_LABELS.description} (vid genomförd eller lägesrapport)</label><br>
  <textarea id="description" name="description" rows="4" maxlength="4000">${value('description')}</textarea></p>
  ${offers('DONE') ? [input('participants', 'number', ' min="0" inputmode="numeric"'), input('hours', 'number', ' min="0" step="0.5"')] : ''}
  ${input('link', 'url', ' placeholder="https://"')}
  ${offers('POSTPONED') || offers('DATE_SET') ? input('newDueDate', 'date') : ''}
  <p><label for="reason">${FIELD_LABELS.reason} (vid inställd${offers('POSTPONED') ? ' eller flyttad' : ''})</label><br>
  <textarea id="reason" name="reason" rows="3" maxlength="2000">${value('reason')}</textarea></p>
  <p><button type="submit">${closed ? 'Skicka rättelsen' : 'Skicka rapporten'}</button></p>
</form>`;
}

/** Who reports through the link: the contact it was sent to, or the coordinator (asked for a date, or when no contact is named). */
async function reporter(db: Database, access: Access): Promise<Pick<Actor, 'kind' | 'id'>> {
  const { commitment, promise } = access.occurrence;
  if (commitment.contacts.length === 0 || isDateRequestKey(access.token.outboxKey))
    return { kind: 'COORDINATOR', id: promise.coordinatorId };
  return { kind: 'CONTACT', id: (await recipientOf(db, access.token.outboxKey)) ?? commitment.contacts[0]!.email };
}

const CorrectsSchema = z.union([z.uuid('ska vara en rapports id'), z.literal('')]).optional();

export function reportRoutes(app: Api, deps: ApiDeps) {
  const { db, engine } = deps;

  const load = (request: FastifyRequest) => accessFromLink(request, (token) => findReportAccess(db, token));

  app.route({
    method: 'GET',
    url: '/report/:token',
    ...LINK_PAGE,
    schema: {
      summary: 'Rapportsidan för en aktivitet: vad som är planerat, vad som rapporterats och formuläret (HTML)',
      tags: ['Rapportering'],
      params: LinkParamsSchema,
      response: { 200: htmlPage('Sidan'), ...errors({ 404: 'Okänd länk', 410: 'Länken eller löftet gäller inte längre' }, true) },
    },
    handler: async (request, reply) => {
      const access = await load(request);
      const refused = refusal(access);
      if (refused) return sendNotice(reply, refused);
      return sendPage(reply, 200, 'Rapportera aktiviteten', reportForm(access!));
    },
  });

  app.route({
    method: 'POST',
    url: '/report/:token',
    ...LINK_PAGE,
    schema: {
      summary:
        'Skicka en rapport: genomförd, lägesrapport, inställd, flyttad eller ett bestämt datum (formulär, application/x-www-form-urlencoded)',
      tags: ['Rapportering'],
      consumes: ['application/x-www-form-urlencoded'],
      params: LinkParamsSchema,
      body: ReportFormSchema,
      response: {
        200: htmlPage('Kvitto'),
        ...errors({ 404: 'Okänd länk', 409: 'Redan rapporterad', 410: 'Länken eller löftet gäller inte längre' }, true),
      },
    },
    handler: async (request, reply) => {
      const access = await load(request);
      const refused = refusal(access);
      if (refused) return sendNotice(reply, refused);
      const { occurrence } = access!;
      const form = (request.body ?? {}) as Record<string, unknown>;
      const report = reportFromForm(form);
      const corrects = CorrectsSchema.safeParse(form.correctsReportId);
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
      ];
      if (!report.success || !corrects.success || problems.length > 0) {
        return sendPage(reply, 400, 'Formuläret behöver rättas', reportForm(access!, problems, form));
      }
      const who = await reporter(db, access!);
      try {
        // The form's own id: sent twice (a double click, a reload), it is one report.
        const submission = typeof form.submissionId === 'string' && form.submissionId ? form.submissionId : randomUUID();
        await reportActivity(engine, occurrence.promiseId, {
          reportId: uuidFromName(`report-page:${occurrence.id}:${submission}`),
          occurrenceId: occurrence.id,
          report: report.data,
          correctsReportId: corrects.data || undefined,
          actor: actorOf(request, who.kind, who.id),
        });
      } catch (error) {
        const http = toHttpError(error);
        if (!http) throw error;
        return sendRefusal(reply, http.statusCode, http.message);
      }
      const kind = report.data.kind;
      return sendPage(
        reply,
        200,
        'Tack för rapporten',
        html`<h1>Tack för rapporten</h1>
  <p class="notice">${
    kind === 'POSTPONED' || kind === 'DATE_SET'
      ? `Aktiviteten är ${kind === 'POSTPONED' ? 'flyttad till' : 'planerad till'} ${report.data.newDueDate}. De ansvariga får påminnelser inför datumet.`
      : `Rapporten "${KIND_LABELS[kind]}" är registrerad. Inga fler påminnelser skickas för den här aktiviteten.`
  }</p>`,
      );
    },
  });
}
