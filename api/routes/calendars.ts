import { z } from 'zod';
import { ContactCalendarParamsSchema, PromiseIdParamsSchema } from '../../domain/requests';
import { contactCalendar, publicCalendar } from '../calendars';
import { HttpError } from '../errors';
import { NOT_MODIFIED, SHARED_CORS, sendShared } from '../shared-files';
import { htmlPage, type Api } from '../routing';
import type { ApiDeps } from '../server';

// Calendar subscriptions (iCalendar, webcal-able): a signed promise's activities for anyone, and a
// contact's own activities behind their link.

const calendarFile = { description: 'Kalendern (iCalendar)', content: { 'text/calendar': { schema: z.string() } } };

const CALENDAR = 'text/calendar; charset=utf-8';

export function calendarRoutes(app: Api, deps: ApiDeps) {
  const { db, publicBaseUrl } = deps;

  app.route({
    method: 'GET',
    url: '/loften/:id/kalender.ics',
    config: { page: true, cors: SHARED_CORS },
    schema: {
      operationId: 'promiseCalendar',
      summary: 'Ett signerat löftes aktiviteter som kalender att prenumerera på (iCalendar); inga namn eller adresser',
      tags: ['För invånare'],
      params: PromiseIdParamsSchema,
      response: { 200: calendarFile, ...NOT_MODIFIED, 404: htmlPage('Finns inte') },
    },
    handler: async (request, reply) => {
      const calendar = await publicCalendar(db, request.params.id, publicBaseUrl);
      if (!calendar) throw new HttpError('NOT_FOUND', 'Det finns inget signerat medborgarlöfte på den adressen.');
      return sendShared(request, reply, { ...calendar, type: CALENDAR, filename: 'medborgarloftet.ics' });
    },
  });

  app.route({
    method: 'GET',
    url: '/kalender/:promiseId/:key.ics',
    // A calendar fetches it every hour: counted as the API is, not as a guess at a link.
    config: { page: true, link: true, polled: true },
    schema: {
      operationId: 'contactCalendar',
      summary: 'En kontaktpersons egna aktiviteter i ett löfte som kalender (iCalendar), genom länken i påminnelserna',
      tags: ['Rapportering'],
      params: ContactCalendarParamsSchema,
      response: { 200: calendarFile, 404: htmlPage('Okänd länk, eller personen är inte längre kontaktperson') },
    },
    handler: async (request, reply) => {
      const calendar = await contactCalendar(db, { ...request.params, secret: deps.linkSecret, publicBaseUrl });
      if (!calendar)
        throw new HttpError('NOT_FOUND', 'Kalenderlänken gäller inte: okänd, eller personen är inte längre kontaktperson i löftet.');
      return reply.type(CALENDAR).header('content-disposition', 'inline; filename="mina-aktiviteter.ics"').send(calendar);
    },
  });
}
