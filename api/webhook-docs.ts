import type { OpenAPIV3_2 } from '@fastify/swagger';
import { z } from 'zod';
import { WEBHOOK_EVENTS, WEBHOOK_EVENT_TYPES, webhookPayloadSchema } from '../domain/webhooks';

// The OpenAPI document's `webhooks` section (OpenAPI 3.1): each event an organisation's receiver
// may get, its body's schema from domain/webhooks.ts, and the Standard Webhooks headers it carries.

const HEADERS = [
  ['webhook-id', 'händelsens id (msg_…): detsamma vid varje försök, så att mottagaren kan släppa en dubblett'],
  ['webhook-timestamp', 'när försöket gjordes, sekunder sedan 1970 (UTC); avvisa det som är mer än fem minuter gammalt'],
  [
    'webhook-signature',
    'v1,<base64 HMAC-SHA256 av "id.tidpunkt.kropp" med hemligheten>; under ett byte av hemlighet två, åtskilda av mellanslag',
  ],
] as const;

export function webhookDocs(): Record<string, OpenAPIV3_2.PathItemObject> {
  return Object.fromEntries(
    WEBHOOK_EVENT_TYPES.map((type) => [
      type,
      {
        post: {
          operationId: `webhook${type.replace(/(^|[._])(\w)/g, (_match, _separator: string, letter: string) => letter.toUpperCase())}`,
          summary: WEBHOOK_EVENTS[type].description,
          description:
            'Skickas med POST till organisationens mottagare, signerad enligt Standard Webhooks (https://www.standardwebhooks.com). Svara 2xx när händelsen är mottagen; 408, 429 och 5xx (och inget svar) försöks igen i upp till ett dygn, med Retry-After om det anges; annan 4xx är slutgiltig.',
          tags: ['Webhooks'],
          parameters: HEADERS.map(([name, description]) => ({
            name,
            in: 'header' as const,
            required: true,
            description,
            schema: { type: 'string' as const },
          })),
          requestBody: {
            required: true,
            // zod writes JSON Schema draft 2020-12, which OpenAPI 3.1 uses; the two libraries' types for it differ.
            content: { 'application/json': { schema: z.toJSONSchema(webhookPayloadSchema(type), { target: 'draft-2020-12' }) as never } },
          },
          responses: {
            '2XX': { description: 'Mottagen' },
            '410': { description: 'Mottagaren vill inte ha fler: leveransen räknas som misslyckad och försöks inte igen' },
          },
        },
      },
    ]),
  );
}
