import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault, RouteOptions } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorResponseSchema } from '../domain/responses';

// Every route declares its schemas (params, query, body, each response) on itself, in zod;
// Fastify validates with them, the serializer holds answers to them and @fastify/swagger writes
// /openapi.json from them. What every route can answer anyway (a 400 for a malformed path, a 401
// without a key, 429, 500, 503) is added here, once, so no operation leaves a status undocumented.

export type Api = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route needs a coordinator's API key (Authorization: Bearer …). */
    auth?: boolean;
    /** The route answers people with HTML pages, errors included. */
    page?: boolean;
    /** The route's URL holds a personal link's secret: never logged, never cached. */
    link?: boolean;
    /** A link page that reloads itself while something runs (a BankID order): counted as the API is, not as a guess. */
    polled?: boolean;
    /** A health probe: not counted against a rate limit unless it carries a key (its anonymous answer is cached). */
    probe?: boolean;
    /** CORS for the route (@fastify/cors, off elsewhere): the files meant for others (api/shared-files.ts). */
    cors?: { origin: string; exposedHeaders: readonly string[] };
  }
  interface FastifyInstance {
    /** The paths (with their parameters) of every page a person opens: the GET routes that answer with pages. */
    readonly pagePaths: readonly string[];
  }
}

/** A JSON answer with its description. */
export const json = (description: string, schema: z.ZodType) => ({ description, content: { 'application/json': { schema } } });

/** An HTML page with its description. */
export const htmlPage = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });

/** Error answers in the one error format (JSON), or as pages for a page route. */
export function errors(descriptions: Partial<Record<number, string>>, asPage = false) {
  return Object.fromEntries(
    Object.entries(descriptions).map(([status, description]) => [
      status,
      asPage ? htmlPage(description!) : json(description!, ErrorResponseSchema),
    ]),
  );
}

const COMMON: Record<number, string> = {
  429: 'För många anrop; försök igen om en stund (se Retry-After)',
  500: 'Oväntat fel',
  503: 'Databasen eller Temporal svarar inte; samma anrop strax därefter kan lyckas',
};

/** The statuses any route of this shape can answer with, added to those it declares itself. */
function commonResponses(route: RouteOptions) {
  const schema = route.schema ?? {};
  const added: Record<number, string> = { ...COMMON };
  if (schema.params || schema.querystring || schema.body) added[400] = 'Ogiltig indata, med varje felaktigt fält';
  if (schema.body) {
    added[413] = 'Innehållet är för stort';
    added[415] = 'Innehållstypen stöds inte';
  }
  if (route.config?.auth) added[401] = 'API-nyckel saknas eller är okänd';
  const methods = [route.method].flat();
  if (route.config?.app && methods.includes('POST')) added[403] = 'Formuläret saknar en giltig CSRF-token';
  const responses = errors(added, route.config?.page ?? false);
  // A page of the web app for the signed-in: without a session, to the sign-in page.
  if (route.config?.app === 'signed-in') return { ...responses, 303: htmlPage('Inte inloggad: till inloggningen') };
  return responses;
}

/** The path patterns and their methods, to answer 405 (with Allow) for a known path and another method. */
export class RouteTable {
  private readonly routes: { pattern: RegExp; methods: Set<string> }[] = [];
  /** The GET routes that answer people with pages, as declared (":id" and all). */
  readonly pages: string[] = [];

  add(url: string, methods: string[]) {
    const source = url
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/:\w+/g, '[^/]+')
      .replace(/\*/g, '.*');
    const pattern = new RegExp(`^${source}$`);
    const existing = this.routes.find((r) => r.pattern.source === pattern.source);
    if (existing) methods.forEach((m) => existing.methods.add(m));
    else this.routes.push({ pattern, methods: new Set(methods) });
  }

  /** The methods the path takes, or undefined for a path no route has. */
  allowed(path: string): string[] | undefined {
    const route = this.routes.find((r) => r.pattern.test(path));
    return route && [...route.methods].sort();
  }
}

/** Fills in each route's common responses as it is added, and records its path for 405s. */
export function completeRoutes(app: FastifyInstance, table: RouteTable) {
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat().map(String);
    table.add(route.url, methods);
    if (route.config?.page && methods.includes('GET')) table.pages.push(route.url);
    // Every documented operation has a name of its own, so a client generated from /openapi.json reads well.
    if (route.schema && !route.schema.hide && !route.schema.operationId) {
      throw new Error(`${methods.join(',')} ${route.url} saknar operationId i sitt schema`);
    }
    if (!route.schema?.response) return;
    route.schema = {
      ...route.schema,
      ...(route.config?.auth ? { security: [{ coordinatorToken: [] }] } : {}),
      response: { ...commonResponses(route), ...(route.schema.response as object) },
    };
  });
}
