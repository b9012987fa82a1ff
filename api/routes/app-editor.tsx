import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { PromiseContentSchema, signingMethodProblems } from '../../domain/content';
import { storedContent } from '../../domain/stored-content';
import { PromiseIdParamsSchema } from '../../domain/requests';
import { previewSchedule } from '../../domain/schedule';
import { DEFAULT_SETTINGS } from '../../domain/default-settings';
import { PromiseSettingsSchema, type PromiseSettings } from '../../domain/settings';
import { swedishCalendarFor } from '../../domain/working-days';
import type { FieldProblem } from '../../domain/problems';
import { problemOf } from '../../domain/validation';
import { createDraft, currentVersionOf, findPromiseOf, promisesOf, updateSettings } from '../../store/promises';
import { reviseContent, type Acting } from '../actions';
import { actorOf, requirePromiseAccess } from '../auth';
import { HttpError, toHttpError } from '../errors';
import {
  changeRows,
  contentFromForm,
  draftValueOf,
  fieldOfProblem,
  FormFieldsSchema,
  type DraftValue,
  type FormFields,
} from '../forms/promise-form';
import { seeOther } from '../pages/html';
import { htmlPage, type Api } from '../routing';
import type { ApiDeps } from '../server';
import { pageContext, signedIn } from '../session';
import { DraftEditor, type EditorData } from '../views/draft-editor';
import { sendView } from '../views/layout';
import type { Texts } from '../views/texts';

// The promise editor in the web app: a new draft (blank, from an earlier promise, or from JSON),
// a draft edited, a text revised during signing. Every press of a button posts the whole form;
// only "save" stores, and only content the API itself would take, through the same calls.

const APP = ['Samordnarens webbapp'];
const StartFromSchema = z.object({ fran: z.uuid('ska vara ett löftes id (UUID)').optional() });
const SIGNING_ORDERS = ['PARALLEL', 'GROUPED'] as const;
const NOT_EDITABLE_SV = 'Löftet är signerat, och en signerad text ändras inte. Ändringar görs i nästa periods förnyelse.';

/** Where a new promise starts: two parties (the municipality and the police), one signatory, one commitment. */
const BLANK: DraftValue = {
  renewal: 'ANNUAL',
  parties: [{ kind: 'MUNICIPALITY' }, { kind: 'POLICE' }],
  signatories: [{ signingGroup: 1 }],
  priorityAreas: [{ commitments: [{ shape: { kind: 'COUNT_PER_PERIOD', period: 'YEAR' } }] }],
};

/** The schema's problems, each placed at the field of the form that shows it. */
const problemsOf = (error: z.ZodError): FieldProblem[] =>
  error.issues.map((issue) => problemOf(issue, fieldOfProblem(issue.path as (string | number)[])));

type Existing = { mode: 'draft' | 'signing'; acting: Acting; settings: PromiseSettings };
type Target = { mode: 'new' } | Existing;

export function appEditorRoutes(app: Api, deps: ApiDeps) {
  const { db } = deps;

  async function earlierPromises(coordinatorId: string) {
    return (await promisesOf(db, coordinatorId)).map((p) => ({ id: p.id, title: `${p.title} (${p.municipality})` }));
  }

  async function editorFor(t: Texts, coordinatorId: string, target: Target): Promise<Omit<EditorData, 'value' | 'problems'>> {
    if (target.mode === 'new') {
      return { action: '/app/loften/ny', mode: 'new', heading: t.editor.newTitle, earlier: await earlierPromises(coordinatorId) };
    }
    const { promise } = target.acting;
    return {
      action: `/app/loften/${promise.id}/redigera`,
      mode: target.mode,
      heading: t.editor.editTitle(promise.title),
      signingOrder: target.settings.signing.order,
    };
  }

  /** The promise being edited: 404 for one the coordinator may not run, 409 once it is signed. */
  async function existingTarget(request: FastifyRequest & { params: { id: string } }): Promise<Existing> {
    const acting = await requirePromiseAccess(db, request);
    const { status } = acting.promise;
    if (status !== 'DRAFT' && status !== 'SIGNING') throw new HttpError('INVALID_STATE', NOT_EDITABLE_SV);
    return { mode: status === 'DRAFT' ? 'draft' : 'signing', acting, settings: PromiseSettingsSchema.parse(acting.promise.settings) };
  }

  async function answerForm(request: FastifyRequest, reply: FastifyReply, target: Target, fields: FormFields) {
    const context = pageContext(request, reply);
    const { t } = context;
    const base = await editorFor(t, signedIn(request).id, target);
    const action = typeof fields._action === 'string' ? fields._action : 'save';
    const signingOrder = SIGNING_ORDERS.find((order) => order === fields.signingOrder) ?? base.signingOrder ?? 'PARALLEL';
    const show = (status: number, data: Partial<EditorData> & Pick<EditorData, 'value'>) =>
      sendView(reply, status, <DraftEditor context={context} data={{ ...base, problems: [], signingOrder, ...data }} />);

    if (action === 'import') {
      const text = typeof fields._json === 'string' ? fields._json : '';
      try {
        const imported = JSON.parse(text) as { content?: DraftValue } & DraftValue;
        return show(200, { value: draftValueOf(imported.content ?? imported) });
      } catch {
        return show(400, { value: BLANK, importText: text, problems: [{ field: '_json', problem: t.editor.importInvalid }] });
      }
    }
    const typed = contentFromForm(fields);
    if (action.startsWith('add:') || action.startsWith('remove:')) return show(200, changeRows(typed, action));
    if (action === 'refresh') return show(200, { value: typed });

    const parsed = PromiseContentSchema.safeParse(typed);
    const problems = parsed.success ? [] : problemsOf(parsed.error);
    const settings = target.mode === 'new' ? DEFAULT_SETTINGS : target.settings;
    const withOrder = { ...settings, signing: { ...settings.signing, order: signingOrder } };
    if (action === 'preview') {
      const preview = parsed.success
        ? previewSchedule(parsed.data, withOrder.activities, { calendar: swedishCalendarFor(parsed.data.period) })
        : 'invalid';
      return show(parsed.success ? 200 : 400, { value: typed, problems, preview });
    }
    if (target.mode === 'signing' && fields._confirmVoid !== 'on') {
      problems.push({ field: '_confirmVoid', problem: t.editor.confirmVoidMissing });
    }
    if (parsed.success)
      problems.push(
        ...signingMethodProblems(parsed.data, Boolean(deps.bankId)).map((p) => ({ ...p, field: p.field.replace(/^content\./, '') })),
      );
    if (!parsed.success || problems.length > 0) return show(400, { value: typed, problems });

    const coordinator = signedIn(request);
    try {
      if (target.mode === 'new') {
        const actor = actorOf(request, 'COORDINATOR', coordinator.id);
        const { promise } = await createDraft(db, { content: parsed.data, settings: withOrder, coordinatorId: coordinator.id, actor });
        return seeOther(reply, `/app/loften/${promise.id}?klart=sparat`);
      }
      const { acting } = target;
      if (target.mode === 'draft' && withOrder.signing.order !== settings.signing.order) {
        await updateSettings(db, acting.promise.id, withOrder, acting.actor);
      }
      const changed = await reviseContent(deps, acting, parsed.data);
      const done = !changed ? 'oforandrat' : target.mode === 'signing' ? 'ny-omgang' : 'sparat';
      return seeOther(reply, `/app/loften/${acting.promise.id}?klart=${done}`);
    } catch (error) {
      const refusal = toHttpError(error);
      if (!refusal) throw error;
      return show(refusal.statusCode, { value: typed, refusal: refusal.message, problems: refusal.details ?? [] });
    }
  }

  app.route({
    method: 'GET',
    url: '/app/loften/ny',
    config: { app: 'signed-in', page: true },
    schema: {
      operationId: 'newPromisePage',
      summary: 'Ett nytt medborgarlöfte: tomt formulär, eller ifyllt från ett tidigare löfte (HTML)',
      tags: APP,
      querystring: StartFromSchema,
      response: { 200: htmlPage('Formuläret'), 404: htmlPage('Det tidigare löftet finns inte bland dina') },
    },
    handler: async (request, reply) => {
      const coordinator = signedIn(request);
      const context = pageContext(request, reply);
      const base = await editorFor(context.t, coordinator.id, { mode: 'new' });
      let value = BLANK;
      if (request.query.fran) {
        const earlier = await findPromiseOf(db, coordinator.id, request.query.fran);
        if (!earlier)
          return sendView(
            reply,
            404,
            <DraftEditor context={context} data={{ ...base, value, problems: [], refusal: context.t.editor.unknownEarlier }} />,
          );
        value = draftValueOf(storedContent((await currentVersionOf(db, earlier)).content));
      }
      return sendView(reply, 200, <DraftEditor context={context} data={{ ...base, value, problems: [] }} />);
    },
  });

  app.route({
    method: 'POST',
    url: '/app/loften/ny',
    config: { app: 'signed-in', page: true },
    schema: {
      operationId: 'createPromiseFromForm',
      summary: 'Formuläret för ett nytt löfte: lägg till och ta bort rader, förhandsgranska schemat, läs in JSON, spara utkastet',
      tags: APP,
      consumes: ['application/x-www-form-urlencoded'],
      body: FormFieldsSchema,
      response: {
        200: htmlPage('Formuläret igen'),
        303: htmlPage('Sparat: till löftets sida'),
        400: htmlPage('Formuläret med det som behöver rättas'),
      },
    },
    handler: async (request, reply) => answerForm(request, reply, { mode: 'new' }, request.body),
  });

  app.route({
    method: 'GET',
    url: '/app/loften/:id/redigera',
    config: { app: 'signed-in', page: true },
    schema: {
      operationId: 'editPromisePage',
      summary: 'Redigera ett utkast, eller ändra texten under signeringen (HTML)',
      tags: APP,
      params: PromiseIdParamsSchema,
      response: { 200: htmlPage('Formuläret'), 404: htmlPage('Finns inte'), 409: htmlPage('Löftet är signerat och kan inte ändras') },
    },
    handler: async (request, reply) => {
      const target = await existingTarget(request);
      const context = pageContext(request, reply);
      const base = await editorFor(context.t, signedIn(request).id, target);
      const value = draftValueOf(storedContent((await currentVersionOf(db, target.acting.promise)).content));
      return sendView(reply, 200, <DraftEditor context={context} data={{ ...base, value, problems: [] }} />);
    },
  });

  app.route({
    method: 'POST',
    url: '/app/loften/:id/redigera',
    config: { app: 'signed-in', page: true },
    schema: {
      operationId: 'savePromiseFromForm',
      summary: 'Formuläret för ett utkast eller en ny text under signeringen; att spara under signeringen startar en ny omgång',
      tags: APP,
      consumes: ['application/x-www-form-urlencoded'],
      params: PromiseIdParamsSchema,
      body: FormFieldsSchema,
      response: {
        200: htmlPage('Formuläret igen'),
        303: htmlPage('Sparat: till löftets sida'),
        400: htmlPage('Formuläret med det som behöver rättas'),
        404: htmlPage('Finns inte'),
        409: htmlPage('Löftet kan inte ändras i sin nuvarande status'),
      },
    },
    handler: async (request, reply) => answerForm(request, reply, await existingTarget(request), request.body),
  });
}
