import type { FastifyInstance, RouteHandlerMethod } from 'fastify';
import { z } from 'zod';
import { refuseUnstorableText } from './unstorable-text';

// Each route documents itself here as it is registered, with the same zod schema it validates
// with, so /openapi.json cannot drift from what the API accepts.

export interface RouteDoc {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** OpenAPI style: /api/promises/{id} */
  url: string;
  summary: string;
  tag: string;
  auth?: boolean;
  body?: z.ZodType;
  responses: Record<number, string>;
  html?: boolean;
}

export class ApiRegistry {
  private readonly routes: RouteDoc[] = [];

  /** Registers a route with Fastify and documents it in one step; every route refuses unstorable text. */
  route(app: FastifyInstance, doc: RouteDoc, handler: RouteHandlerMethod): void {
    this.routes.push(doc);
    app.route({
      method: doc.method,
      url: doc.url.replace(/\{(\w+)\}/g, ':$1'),
      preValidation: refuseUnstorableText(doc.html ?? false),
      handler,
    });
  }

  openApi(serverUrl: string): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const route of this.routes) {
      const parameters = [...route.url.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
        name,
        in: 'path',
        required: true,
        schema: { type: 'string' },
      }));
      const mediaType = route.html ? 'application/x-www-form-urlencoded' : 'application/json';
      (paths[route.url] ??= {})[route.method.toLowerCase()] = {
        summary: route.summary,
        tags: [route.tag],
        ...(parameters.length > 0 ? { parameters } : {}),
        ...(route.auth ? { security: [{ coordinatorToken: [] }] } : {}),
        ...(route.body
          ? { requestBody: { required: true, content: { [mediaType]: { schema: z.toJSONSchema(route.body, { io: 'input', unrepresentable: 'any' }) } } } }
          : {}),
        responses: Object.fromEntries(
          Object.entries(route.responses).map(([status, description]) => [
            status,
            {
              description,
              content: route.html ? { 'text/html': {} } : Number(status) >= 400 ? { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } : { 'application/json': {} },
            },
          ]),
        ),
      };
    }
    return {
      openapi: '3.1.0',
      info: {
        title: 'Medborgarlöften API',
        version: '0.1.0',
        description: 'Samordnarens API för medborgarlöften: utkast, signering och livscykel. Felsvar anger varje felaktigt fält.',
      },
      servers: [{ url: serverUrl }],
      paths,
      components: {
        securitySchemes: { coordinatorToken: { type: 'http', scheme: 'bearer', description: 'Samordnarens API-nyckel' } },
        schemas: {
          Error: {
            type: 'object',
            required: ['error', 'message'],
            properties: {
              error: { type: 'string', description: 'Felkod, t.ex. VALIDATION eller INVALID_STATE' },
              message: { type: 'string', description: 'Beskrivning på svenska' },
              details: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { field: { type: 'string' }, problem: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    };
  }
}
