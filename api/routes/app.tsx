import { z } from 'zod';
import { formFields, formText } from '../../domain/text-schemas';
import { stockholmDateOf } from '../../domain/calendar';
import { durationInWords } from '../../domain/durations';
import { LinkParamsSchema } from '../../domain/requests';
import { DEFAULT_SESSION_POLICY } from '../../domain/sessions';
import { attentionOf } from '../../store/attention';
import { toDosOf } from '../../store/to-dos';
import { periodOf, promisesOf } from '../../store/promises';
import { coordinatorByEmail, endSession, findSignInLink, signInWithLink } from '../../store/sessions';
import { seeOther } from '../pages/html';
import { htmlPage, type Api } from '../routing';
import type { ApiDeps } from '../server';
import { chooseLanguage, closeSession, openSession, pageContext, SESSION_COOKIE, signedIn } from '../session';
import { sendSignInLink } from '../sign-in-mail';
import { Dashboard } from '../views/dashboard';
import { sendView } from '../views/layout';
import { Notice, SignInConfirm, SignInForm } from '../views/sign-in';
import { LANGUAGES, type Texts } from '../views/texts';

// The coordinator's web app: signing in with a link sent by e-mail, signing out, the start page,
// and the language switch. Page markup lives in api/views; this file only wires requests to it.

const APP = ['Samordnarens webbapp'];
const SignInRequestSchema = formFields({ email: formText().optional(), _csrf: formText().optional() });
const FormOnlySchema = formFields({ _csrf: formText().optional() });

export function appRoutes(app: Api, deps: ApiDeps) {
  const { db } = deps;
  const policy = deps.sessionPolicy ?? DEFAULT_SESSION_POLICY;
  /** How long a sign-in link works, in the page's language. */
  const validFor = (t: Texts) => durationInWords(policy.signInLink, t.lang);

  app.route({
    method: 'GET',
    url: '/logga-in',
    config: { app: 'signed-out', page: true },
    schema: {
      operationId: 'signInPage',
      summary: 'Inloggningssidan: be om en inloggningslänk (HTML)',
      tags: APP,
      response: { 200: htmlPage('Sidan') },
    },
    handler: async (request, reply) => {
      if (request.coordinator) return seeOther(reply, '/app');
      const context = pageContext(request, reply);
      return sendView(reply, 200, <SignInForm context={context} validFor={validFor(context.t)} />);
    },
  });

  app.route({
    method: 'POST',
    url: '/logga-in',
    // Counted as a post through a link: each one may send an e-mail.
    config: { app: 'signed-out', page: true, link: true },
    schema: {
      operationId: 'requestSignInLink',
      summary: 'Skicka en inloggningslänk till en samordnares e-postadress (formulär)',
      tags: APP,
      consumes: ['application/x-www-form-urlencoded'],
      body: SignInRequestSchema,
      response: { 200: htmlPage('Svaret, detsamma för alla adresser'), 400: htmlPage('Adressen är inte en e-postadress') },
    },
    handler: async (request, reply) => {
      const context = pageContext(request, reply);
      const { t } = context;
      const typed = (request.body.email ?? '').trim();
      const email = z.email().safeParse(typed);
      if (!email.success) {
        const form = <SignInForm context={context} validFor={validFor(t)} email={typed} problem={t.signIn.notAnEmail} />;
        return sendView(reply, 400, form);
      }
      const coordinator = await coordinatorByEmail(db, email.data);
      // The same answer whether or not the address is a coordinator's: the form tells no one who is.
      if (coordinator) {
        try {
          await sendSignInLink(deps, { coordinator, validFor: policy.signInLink, lang: t.lang });
        } catch (error) {
          request.log.warn({ err: error }, 'Inloggningslänken kunde inte skickas');
          return sendView(reply, 503, <Notice context={context} title={t.signIn.title} text={t.signIn.sendFailed} />);
        }
      }
      return sendView(reply, 200, <Notice context={context} title={t.signIn.sentTitle} text={t.signIn.sent(email.data)} />);
    },
  });

  /** What a link that cannot be used says: unknown, used or expired. */
  const unusable = (state: 'UNKNOWN' | 'USED' | 'EXPIRED', context: ReturnType<typeof pageContext>) => {
    const { t } = context;
    const [status, title, text] =
      state === 'UNKNOWN'
        ? [404, t.signIn.unknownTitle, t.signIn.unknown]
        : state === 'USED'
          ? [410, t.signIn.usedTitle, t.signIn.used]
          : [410, t.signIn.expiredTitle, t.signIn.expired];
    return { status, view: <Notice context={context} title={title} text={text} link={{ href: '/logga-in', label: t.signIn.newLink }} /> };
  };

  app.route({
    method: 'GET',
    url: '/logga-in/:token',
    config: { app: 'signed-out', page: true, link: true },
    schema: {
      operationId: 'signInLinkPage',
      summary: 'Inloggningslänken: bekräfta inloggningen med en knapp (HTML); länken används först när knappen trycks',
      tags: APP,
      params: LinkParamsSchema,
      response: { 200: htmlPage('Sidan'), 404: htmlPage('Okänd länk'), 410: htmlPage('Länken är använd eller har gått ut') },
    },
    handler: async (request, reply) => {
      const context = pageContext(request, reply);
      const link = await findSignInLink(db, request.params.token);
      if (link.state !== 'USABLE') {
        const { status, view } = unusable(link.state, context);
        return sendView(reply, status, view);
      }
      return sendView(reply, 200, <SignInConfirm context={context} name={link.coordinator.name} />);
    },
  });

  app.route({
    method: 'POST',
    url: '/logga-in/:token',
    config: { app: 'signed-out', page: true, link: true },
    schema: {
      operationId: 'signIn',
      summary: 'Logga in med länken: öppnar en session (en cookie) och leder till startsidan',
      tags: APP,
      consumes: ['application/x-www-form-urlencoded'],
      params: LinkParamsSchema,
      body: FormOnlySchema,
      response: { 303: htmlPage('Till startsidan'), 404: htmlPage('Okänd länk'), 410: htmlPage('Länken är använd eller har gått ut') },
    },
    handler: async (request, reply) => {
      const signedInNow = await signInWithLink(db, request.params.token);
      if (signedInNow.state !== 'SIGNED_IN') {
        const { status, view } = unusable(signedInNow.state, pageContext(request, reply));
        return sendView(reply, status, view);
      }
      openSession(reply, signedInNow.sessionToken, policy);
      return seeOther(reply, '/app');
    },
  });

  app.route({
    method: 'POST',
    url: '/logga-ut',
    config: { app: 'signed-in', page: true },
    schema: {
      operationId: 'signOut',
      summary: 'Logga ut: sessionen avslutas',
      tags: APP,
      consumes: ['application/x-www-form-urlencoded'],
      body: FormOnlySchema,
      response: { 303: htmlPage('Till inloggningen') },
    },
    handler: async (request, reply) => {
      await endSession(db, request.cookies[SESSION_COOKIE]!);
      closeSession(reply);
      return seeOther(reply, '/logga-in');
    },
  });

  app.route({
    method: 'GET',
    url: '/app',
    config: { app: 'signed-in', page: true },
    schema: {
      operationId: 'dashboardPage',
      summary: 'Samordnarens startsida: egna medborgarlöften (HTML)',
      tags: APP,
      response: { 200: htmlPage('Sidan') },
    },
    handler: async (request, reply) => {
      const coordinator = signedIn(request);
      const listed = await promisesOf(db, coordinator.id);
      const ids = listed.map((p) => p.id);
      const [attention, toDos] = await Promise.all([attentionOf(db, ids), toDosOf(db, listed, stockholmDateOf(Date.now()))]);
      const promises = listed.map((p) => ({
        id: p.id,
        title: p.title,
        municipality: p.municipality,
        period: periodOf(p),
        status: p.status,
        attention: attention.get(p.id) ?? [],
        toDos: toDos.get(p.id) ?? [],
      }));
      return sendView(reply, 200, <Dashboard context={pageContext(request, reply)} promises={promises} />);
    },
  });

  app.route({
    method: 'GET',
    url: '/sprak/:lang',
    config: { page: true },
    schema: {
      operationId: 'chooseLanguage',
      summary: 'Byt språk på sidorna (sv eller en) och gå tillbaka',
      tags: APP,
      params: z.object({ lang: z.enum(LANGUAGES) }),
      querystring: z.object({ tillbaka: z.string().optional() }),
      response: { 303: htmlPage('Tillbaka') },
    },
    handler: async (request, reply) => {
      chooseLanguage(reply, request.params.lang);
      // Only back to a page of this site: a path, never another host ("//host", or "/\host",
      // which browsers read the same way).
      const back = request.query.tillbaka;
      return seeOther(reply, back && /^\/(?![/\\])[^\s\\]*$/.test(back) ? back : '/app');
    },
  });
}
