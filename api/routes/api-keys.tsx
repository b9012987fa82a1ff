import { z } from 'zod';
import { stockholmTimeOf } from '../../domain/calendar';
import { formFields, formText, lineText } from '../../domain/text-schemas';
import { fieldProblems } from '../../domain/validation';
import { apiKeysOf, createApiKey, revokeApiKey } from '../../store/coordinators';
import { htmlPage, type Api } from '../routing';
import type { ApiDeps } from '../server';
import { pageContext, signedIn } from '../session';
import { ApiKeys } from '../views/api-keys';
import { problemIn } from '../views/fields';
import { sendView } from '../views/layout';

// The coordinator's personal API keys, in the web app: create (shown once), list, revoke.

const TAGS = ['Samordnarens webbapp'];
const KeyFormSchema = formFields({ label: formText().optional(), _csrf: formText().optional() });
const LabelSchema = lineText(100, 'skriv vad nyckeln är till');

export function apiKeyRoutes(app: Api, deps: ApiDeps) {
  const { db } = deps;

  const rows = async (coordinatorId: string) =>
    (await apiKeysOf(db, coordinatorId)).map((key) => ({
      id: key.id,
      label: key.label,
      createdAt: stockholmTimeOf(key.createdAt.getTime()),
      lastUsedAt: key.lastUsedAt && stockholmTimeOf(key.lastUsedAt.getTime()),
      revokedAt: key.revokedAt && stockholmTimeOf(key.revokedAt.getTime()),
    }));

  app.route({
    method: 'GET',
    url: '/app/api-nycklar',
    config: { app: 'signed-in', page: true },
    schema: { operationId: 'apiKeysPage', summary: 'Samordnarens API-nycklar (HTML)', tags: TAGS, response: { 200: htmlPage('Sidan') } },
    handler: async (request, reply) => {
      const coordinator = signedIn(request);
      return sendView(reply, 200, <ApiKeys context={pageContext(request, reply)} keys={await rows(coordinator.id)} />);
    },
  });

  app.route({
    method: 'POST',
    url: '/app/api-nycklar',
    config: { app: 'signed-in', page: true },
    schema: {
      operationId: 'createApiKey',
      summary: 'Skapa en API-nyckel; den visas en gång (formulär)',
      tags: TAGS,
      consumes: ['application/x-www-form-urlencoded'],
      body: KeyFormSchema,
      response: { 200: htmlPage('Nyckeln, en gång'), 400: htmlPage('Vad nyckeln är till saknas eller är ogiltigt') },
    },
    handler: async (request, reply) => {
      const coordinator = signedIn(request);
      const context = pageContext(request, reply);
      const label = LabelSchema.safeParse(request.body.label ?? '');
      if (!label.success) {
        const problem = problemIn(context.t, fieldProblems(label.error)[0]!);
        const view = <ApiKeys context={context} keys={await rows(coordinator.id)} problem={problem} label={request.body.label} />;
        return sendView(reply, 400, view);
      }
      const created = await createApiKey(db, coordinator.id, label.data);
      return sendView(reply, 200, <ApiKeys context={context} keys={await rows(coordinator.id)} created={created} />);
    },
  });

  app.route({
    method: 'POST',
    url: '/app/api-nycklar/:keyId/aterkalla',
    config: { app: 'signed-in', page: true },
    schema: {
      operationId: 'revokeApiKey',
      summary: 'Återkalla en av sina API-nycklar (formulär)',
      tags: TAGS,
      consumes: ['application/x-www-form-urlencoded'],
      params: z.object({ keyId: z.uuid('ska vara en nyckels id') }),
      body: KeyFormSchema,
      response: { 200: htmlPage('Nyckeln är återkallad'), 404: htmlPage('Ingen sådan nyckel') },
    },
    handler: async (request, reply) => {
      const coordinator = signedIn(request);
      const context = pageContext(request, reply);
      const revoked = await revokeApiKey(db, coordinator.id, request.params.keyId);
      const notice = revoked ? context.t.apiKeys.revokedNotice(revoked.label) : context.t.apiKeys.unknown;
      return sendView(reply, revoked ? 200 : 404, <ApiKeys context={context} keys={await rows(coordinator.id)} notice={notice} />);
    },
  });
}
