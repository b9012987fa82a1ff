import { z } from 'zod';
import { stockholmTimeOf } from '../../domain/calendar';
import { durationInWords } from '../../domain/durations';
import { ColleagueInviteSchema } from '../../domain/requests';
import { formFields, formText } from '../../domain/text-schemas';
import { fieldProblems } from '../../domain/validation';
import { colleaguesOf, inviteColleague, removeColleague } from '../../store/organisations';
import { actorOf } from '../auth';
import { toHttpError } from '../errors';
import { htmlPage, type Api } from '../routing';
import type { ApiDeps } from '../server';
import { pageContext, signedIn } from '../session';
import { INVITATION_VALID_FOR, sendSignInLink } from '../sign-in-mail';
import { Colleagues, type ColleaguesData } from '../views/colleagues';
import { sendView } from '../views/layout';

// A coordinator's colleagues in the web app: who coordinates each of their organisations, an
// invitation by e-mailed sign-in link, and taking one back.

const TAGS = ['Samordnarens webbapp'];

const InviteFormSchema = formFields({
  organisationId: formText().optional(),
  name: formText().optional(),
  email: formText().optional(),
  phone: formText().optional(),
  _csrf: formText().optional(),
});

export function colleagueRoutes(app: Api, deps: ApiDeps) {
  const { db } = deps;

  async function show(
    request: Parameters<typeof signedIn>[0],
    reply: Parameters<typeof sendView>[0],
    status: number,
    extra: Partial<ColleaguesData> = {},
  ) {
    const coordinator = signedIn(request);
    const organisations = (await colleaguesOf(db, coordinator.id)).map((organisation) => ({
      id: organisation.id,
      name: organisation.name,
      members: organisation.members.map((member) => ({
        coordinatorId: member.coordinator.id,
        name: member.coordinator.name,
        email: member.coordinator.email,
        since: stockholmTimeOf(member.createdAt.getTime()),
        ...(member.invitedBy ? { invitedBy: member.invitedBy.name } : {}),
        removable: member.invitedBy !== null && member.coordinator.id !== coordinator.id,
      })),
    }));
    return sendView(reply, status, <Colleagues context={pageContext(request, reply)} data={{ organisations, ...extra }} />);
  }

  app.route({
    method: 'GET',
    url: '/app/kollegor',
    config: { app: 'signed-in', page: true },
    schema: {
      operationId: 'colleaguesPage',
      summary: 'Samordnarens kollegor i varje organisation, och inbjudan (HTML)',
      tags: TAGS,
      response: { 200: htmlPage('Sidan') },
    },
    handler: (request, reply) => show(request, reply, 200),
  });

  app.route({
    method: 'POST',
    url: '/app/kollegor',
    config: { app: 'signed-in', page: true },
    schema: {
      operationId: 'inviteColleague',
      summary: 'Bjud in en kollega till en av sina organisationer: hen får en inloggningslänk med e-post (formulär)',
      tags: TAGS,
      consumes: ['application/x-www-form-urlencoded'],
      body: InviteFormSchema,
      response: {
        200: htmlPage('Sidan, med inbjudan gjord'),
        400: htmlPage('Det som behöver rättas'),
        404: htmlPage('Ingen av ens organisationer'),
        409: htmlPage('Redan samordnare där'),
        503: htmlPage('Inbjudan är gjord men e-posten kunde inte skickas'),
      },
    },
    handler: async (request, reply) => {
      const { _csrf, ...form } = request.body;
      const parsed = ColleagueInviteSchema.safeParse(form);
      if (!parsed.success) return show(request, reply, 400, { form, problems: fieldProblems(parsed.error) });
      const { t } = pageContext(request, reply);
      let invited;
      try {
        invited = await inviteColleague(db, { ...parsed.data, actor: actorOf(request, 'COORDINATOR', signedIn(request).id) });
      } catch (error) {
        const http = toHttpError(error);
        if (!http) throw error;
        return show(request, reply, http.statusCode, { form, refusal: http.message });
      }
      const { coordinator, organisation, inviter } = invited;
      try {
        const invitation = { inviter: inviter.name, organisation: organisation.name };
        await sendSignInLink(deps, { coordinator, validFor: INVITATION_VALID_FOR, lang: t.lang, invitation });
      } catch (error) {
        // The invitation stands; only its e-mail is missing, and the colleague can ask for a link.
        request.log.warn({ err: error }, 'Inbjudan kunde inte skickas med e-post');
        return show(request, reply, 503, { refusal: t.colleagues.mailFailed(coordinator.name) });
      }
      return show(request, reply, 200, { notice: t.colleagues.invited(coordinator.name, durationInWords(INVITATION_VALID_FOR, t.lang)) });
    },
  });

  app.route({
    method: 'POST',
    url: '/app/kollegor/:organisationId/:coordinatorId/ta-bort',
    config: { app: 'signed-in', page: true },
    schema: {
      operationId: 'removeColleague',
      summary: 'Ta tillbaka en inbjudan: kollegan är inte längre samordnare för organisationen (formulär)',
      tags: TAGS,
      consumes: ['application/x-www-form-urlencoded'],
      params: z.object({ organisationId: z.uuid('ska vara ett id'), coordinatorId: z.uuid('ska vara ett id') }),
      body: formFields({ _csrf: formText().optional() }),
      response: { 200: htmlPage('Sidan, med inbjudan tillbakatagen'), 404: htmlPage('Ingen sådan inbjudan') },
    },
    handler: async (request, reply) => {
      const { t } = pageContext(request, reply);
      const removed = await removeColleague(db, { ...request.params, actor: actorOf(request, 'COORDINATOR', signedIn(request).id) });
      if (!removed) return show(request, reply, 404, { refusal: t.colleagues.unknown });
      return show(request, reply, 200, { notice: t.colleagues.removed(removed.name, removed.organisation) });
    },
  });
}
