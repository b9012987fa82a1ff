import type { FastifyReply, FastifyRequest } from 'fastify';
import { utcDateOf } from '../../domain/calendar';
import { storedContent } from '../../domain/content';
import { LinkParamsSchema, SignFormSchema } from '../../domain/requests';
import { findSigningAccess } from '../../store/signing';
import { accessFromLink, actorOf } from '../auth';
import { decide } from '../commands';
import { toHttpError } from '../errors';
import { renderDocument } from '../pages/document';
import { html, problemSummary, sendNotice, sendPage, sendRefusal, type Html, type Notice } from '../pages/html';
import { errors, htmlPage, type Api } from '../routing';
import type { ApiDeps } from '../server';

// The signatory's pages. No account: the link is the capability. Every refusal is a page that
// says what happened, with the matching HTTP status.

type Access = NonNullable<Awaited<ReturnType<typeof findSigningAccess>>>;

const ROUND_CLOSED: Record<string, Notice> = {
  SUPERSEDED: [
    410,
    'Texten har ändrats',
    'Texten har ändrats sedan du fick den här länken, så den kan inte längre signeras. Du får en ny länk till den nya versionen med e-post.',
  ],
  COMPLETED: [410, 'Signeringen är klar', 'Alla har signerat och löftet gäller. Länken behövs inte längre.'],
  DECLINED: [410, 'Signeringen är avbruten', 'En part avböjde, så löftet är tillbaka hos samordnaren som utkast.'],
  EXPIRED: [410, 'Tiden gick ut', 'Tiden för att signera gick ut. Samordnaren kan skicka löftet för signering igen.'],
  WITHDRAWN: [410, 'Löftet är återkallat', 'Samordnaren har återkallat löftet.'],
};

/** Why this link cannot be used to decide now, if it cannot. */
function refusal(access: Access | undefined): Notice | undefined {
  if (!access) return [404, 'Okänd länk', 'Länken känns inte igen. Kontrollera att hela länken kom med från e-postmeddelandet.'];
  const { token, request } = access;
  const closed = ROUND_CLOSED[request.round.status];
  if (closed) return closed;
  if (token.revokedAt || token.expiresAt.getTime() < Date.now()) {
    return [410, 'Länken har gått ut', 'Länken gäller inte längre. Använd länken i ditt senaste e-postmeddelande.'];
  }
  if (request.round.version.number !== request.round.promise.currentVersionNumber) return ROUND_CLOSED.SUPERSEDED;
  return undefined;
}

/** A signature that a new version or a withdrawal voided: what happened, and where to go now. */
function voidedNotice({ request }: Access): Notice {
  const { round } = request;
  const signedOn = utcDateOf(request.signature!.decidedAt);
  if (round.status === 'WITHDRAWN') {
    return [
      410,
      'Din signatur gäller inte längre',
      `Du signerade ${signedOn}, men samordnaren har återkallat löftet${round.outcomeReason ? ` (${round.outcomeReason})` : ''}. Inget mer behövs från dig.`,
    ];
  }
  const now = round.promise.currentVersionNumber;
  const next =
    round.promise.status === 'SIGNING'
      ? `En ny begäran om att signera den nya texten har skickats till dig med e-post; använd länken i den (ämnesraden börjar "Signera medborgarlöftet (ny version ${now})").`
      : 'Samordnaren skickar en ny begäran när texten är klar.';
  return [
    410,
    'Din signatur gäller inte längre',
    `Du signerade version ${round.version.number} ${signedOn}. Texten har ändrats sedan dess och är nu version ${now}, så signaturen gäller inte längre. ${next}`,
  ];
}

function decidedPage(reply: FastifyReply, access: Access) {
  const signature = access.request.signature!;
  const signed = signature.decision === 'SIGNED';
  return sendPage(
    reply,
    200,
    signed ? 'Du har signerat' : 'Du har avböjt',
    html`<h1>${signed ? 'Du har signerat' : 'Du har avböjt'}</h1>
<p class="notice">${signed ? 'Din signatur' : 'Ditt svar'} för ${access.request.signatory.name} registrerades ${utcDateOf(signature.decidedAt)}.</p>
<p>Signerad text, SHA-256: <span class="hash">${signature.documentSha256}</span></p>`,
  );
}

function signingForm(access: Access, problems: { field: string; problem: string }[] = []): Html {
  const { request } = access;
  const { version } = request.round;
  const content = storedContent(version.content);
  return html`<h1>Signera medborgarlöftet</h1>
<p>Hej ${request.signatory.name}, ${request.signatory.title} för ${request.signatory.party.name}. Läs texten nedan och signera eller avböj.</p>
${problemSummary('Formuläret behöver rättas:', problems)}
${renderDocument(content)}
<h2>Exakt text som signeras</h2>
<p>Version ${version.number}. Kontrollsumma (SHA-256): <span class="hash" id="sha">${version.sha256}</span></p>
<details><summary>Visa den kanoniska texten (JSON)</summary><pre class="wrap">${version.canonicalText}</pre></details>
<form method="post">
  <input type="hidden" name="documentSha256" value="${version.sha256}">
  <p><button type="submit" name="decision" value="SIGN">Jag signerar</button></p>
  <p><label for="reason">Skäl, om du avböjer</label><br>
  <textarea id="reason" name="reason" rows="3" maxlength="2000"></textarea></p>
  <p><button type="submit" name="decision" value="DECLINE">Jag avböjer</button></p>
</form>`;
}

/**
 * A personal link's page. A malformed or unknown link is answered as unknown (a 404 page), so the
 * path's validation is left to the handler; a body that does not fit the route's form schema at
 * all (no browser sends one) is a 400 page before the link is looked at. Rules beyond the schema
 * are the handler's, which shows the form again with each problem beside its field.
 */
export const LINK_PAGE = {
  config: { page: true, link: true },
  attachValidation: true,
  preHandler: async (request: FastifyRequest) => {
    const error = request.validationError;
    if (error?.validationContext === 'body') throw error;
  },
} as const;

export function signingRoutes(app: Api, deps: ApiDeps) {
  const { db, engine } = deps;

  const load = (request: FastifyRequest) => accessFromLink(request, (token) => findSigningAccess(db, token));

  app.route({
    method: 'GET',
    url: '/sign/:token',
    ...LINK_PAGE,
    schema: {
      summary: 'Signeringssidan: den exakta texten, dess SHA-256 och formuläret (HTML)',
      tags: ['Signering'],
      params: LinkParamsSchema,
      response: { 200: htmlPage('Sidan'), ...errors({ 404: 'Okänd länk', 410: 'Länken eller omgången gäller inte längre' }, true) },
    },
    handler: async (request, reply) => {
      const access = await load(request);
      if (access?.request.signature?.voidedAt) return sendNotice(reply, voidedNotice(access));
      if (access?.request.signature) return decidedPage(reply, access);
      const refused = refusal(access);
      if (refused) return sendNotice(reply, refused);
      return sendPage(reply, 200, 'Signera medborgarlöftet', signingForm(access!));
    },
  });

  app.route({
    method: 'POST',
    url: '/sign/:token',
    ...LINK_PAGE,
    schema: {
      summary: 'Signera eller avböj (formulär, application/x-www-form-urlencoded)',
      tags: ['Signering'],
      consumes: ['application/x-www-form-urlencoded'],
      params: LinkParamsSchema,
      body: SignFormSchema,
      response: {
        200: htmlPage('Kvitto'),
        ...errors({ 404: 'Okänd länk', 409: 'Redan besvarat eller inte din tur', 410: 'Länken gäller inte längre' }, true),
      },
    },
    handler: async (request, reply) => {
      const access = await load(request);
      if (access?.request.signature?.voidedAt) return sendNotice(reply, voidedNotice(access));
      if (access?.request.signature) {
        return sendNotice(reply, [409, 'Redan besvarat', 'Du har redan lämnat ditt svar. Det går inte att signera två gånger.']);
      }
      const refused = refusal(access);
      if (refused) return sendNotice(reply, refused);
      // The body fits the form (LINK_PAGE refused it otherwise); a decline also needs its reason.
      const form = request.body;
      if (form.decision === 'DECLINE' && !form.reason) {
        return sendPage(
          reply,
          400,
          'Formuläret behöver rättas',
          signingForm(access!, [{ field: 'reason', problem: 'ange ett skäl när du avböjer' }]),
        );
      }

      const { request: signingRequest } = access!;
      try {
        const result = await decide(engine, signingRequest.round.workflowId, {
          signingRequestId: signingRequest.id,
          decision: form.decision,
          reason: form.reason,
          documentSha256: form.documentSha256,
          actor: actorOf(request, 'SIGNATORY', signingRequest.signatoryId),
        });
        const signed = result.decision === 'SIGNED';
        return sendPage(
          reply,
          200,
          signed ? 'Tack för din signatur' : 'Ditt svar är registrerat',
          html`<h1>${signed ? 'Tack för din signatur' : 'Ditt svar är registrerat'}</h1>
  <p class="notice">${
    signed
      ? `Du har signerat version ${signingRequest.round.version.number} av "${signingRequest.round.promise.title}".`
      : 'Du har avböjt. Samordnaren har fått ditt skäl.'
  }</p>
  <p>SHA-256: <span class="hash">${form.documentSha256}</span></p>`,
        );
      } catch (error) {
        const http = toHttpError(error);
        if (!http) throw error;
        return sendRefusal(reply, http.statusCode, http.message);
      }
    },
  });
}
