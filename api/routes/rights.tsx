import { addressHash, pseudonymOf } from '../../domain/crypto';
import { ErasureRequestSchema, organisationRetentionSchema, PersonLookupSchema } from '../../domain/requests';
import { formFields, formText } from '../../domain/text-schemas';
import { fieldProblems } from '../../domain/validation';
import { controllersOf, promisesVisibleTo, retentionOf, setOrganisationRetention } from '../../store/organisations';
import { DEFAULT_RETENTION, organisationPolicy } from '../../domain/retention';
import { LEGAL_BASES, PERSONAL_DATA } from '../../domain/personal-data';
import { eraseAddress, isEmpty, personalDataOf } from '../../store/rights';
import { actorOf } from '../auth';
import { toHttpError } from '../errors';
import { htmlPage, type Api } from '../routing';
import type { ApiDeps } from '../server';
import { pageContext, publicContext, signedIn } from '../session';
import { sendView } from '../views/layout';
import { PrivacyNotice } from '../views/privacy';
import { Rights, type RightsData } from '../views/rights';

// The person's rights over their data: the privacy notice anyone reads, and the coordinator's page
// that carries out access (a JSON export) and erasure for one e-mail address.

const TAGS = ['Samordnarens webbapp'];

/** What art. 15 also asks an export to say: why each kind of datum is kept, and for how long (the inventory). */
const purposesOf = (lang: 'sv' | 'en') =>
  PERSONAL_DATA.map((datum) => ({
    where: `${datum.table}.${datum.field}`,
    what: datum.what[lang],
    why: LEGAL_BASES[datum.basis][lang],
    keptFor: datum.keptFor[lang],
    after: datum.after[lang],
  }));

const RightsFormSchema = formFields({ email: formText().optional(), reason: formText().optional(), _csrf: formText().optional() });

export function rightsRoutes(app: Api, deps: ApiDeps) {
  const { db } = deps;
  const installation = deps.retention ?? DEFAULT_RETENTION;
  const show = async (
    request: Parameters<typeof signedIn>[0],
    reply: Parameters<typeof sendView>[0],
    status: number,
    data: Omit<RightsData, 'retention'> = {},
  ) => {
    const retention = { installation, organisations: await retentionOf(db, signedIn(request).id) };
    return sendView(reply, status, <Rights context={pageContext(request, reply)} data={{ ...data, retention }} />);
  };

  app.route({
    method: 'GET',
    url: '/integritet',
    config: { page: true },
    schema: {
      operationId: 'privacyNotice',
      summary: 'Hur tjänsten hanterar personuppgifter, och personens rättigheter (HTML)',
      tags: ['Allmänheten'],
      response: { 200: htmlPage('Sidan') },
    },
    handler: async (request, reply) => {
      const controllers = (await controllersOf(db)).map((organisation) => ({
        id: organisation.id,
        name: organisation.name,
        contacts: organisation.members.map((member) => member.coordinator),
        ...(organisation.retentionTechnicalDays !== null || organisation.retentionAddressMonths !== null
          ? { shortened: organisationPolicy(installation, organisation) }
          : {}),
      }));
      return sendView(reply, 200, <PrivacyNotice context={publicContext(request)} controllers={controllers} />);
    },
  });

  app.route({
    method: 'GET',
    url: '/app/personuppgifter',
    config: { app: 'signed-in', page: true },
    schema: {
      operationId: 'personalDataPage',
      summary: 'En persons uppgifter: registerutdrag och radering (HTML)',
      tags: TAGS,
      response: { 200: htmlPage('Sidan') },
    },
    handler: (request, reply) => show(request, reply, 200),
  });

  app.route({
    method: 'POST',
    url: '/app/personuppgifter/utdrag',
    config: { app: 'signed-in', page: true },
    schema: {
      operationId: 'exportPersonalData',
      summary: 'Registerutdrag: allt om en e-postadress i löftena samordnaren når, som JSON (formulär)',
      tags: TAGS,
      consumes: ['application/x-www-form-urlencoded'],
      body: RightsFormSchema,
      response: { 400: htmlPage('Adressen behöver rättas'), 404: htmlPage('Inga uppgifter om adressen') },
    },
    handler: async (request, reply) => {
      const { _csrf, reason: _reason, ...form } = request.body;
      const parsed = PersonLookupSchema.safeParse(form);
      if (!parsed.success) return show(request, reply, 400, { form: request.body, problems: fieldProblems(parsed.error) });
      const data = await personalDataOf(db, parsed.data.email, await promisesVisibleTo(db, signedIn(request).id));
      if (isEmpty(data))
        return show(request, reply, 404, { form: request.body, refusal: pageContext(request, reply).t.rights.none(parsed.data.email) });
      return reply
        .header('content-disposition', 'attachment; filename="registerutdrag.json"')
        .type('application/json; charset=utf-8')
        .send(JSON.stringify({ ...data, purposes: purposesOf(pageContext(request, reply).t.lang) }, null, 2));
    },
  });

  app.route({
    method: 'POST',
    url: '/app/personuppgifter/radera',
    config: { app: 'signed-in', page: true },
    schema: {
      operationId: 'erasePersonalData',
      summary:
        'Radera en e-postadress på personens begäran: pseudonym överallt, ingen mer e-post; namn och titlar som signerats står kvar (formulär)',
      tags: TAGS,
      consumes: ['application/x-www-form-urlencoded'],
      body: RightsFormSchema,
      response: {
        200: htmlPage('Raderad; det som står kvar listas'),
        400: htmlPage('Det som behöver rättas'),
        404: htmlPage('Inga uppgifter om adressen'),
        409: htmlPage('Adressen hör till en samordnares konto'),
      },
    },
    handler: async (request, reply) => {
      const { _csrf, ...form } = request.body;
      const parsed = ErasureRequestSchema.safeParse(form);
      if (!parsed.success) return show(request, reply, 400, { form, problems: fieldProblems(parsed.error) });
      const coordinator = signedIn(request);
      const { email, reason } = parsed.data;
      try {
        const erased = await eraseAddress(db, {
          address: email,
          hash: addressHash(deps.linkSecret, email),
          pseudonym: pseudonymOf(deps.linkSecret, email),
          reason,
          actor: actorOf(request, 'COORDINATOR', coordinator.id),
          visible: await promisesVisibleTo(db, coordinator.id),
        });
        return show(request, reply, 200, { notice: pageContext(request, reply).t.rights.erased(erased.promises), kept: erased.kept });
      } catch (error) {
        const http = toHttpError(error);
        if (!http) throw error;
        return show(request, reply, http.statusCode, { form, refusal: http.message });
      }
    },
  });

  const RetentionFormSchema = formFields({
    organisationId: formText().optional(),
    retentionTechnicalDays: formText().optional(),
    retentionAddressMonths: formText().optional(),
    _csrf: formText().optional(),
  });

  app.route({
    method: 'POST',
    url: '/app/personuppgifter/lagringstider',
    config: { app: 'signed-in', page: true },
    schema: {
      operationId: 'setRetention',
      summary: 'Korta lagringstiderna för en av sina organisationers löften (formulär)',
      tags: TAGS,
      consumes: ['application/x-www-form-urlencoded'],
      body: RetentionFormSchema,
      response: {
        200: htmlPage('Sparade'),
        400: htmlPage('Det som behöver rättas'),
        404: htmlPage('Inte en av ens organisationer'),
      },
    },
    handler: async (request, reply) => {
      const { _csrf, ...form } = request.body;
      const parsed = organisationRetentionSchema(installation).safeParse(form);
      if (!parsed.success) return show(request, reply, 400, { form, problems: fieldProblems(parsed.error) });
      try {
        const organisation = await setOrganisationRetention(db, {
          ...parsed.data,
          actor: actorOf(request, 'COORDINATOR', signedIn(request).id),
        });
        return show(request, reply, 200, { notice: pageContext(request, reply).t.rights.retentionSaved(organisation.name) });
      } catch (error) {
        const http = toHttpError(error);
        if (!http) throw error;
        return show(request, reply, http.statusCode, { form, refusal: http.message });
      }
    },
  });
}
