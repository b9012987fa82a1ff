import type { FastifyReply, FastifyRequest } from 'fastify';
import { stockholmDateOf } from '../../domain/calendar';
import { storedContent } from '../../domain/stored-content';
import { BankIdOrderParamsSchema, BankIdStartFormSchema, LinkParamsSchema, LinkQuerySchema, SignFormSchema } from '../../domain/requests';
import { bankIdOrderOf, createBankIdOrder, markEnded, requestCancel } from '../../store/bankid-orders';
import { fieldProblems } from '../../domain/validation';
import { senderFrom, type Sender } from '../../store/promises';
import { pinsOf } from '../../store/pins';
import { findSigningAccess } from '../../store/signing';
import { accessFromLink, actorOf } from '../auth';
import { bankIdOrderView } from '../bankid-view';
import { decide, startBankIdOrder } from '../commands';
import { HttpError, toHttpError } from '../errors';
import { problemsByField } from '../views/fields';
import { ErrorPage } from '../views/general';
import { errors, htmlPage, type Api } from '../routing';
import type { ApiDeps } from '../server';
import { linkContext } from '../session';
import { sendView, type PageContext } from '../views/layout';
import { inLanguage, LinkNoticePage } from '../views/link-pages';
import { BankIdOrderPage } from '../views/bankid';
import { ConfirmSigningPage, SigningAnsweredPage, SigningPage, type SigningPageData } from '../views/signing';
import { seeOther } from '../pages/html';
import { randomUUID } from 'node:crypto';

// The signatory's pages. No account: the link is the capability. Reading and signing are two
// steps (the text, then a confirmation with the signatory's name); declining is a form of its own.
// Every refusal is a page that says what happened and whom to ask, with the matching HTTP status.

type Access = NonNullable<Awaited<ReturnType<typeof findSigningAccess>>>;

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

/** The page for a link that cannot be used to decide now, or undefined when it can. */
function closedLinkPage(context: PageContext, access: Access | undefined, sender: Sender | undefined) {
  const texts = context.t.links;
  if (!access) return { status: 404, view: <LinkNoticePage context={context} notice={texts.notices.unknown} /> };
  const { token, request } = access;
  const { round } = request;
  const notice = (status: number, text: readonly [string, string], extra?: preact.ComponentChildren) => ({
    status,
    view: (
      <LinkNoticePage context={context} notice={text} sender={sender}>
        {extra}
      </LinkNoticePage>
    ),
  });
  if (request.signature?.voidedAt) {
    const signedOn = stockholmDateOf(request.signature.decidedAt);
    const now = round.promise.currentVersionNumber;
    const text =
      round.status === 'WITHDRAWN'
        ? texts.voidedWithdrawn(signedOn)
        : `${texts.voidedRevised(round.version.number, signedOn, now)} ${round.promise.status === 'SIGNING' ? texts.voidedNewRequest(now) : texts.voidedWaiting}`;
    return notice(410, [texts.voidedTitle, text], round.outcomeReason && <p>{texts.withdrawnBecause(round.outcomeReason)}</p>);
  }
  const ended = {
    SUPERSEDED: texts.notices.superseded,
    COMPLETED: texts.notices.completed,
    DECLINED: texts.notices.declined,
    EXPIRED: texts.notices.expired,
    WITHDRAWN: texts.notices.withdrawn,
  }[round.status as string];
  if (ended) {
    const extra =
      round.status === 'COMPLETED' ? (
        <p>
          <a href={`/loften/${round.promiseId}`}>{texts.publicPage}</a>
        </p>
      ) : (
        round.status === 'WITHDRAWN' && round.outcomeReason && <p>{texts.withdrawnBecause(round.outcomeReason)}</p>
      );
    return notice(410, ended, extra);
  }
  if (token.revokedAt || token.expiresAt.getTime() < Date.now()) return notice(410, texts.notices.signExpired);
  if (round.version.number !== round.promise.currentVersionNumber) return notice(410, texts.notices.superseded);
  return undefined;
}

/** What the signing pages show: the request's own signatory, the text, and everyone's progress by name. */
function signingPageData(access: Access, sender: Sender, path: string, bankIdPinned = false): SigningPageData {
  const { request } = access;
  const { version, promise } = request.round;
  return {
    path,
    signatory: { name: request.signatory.name, title: request.signatory.title, party: request.signatory.party.name },
    promise: { title: promise.title, municipality: promise.municipality },
    version: { number: version.number, sha256: version.sha256, canonicalText: version.canonicalText },
    content: storedContent(version.content),
    deadline: stockholmDateOf(access.token.expiresAt),
    sender,
    parties: request.round.requests
      .map((r) => ({
        id: r.id,
        name: r.signatory.name,
        title: r.signatory.title,
        party: r.signatory.party.name,
        group: r.signatory.signingGroup,
        you: r.id === request.id,
        signedOn: r.signature?.decision === 'SIGNED' && !r.signature.voidedAt ? stockholmDateOf(r.signature.decidedAt) : null,
      }))
      .sort((a, b) => a.group - b.group || a.name.localeCompare(b.name, 'sv')),
    method: request.signatory.signingMethod,
    bankIdPinned,
  };
}

export function signingRoutes(app: Api, deps: ApiDeps) {
  const { db, engine } = deps;

  /** The link's access, whom to ask, and the page to show instead when it cannot be used now. */
  async function load(request: FastifyRequest) {
    const context = linkContext(request);
    const access = await accessFromLink(request, (token) => findSigningAccess(db, token));
    const sender = access && senderFrom(access.request.round.promise);
    const signature = access?.request.signature;
    return {
      context,
      access,
      sender,
      /** The link's own answer stands (not voided by a new version or a withdrawal). */
      answered: !!signature && signature.voidedAt === null,
      closed: closedLinkPage(context, access, sender),
      path: `/sign/${(request.params as { token: string }).token}`,
    };
  }

  /** A later visit to a link that has been answered: the receipt. */
  function receipt(reply: FastifyReply, context: PageContext, access: Access) {
    const texts = context.t.links.signing;
    const signature = access.request.signature!;
    const signed = signature.decision === 'SIGNED';
    const completed = access.request.round.status === 'COMPLETED';
    return sendView(
      reply,
      200,
      <SigningAnsweredPage
        context={context}
        title={signed ? texts.decidedSigned : texts.decidedDeclined}
        text={`${texts.decidedOn(access.request.signatory.name, stockholmDateOf(signature.decidedAt))}${signature.method === 'BANKID' ? ` ${context.t.links.bankId.withBankId}` : ''}`}
        sha256={signature.documentSha256}
        next={
          signed ? (completed ? { publicPath: `/loften/${access.request.round.promiseId}` } : { text: texts.whenAllSigned }) : undefined
        }
      />,
    );
  }

  /** A step of signing: the receipt once the link is answered, the page of a closed link, or the step's page. */
  const step =
    (View: (props: { context: PageContext; data: SigningPageData }) => preact.JSX.Element) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const { context, access, sender, answered, closed, path } = await load(request);
      if (answered) return receipt(reply, context, access!);
      if (closed) return sendView(reply, closed.status, closed.view);
      const { signatory, round } = access!.request;
      const pinned = signatory.signingMethod === 'BANKID' && (await pinsOf(db, round.promiseId)).has(signatory.key);
      return sendView(reply, 200, <View context={context} data={signingPageData(access!, sender!, path, pinned)} />);
    };

  const schema = (operationId: string, summary: string) => ({
    operationId,
    summary,
    tags: ['Signering'],
    params: LinkParamsSchema,
    querystring: LinkQuerySchema,
    response: { 200: htmlPage('Sidan'), ...errors({ 404: 'Okänd länk', 410: 'Länken eller omgången gäller inte längre' }, true) },
  });

  app.route({
    method: 'GET',
    url: '/sign/:token',
    ...LINK_PAGE,
    schema: schema('signingPage', 'Signeringssidan: vem som frågar, parterna, texten och dess fingeravtryck; steg 1 av 2 (HTML)'),
    handler: step(SigningPage),
  });

  app.route({
    method: 'GET',
    url: '/sign/:token/bekrafta',
    ...LINK_PAGE,
    schema: schema('signingConfirmPage', 'Bekräfta signaturen med undertecknarens namn; steg 2 av 2 (HTML)'),
    handler: step(ConfirmSigningPage),
  });

  app.route({
    method: 'POST',
    url: '/sign/:token',
    config: { page: true, link: true },
    // The form is checked here, so a decline's problem is shown beside its field.
    attachValidation: true,
    schema: {
      operationId: 'answerSigningRequest',
      summary: 'Signera (från bekräftelsesidan) eller avböj med skäl (formulär, application/x-www-form-urlencoded)',
      tags: ['Signering'],
      consumes: ['application/x-www-form-urlencoded'],
      params: LinkParamsSchema,
      querystring: LinkQuerySchema,
      body: SignFormSchema,
      response: {
        200: htmlPage('Kvitto'),
        ...errors({ 404: 'Okänd länk', 409: 'Redan besvarat eller inte din tur', 410: 'Länken gäller inte längre' }, true),
      },
    },
    handler: async (request, reply) => {
      const form = SignFormSchema.safeParse(request.body);
      // Only a decline's reason is typed by a person; anything else wrong is no browser's form.
      const problems = form.success ? [] : fieldProblems(form.error);
      if (problems.some((p) => p.field !== 'reason')) throw request.validationError;
      const { context, access, sender, answered, closed, path } = await load(request);
      const texts = context.t.links.signing;
      if (answered) {
        // The person's own retry (a double click, a lost answer) gets the receipt; another answer is refused.
        const given = access!.request.signature!.decision === 'SIGNED' ? 'SIGN' : 'DECLINE';
        if (given === (request.body as { decision?: string }).decision) return receipt(reply, context, access!);
        return sendView(reply, 409, <LinkNoticePage context={context} notice={context.t.links.notices.alreadyAnswered} sender={sender} />);
      }
      if (closed) return sendView(reply, closed.status, closed.view);
      const decision = (request.body as { decision?: string }).decision;
      if (decision === 'DECLINE' && (!form.success || !form.data.reason)) {
        const reasonProblems = problems.length > 0 ? problemsByField(context.t, problems) : new Map([['reason', texts.reasonMissing]]);
        const typed = (request.body as { reason?: unknown }).reason;
        return sendView(
          reply,
          400,
          <SigningPage
            context={context}
            data={signingPageData(access!, sender!, path)}
            problems={reasonProblems}
            reason={typeof typed === 'string' ? typed : undefined}
          />,
        );
      }
      if (!form.success) throw request.validationError;

      const { request: signingRequest } = access!;
      try {
        const result = await decide(engine, signingRequest.round.workflowId, {
          signingRequestId: signingRequest.id,
          decision: form.data.decision,
          reason: form.data.reason,
          documentSha256: form.data.documentSha256,
          actor: actorOf(request, 'SIGNATORY', signingRequest.signatoryId),
        });
        const signed = result.decision === 'SIGNED';
        return sendView(
          reply,
          200,
          <SigningAnsweredPage
            context={context}
            title={signed ? texts.signedTitle : texts.declinedTitle}
            text={signed ? texts.signed(signingRequest.round.version.number, signingRequest.round.promise.title) : texts.declined}
            sha256={form.data.documentSha256}
            next={signed ? { text: texts.whenAllSigned } : undefined}
          />,
        );
      } catch (error) {
        const http = toHttpError(error);
        if (!http) throw error;
        return sendView(reply, http.statusCode, <ErrorPage context={context} status={http.statusCode} message={http.message} />);
      }
    },
  });

  // Signing with BankID (a signatory whose method is BANKID): the confirmation page's choice of
  // device starts an order in the round's workflow; the order's page follows it until it ends.

  app.route({
    method: 'POST',
    url: '/sign/:token/bankid',
    config: { page: true, link: true },
    schema: {
      operationId: 'startBankIdOrder',
      summary: 'Starta en BankID-order för undertecknaren (formulär från bekräftelsesidan); leder till orderns sida',
      tags: ['Signering'],
      consumes: ['application/x-www-form-urlencoded'],
      params: LinkParamsSchema,
      querystring: LinkQuerySchema,
      body: BankIdStartFormSchema,
      response: {
        303: htmlPage('Till orderns sida'),
        ...errors(
          {
            404: 'Okänd länk',
            409: 'Redan besvarat, fel metod eller inte din tur',
            410: 'Länken gäller inte längre',
            503: 'BankID finns inte här just nu',
          },
          true,
        ),
      },
    },
    handler: async (request, reply) => {
      const { context, access, answered, closed, path } = await load(request);
      if (answered) return receipt(reply, context, access!);
      if (closed) return sendView(reply, closed.status, closed.view);
      const texts = context.t.links.bankId;
      const refuse = (status: number, message: string) =>
        sendView(reply, status, <ErrorPage context={context} status={status} message={message} />);
      if (!deps.bankId) return refuse(503, texts.unavailable);
      const { request: signingRequest } = access!;
      if (signingRequest.signatory.signingMethod !== 'BANKID') return refuse(409, context.t.links.signing.confirmNote);
      const orderId = randomUUID();
      await createBankIdOrder(db, { id: orderId, requestId: signingRequest.id, sameDevice: request.body.device === 'same' });
      try {
        await startBankIdOrder(engine, signingRequest.round.workflowId, {
          signingRequestId: signingRequest.id,
          orderId,
          sameDevice: request.body.device === 'same',
          endUserIp: request.ip,
          documentSha256: request.body.documentSha256,
          actor: actorOf(request, 'SIGNATORY', signingRequest.signatoryId),
        });
      } catch (error) {
        const http = toHttpError(error);
        if (!http) throw error;
        await markEnded(db, orderId, 'FAILED', { errorCode: http.code });
        return refuse(http.statusCode, http.message);
      }
      return seeOther(reply, inLanguage(`${path}/bankid/${orderId}`, context));
    },
  });

  /** The order of this link's request, or a 404. */
  async function orderOf(orderId: string, access: Access) {
    const order = await bankIdOrderOf(db, orderId, access.request.id);
    if (!order) throw new HttpError('NOT_FOUND', 'BankID-ordern finns inte för den här länken.');
    return order;
  }

  app.route({
    method: 'GET',
    url: '/sign/:token/bankid/:orderId',
    config: { page: true, link: true, polled: true },
    schema: {
      operationId: 'bankIdOrderPage',
      summary: 'En BankID-order: QR-koden eller startlänken, vad BankID säger nu, och avbryt; sidan laddar om sig själv (HTML)',
      tags: ['Signering'],
      params: BankIdOrderParamsSchema,
      querystring: LinkQuerySchema,
      response: {
        200: htmlPage('Sidan'),
        ...errors({ 404: 'Okänd länk eller order', 410: 'Länken eller omgången gäller inte längre' }, true),
      },
    },
    handler: async (request, reply) => {
      const { context, access, sender, answered, closed, path } = await load(request);
      if (answered) return receipt(reply, context, access!);
      if (closed) return sendView(reply, closed.status, closed.view);
      const order = await orderOf(request.params.orderId, access!);
      const view = await bankIdOrderView(context, order, {
        path,
        sender: sender!,
        appUrl: deps.bankId?.appUrl ?? 'bankid:///',
        secret: deps.linkSecret,
      });
      return sendView(reply, 200, <BankIdOrderPage context={context} view={view} />);
    },
  });

  app.route({
    method: 'POST',
    url: '/sign/:token/bankid/:orderId/avbryt',
    config: { page: true, link: true, polled: true },
    schema: {
      operationId: 'cancelBankIdOrder',
      summary: 'Avbryt en BankID-order (knappen, eller sidan som lämnas); leder till orderns sida',
      tags: ['Signering'],
      params: BankIdOrderParamsSchema,
      querystring: LinkQuerySchema,
      response: {
        303: htmlPage('Till orderns sida'),
        ...errors({ 404: 'Okänd länk eller order', 410: 'Länken gäller inte längre' }, true),
      },
    },
    handler: async (request, reply) => {
      const { context, access, answered, closed, path } = await load(request);
      if (answered) return receipt(reply, context, access!);
      if (closed) return sendView(reply, closed.status, closed.view);
      const order = await orderOf(request.params.orderId, access!);
      await requestCancel(db, order.id);
      return seeOther(reply, inLanguage(`${path}/bankid/${order.id}`, context));
    },
  });
}
