import type { FastifyInstance } from 'fastify';
import { buildServer, type ApiDeps } from '../../api/server';
import type { RateLimits } from '../../platform/config';
import { createSmtpMailer } from '../../platform/mailer';
import { createCoordinator } from '../../store/coordinators';
import { startEngine, type Engine, type EngineOptions } from './engine';

/** Tests make many calls from one address; the rate limits have tests of their own. */
export const UNLIMITED: RateLimits = { linkPages: 1_000_000, linkPosts: 1_000_000, api: 1_000_000 };
/** The same, as the environment of an API process (api/main.ts). */
export const UNLIMITED_ENV = {
  RATE_LIMIT_LINK_PAGES: String(UNLIMITED.linkPages),
  RATE_LIMIT_LINK_POSTS: String(UNLIMITED.linkPosts),
  RATE_LIMIT_API: String(UNLIMITED.api),
};

/** The real API on a real port, wired to a test engine. */
export async function startApi(engine: Engine, options: Partial<ApiDeps> = {}): Promise<{ app: FastifyInstance; baseUrl: string }> {
  const app = await buildServer({
    db: engine.database.db,
    engine,
    mailer: createSmtpMailer({ url: engine.mailbox.smtpUrl, from: 'test@test.example' }),
    publicBaseUrl: engine.publicBaseUrl,
    linkSecret: engine.activityDeps.linkSecret,
    rateLimits: UNLIMITED,
    metrics: engine.metrics,
    bankId: { appUrl: engine.bankId.phoneUrl },
    outbound: engine.activityDeps.outbound,
    ...options,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, baseUrl: `http://127.0.0.1:${port}` };
}

export function client(baseUrl: string, token?: string) {
  async function call(method: string, path: string, body?: unknown, raw?: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...headers,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await response.text();
    const json = response.headers.get('content-type')?.includes('application/json') ? JSON.parse(text) : undefined;
    return { status: response.status, json, text };
  }
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call('POST', path, body, undefined, headers),
    put: (path: string, body?: unknown) => call('PUT', path, body),
    postRaw: (path: string, raw: string) => call('POST', path, undefined, raw),
    /** Submits the signing page's form the way a browser does. */
    async form(path: string, fields: Record<string, string>) {
      const response = await fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'jest-e2e' },
        body: new URLSearchParams(fields).toString(),
      });
      return { status: response.status, text: await response.text() };
    },
  };
}

/** The document hash a signing page shows (the form's hidden field). */
export function pageHash(pageHtml: string): string {
  const match = /name="documentSha256" value="([0-9a-f]{64})"/.exec(pageHtml);
  if (!match) throw new Error('Sidan har inget signeringsformulär');
  return match[1]!;
}

export type ApiClient = ReturnType<typeof client>;

export interface ApiTestbed {
  engine: Engine;
  api: { app: FastifyInstance; baseUrl: string };
  /** A coordinator's client, with an API key of its own. */
  coordinator: ApiClient;
  /** That coordinator's API key. */
  token: string;
  /** Someone with a link and no key: a signatory or a contact. */
  anonymous: ApiClient;
  stop(): Promise<void>;
}

/** What the HTTP tests run against: the dev server, the real API on it and one coordinator. */
export async function startApiTestbed(
  coordinatorEmail = 'samordnare@lessebo.example',
  options: Partial<ApiDeps> = {},
  /** The time-skipping server for tests that let months pass (engine.env.sleep). */
  server: 'dev-server' | 'time-skipping' = 'dev-server',
  engineOptions: EngineOptions = {},
): Promise<ApiTestbed> {
  const engine = await startEngine(server, engineOptions);
  const api = await startApi(engine, options);
  const { token } = await createCoordinator(engine.database.db, { name: 'Sara Samordnare', email: coordinatorEmail });
  return {
    engine,
    api,
    coordinator: client(api.baseUrl, token),
    token,
    anonymous: client(api.baseUrl),
    async stop() {
      await api.app.close();
      await engine.stop();
    },
  };
}
