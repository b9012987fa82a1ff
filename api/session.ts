import cookie from '@fastify/cookie';
import csrfProtection from '@fastify/csrf-protection';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { durationToMs } from '../domain/durations';
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from '../domain/sessions';
import { coordinatorOfSession } from '../store/sessions';
import type { Database } from '../store/database';
import { HttpError } from './errors';
import { seeOther } from './pages/html';
import type { Api } from './routing';
import type { PageContext } from './views/layout';
import { textsFor } from './views/texts';

// The coordinator's web app in the browser: a session cookie opened by a sign-in link, a CSRF token
// on every form, and the page's language. `__Host-` cookies are sent only over https (browsers
// count http://localhost as secure), only to this host, and only from here.

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A page of the coordinator's web app: 'signed-in' needs a session, 'signed-out' is the way in. */
    app?: 'signed-in' | 'signed-out';
  }
}

export const SESSION_COOKIE = '__Host-session';
const CSRF_COOKIE = '__Host-csrf';
const LANG_COOKIE = '__Host-lang';
const COOKIE_BASE = { path: '/', secure: true, httpOnly: true, sameSite: 'lax' } as const;

export async function registerSessions(app: Api, deps: { db: Database; sessionPolicy?: SessionPolicy }) {
  const policy = deps.sessionPolicy ?? DEFAULT_SESSION_POLICY;
  await app.register(cookie);
  await app.register(csrfProtection, { cookieKey: CSRF_COOKIE, cookieOpts: COOKIE_BASE });

  app.addHook('preHandler', async (request, reply) => {
    const mode = request.routeOptions.config?.app;
    if (!mode) return;
    reply.header('cache-control', 'no-store');
    const sessionToken = request.cookies[SESSION_COOKIE];
    // The same request.coordinator as an API key gives: the pages run the API's own commands.
    request.coordinator = sessionToken ? await coordinatorOfSession(deps.db, sessionToken, policy) : undefined;
    if (request.method === 'POST') await checkCsrf(app, request, reply);
    if (mode === 'signed-in' && !request.coordinator) {
      if (sessionToken) reply.clearCookie(SESSION_COOKIE, COOKIE_BASE);
      return seeOther(reply, '/logga-in?utloggad=1');
    }
  });
}

/** @fastify/csrf-protection's check, as a promise: a missing or wrong token is a 403. */
function checkCsrf(app: Api, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  return new Promise((resolve, reject) => {
    app.csrfProtection(request, reply, ((error?: Error) => (error ? reject(error) : resolve())) as () => void);
  });
}

export const openSession = (reply: FastifyReply, sessionToken: string, policy: SessionPolicy = DEFAULT_SESSION_POLICY) =>
  reply.setCookie(SESSION_COOKIE, sessionToken, { ...COOKIE_BASE, maxAge: Math.floor(durationToMs(policy.max) / 1000) });

export const closeSession = (reply: FastifyReply) => reply.clearCookie(SESSION_COOKIE, COOKIE_BASE);

export const chooseLanguage = (reply: FastifyReply, lang: string) =>
  reply.setCookie(LANG_COOKIE, lang, { ...COOKIE_BASE, maxAge: 365 * 86_400 });

/**
 * Where the language switch comes back to: the page itself, but not a page behind a personal link
 * (its key would travel in the switch's URL) and not the answer to a form (that address takes posts).
 */
function switchBackTo(request: FastifyRequest): string {
  if (request.routeOptions.config?.link) return '/logga-in';
  return request.method === 'GET' ? request.url : '/app';
}

/** What every app page needs: its texts, where it is, who is signed in, and the form token. */
export function pageContext(request: FastifyRequest, reply: FastifyReply): PageContext {
  return {
    t: textsFor(request.cookies?.[LANG_COOKIE]),
    path: switchBackTo(request),
    coordinator: request.coordinator,
    csrfToken: reply.generateCsrf(),
  };
}

/** What a public page needs: its texts and where it is; no one is signed in and there is no form to protect. */
export function publicContext(request: FastifyRequest): PageContext {
  return { t: textsFor(request.cookies?.[LANG_COOKIE]), path: request.url, csrfToken: '' };
}

/**
 * What a page behind a personal link needs: its language, from `?sprak=` or the cookie, and a
 * language switch that stays on the page (the link's key never travels in another address).
 */
export function linkContext(request: FastifyRequest): PageContext {
  const asked = (request.query as { sprak?: unknown } | undefined)?.sprak;
  const t = textsFor(typeof asked === 'string' ? asked : request.cookies[LANG_COOKIE]);
  return { t, path: '', csrfToken: '', switchHref: `?sprak=${t.otherLanguage.lang}` };
}

/** The signed-in coordinator of an app page (the preHandler has sent everyone else to sign in). */
export function signedIn(request: FastifyRequest) {
  if (!request.coordinator) throw new HttpError('UNAUTHENTICATED', 'Logga in först.');
  return request.coordinator;
}
