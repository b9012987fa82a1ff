import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { stockholmDateOf, utcDateOf } from '../../domain/calendar';
import { storedContent } from '../../domain/content';
import { keyFromName } from '../../domain/keys';
import { progressOf, updatesOf, type OccurrenceRecord } from '../../domain/progress';
import { PromiseIdParamsSchema } from '../../domain/requests';
import { publicPromise, publicPromises } from '../../store/public';
import { HttpError } from '../errors';
import { renderDocument } from '../pages/document';
import { htmlPage, type Api } from '../routing';
import type { ApiDeps } from '../server';
import { publicContext } from '../session';
import { sendView } from '../views/layout';
import { MunicipalitiesPage, MunicipalityPage, PublicPromisePage } from '../views/public';

// The citizens' pages: no sign-in, no cookie of their own, nothing but what store/public.ts reads.

const PUBLIC = ['För invånare'];
const slugOf = (municipality: string) => keyFromName(municipality, 'kommun');
const periodOf = (p: { periodStart: Date; periodEnd: Date }) => `${utcDateOf(p.periodStart)} – ${utcDateOf(p.periodEnd)}`;
const dateOf = (at: Date) => stockholmDateOf(at.getTime());

export function publicRoutes(app: Api, deps: ApiDeps) {
  const { db } = deps;
  const context = (request: FastifyRequest) => publicContext(request);

  app.route({
    method: 'GET',
    url: '/kommuner',
    config: { page: true },
    schema: { summary: 'Kommunerna med signerade medborgarlöften (HTML)', tags: PUBLIC, response: { 200: htmlPage('Sidan') } },
    handler: async (request, reply) => {
      const names = [...new Set((await publicPromises(db)).map((p) => p.municipality))];
      const municipalities = names.map((name) => ({ name, slug: slugOf(name) })).sort((a, b) => a.name.localeCompare(b.name, 'sv'));
      return sendView(reply, 200, <MunicipalitiesPage context={context(request)} municipalities={municipalities} />);
    },
  });

  app.route({
    method: 'GET',
    url: '/kommuner/:kommun',
    config: { page: true },
    schema: {
      summary: 'En kommuns medborgarlöften, det senaste först (HTML)',
      tags: PUBLIC,
      params: z.object({ kommun: z.string().regex(/^[a-z0-9-]{1,60}$/, 'ska vara kommunens namn i små bokstäver, t.ex. "lessebo"') }),
      response: { 200: htmlPage('Sidan'), 404: htmlPage('Inga signerade löften i kommunen') },
    },
    handler: async (request, reply) => {
      const promises = (await publicPromises(db)).filter((p) => slugOf(p.municipality) === request.params.kommun);
      if (promises.length === 0) throw new HttpError('NOT_FOUND', 'Kommunen har inga signerade medborgarlöften här.');
      const rows = promises.map((p) => ({ id: p.id, title: p.title, municipality: p.municipality, period: periodOf(p), status: p.status }));
      return sendView(reply, 200, <MunicipalityPage context={context(request)} municipality={promises[0]!.municipality} promises={rows} />);
    },
  });

  app.route({
    method: 'GET',
    url: '/loften/:id',
    config: { page: true },
    schema: {
      summary: 'Ett signerat medborgarlöfte: texten, undertecknarna, vad som gjorts och uppföljningarna (HTML)',
      tags: PUBLIC,
      params: PromiseIdParamsSchema,
      response: { 200: htmlPage('Sidan'), 404: htmlPage('Finns inte, eller är inte signerat') },
    },
    handler: async (request, reply) => {
      const promise = await publicPromise(db, request.params.id);
      if (!promise) throw new HttpError('NOT_FOUND', 'Det finns inget signerat medborgarlöfte på den adressen.');
      const content = storedContent(promise.round.version.content);
      const occurrences: OccurrenceRecord[] = promise.occurrences.map((o) => ({
        commitmentKey: o.commitment.key,
        status: o.status,
        reports: o.reports.map((r) => ({
          id: r.id,
          kind: r.kind,
          performedOn: r.performedOn && utcDateOf(r.performedOn),
          description: r.description,
          reason: r.reason,
          newDueDate: r.newDueDate && utcDateOf(r.newDueDate),
          correctsId: r.correctsId,
          reportedOn: dateOf(r.createdAt),
        })),
      }));
      const data = {
        id: promise.id,
        title: promise.title,
        municipality: promise.municipality,
        municipalitySlug: slugOf(promise.municipality),
        period: periodOf(promise),
        status: promise.status,
        signedOn: promise.round.endedAt && dateOf(promise.round.endedAt),
        sha256: promise.round.version.sha256,
        signatories: promise.round.requests
          .map((r) => ({ ...r.signatory, party: r.signatory.party.name, signedAt: dateOf(r.signature!.decidedAt) }))
          .sort((a, b) => a.signingGroup - b.signingGroup || a.name.localeCompare(b.name, 'sv')),
        progress: progressOf(content, occurrences),
        updates: updatesOf(content, occurrences),
        followUps: promise.followUps.map((f) => ({
          start: utcDateOf(f.periodStart),
          end: utcDateOf(f.periodEnd),
          narrative: f.narrative ?? '',
          publishedAt: f.publishedAt ? dateOf(f.publishedAt) : '',
        })),
        document: renderDocument(content),
        predecessor: promise.predecessor,
        renewal: promise.renewal,
      };
      return sendView(reply, 200, <PublicPromisePage context={context(request)} data={data} />);
    },
  });
}
