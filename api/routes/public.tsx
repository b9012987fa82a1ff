import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  FollowUpParamsSchema,
  PromiseIdParamsSchema,
  VerifyFormSchema,
  VerifyQuerySchema,
  VerifyTrailFormSchema,
} from '../../domain/requests';
import { OpenDataSchema } from '../../domain/responses';
import { publicPromises } from '../../store/public';
import { HttpError } from '../errors';
import { movedTo } from '../pages/html';
import { atomFeed } from '../feeds';
import { followUpPdf, signedPromisePdf } from '../pdf/promise-pdf';
import { checkedStatus, readUploadForm, readVerifyForm, verify } from '../verify';
import { checkTrail } from '../verify-trail';
import { NOT_MODIFIED, SHARED_CORS, sendShared } from '../shared-files';
import { TrailVerifyPage } from '../views/verify-trail';
import { VerifyPage } from '../views/verify';
import { CSV_FILES, csvOf, openData, type CsvFile } from '../open-data';
import { municipalitySlug as slugOf, periodInWords as periodOf, publicPromiseView } from '../public-view';
import { htmlPage, json, type Api } from '../routing';
import type { ApiDeps } from '../server';
import { publicContext } from '../session';
import { sendView } from '../views/layout';
import { MunicipalitiesPage, MunicipalityPage, OpenDataPage, PublicPromisePage } from '../views/public';

// The citizens' pages: no sign-in, no cookie of their own, nothing but what store/public.ts reads.

const PUBLIC = ['För invånare'];
const KommunParamsSchema = z.object({
  kommun: z.string().min(1).max(100).describe('kommunens namn i adressen, t.ex. "lessebo"; skrivet som ett namn ("Växjö") leder det dit'),
});
const ATOM = 'application/atom+xml; charset=utf-8';

export function publicRoutes(app: Api, deps: ApiDeps) {
  const { db } = deps;

  /** A municipality's signed promises, by the name in the address; 404 when it has none. */
  async function promisesIn(slug: string) {
    const promises = (await publicPromises(db)).filter((p) => slugOf(p.municipality) === slug);
    if (promises.length === 0) throw new HttpError('NOT_FOUND', 'Kommunen har inga signerade medborgarlöften här.');
    return promises;
  }

  /** A municipality typed as a name ("Lessebo", "Växjö"): the address it has, when that is another. */
  const canonical = (typed: string, rest = '') => (slugOf(typed) === typed ? undefined : `/kommuner/${slugOf(typed)}${rest}`);

  /** A signed promise as the public reads it; 404 when there is none at the address. */
  async function signedPromise(id: string) {
    const data = await publicPromiseView(db, id);
    if (!data) throw new HttpError('NOT_FOUND', 'Det finns inget signerat medborgarlöfte på den adressen.');
    return data;
  }

  app.route({
    method: 'GET',
    url: '/kommuner',
    config: { page: true },
    schema: {
      operationId: 'municipalitiesPage',
      summary: 'Kommunerna med signerade medborgarlöften (HTML)',
      tags: PUBLIC,
      response: { 200: htmlPage('Sidan') },
    },
    handler: async (request, reply) => {
      const names = [...new Set((await publicPromises(db)).map((p) => p.municipality))];
      const municipalities = names.map((name) => ({ name, slug: slugOf(name) })).sort((a, b) => a.name.localeCompare(b.name, 'sv'));
      return sendView(reply, 200, <MunicipalitiesPage context={publicContext(request)} municipalities={municipalities} />);
    },
  });

  app.route({
    method: 'GET',
    url: '/kommuner/:kommun',
    config: { page: true },
    schema: {
      operationId: 'municipalityPage',
      summary: 'En kommuns medborgarlöften, det senaste först (HTML)',
      tags: PUBLIC,
      params: KommunParamsSchema,
      response: {
        200: htmlPage('Sidan'),
        308: htmlPage('Kommunens adress, när namnet skrevs på annat sätt'),
        404: htmlPage('Inga signerade löften i kommunen'),
      },
    },
    handler: async (request, reply) => {
      const moved = canonical(request.params.kommun);
      if (moved) return movedTo(reply, moved);
      const promises = await promisesIn(request.params.kommun);
      const rows = promises.map((p) => ({ id: p.id, title: p.title, municipality: p.municipality, period: periodOf(p), status: p.status }));
      return sendView(
        reply,
        200,
        <MunicipalityPage
          context={publicContext(request)}
          municipality={promises[0]!.municipality}
          slug={request.params.kommun}
          promises={rows}
        />,
      );
    },
  });

  app.route({
    method: 'GET',
    url: '/loften/:id',
    config: { page: true },
    schema: {
      operationId: 'promisePage',
      summary: 'Ett signerat medborgarlöfte: texten, undertecknarna, vad som gjorts och uppföljningarna (HTML)',
      tags: PUBLIC,
      params: PromiseIdParamsSchema,
      response: { 200: htmlPage('Sidan'), 404: htmlPage('Finns inte, eller är inte signerat') },
    },
    handler: async (request, reply) => {
      const data = await signedPromise(request.params.id);
      return sendView(reply, 200, <PublicPromisePage context={publicContext(request)} data={data} />);
    },
  });

  app.route({
    method: 'GET',
    url: '/loften/:id/flode.atom',
    config: { page: true, cors: SHARED_CORS },
    schema: {
      operationId: 'promiseFeed',
      summary: 'Ett signerat löftes flöde (Atom): signeringen, rapporterna och de publicerade uppföljningarna',
      tags: PUBLIC,
      params: PromiseIdParamsSchema,
      response: {
        200: { description: 'Flödet', content: { 'application/atom+xml': { schema: z.string() } } },
        ...NOT_MODIFIED,
        404: htmlPage('Finns inte'),
      },
    },
    handler: async (request, reply) => {
      const data = await signedPromise(request.params.id);
      const { t } = publicContext(request);
      const path = `/loften/${data.id}`;
      const feed = atomFeed({
        baseUrl: deps.publicBaseUrl,
        title: data.title,
        author: data.municipality,
        pagePath: path,
        feedPath: `${path}/flode.atom`,
        promises: [data],
        t,
      });
      return sendShared(request, reply, { body: feed.xml, type: ATOM, lastModified: feed.updated });
    },
  });

  app.route({
    method: 'GET',
    url: '/kommuner/:kommun/flode.atom',
    config: { page: true, cors: SHARED_CORS },
    schema: {
      operationId: 'municipalityFeed',
      summary: 'En kommuns flöde (Atom): nytt från alla dess signerade löften',
      tags: PUBLIC,
      params: KommunParamsSchema,
      response: {
        200: { description: 'Flödet', content: { 'application/atom+xml': { schema: z.string() } } },
        ...NOT_MODIFIED,
        308: htmlPage('Flödets adress, när namnet skrevs på annat sätt'),
        404: htmlPage('Finns inte'),
      },
    },
    handler: async (request, reply) => {
      const moved = canonical(request.params.kommun, '/flode.atom');
      if (moved) return movedTo(reply, moved);
      const promises = await promisesIn(request.params.kommun);
      const views = (await Promise.all(promises.map((p) => publicPromiseView(db, p.id)))).filter((v) => v !== null);
      const { t } = publicContext(request);
      const path = `/kommuner/${request.params.kommun}`;
      const { municipality } = promises[0]!;
      const feed = atomFeed({
        baseUrl: deps.publicBaseUrl,
        title: t.public.municipalityTitle(municipality),
        author: municipality,
        pagePath: path,
        feedPath: `${path}/flode.atom`,
        promises: views,
        t,
      });
      return sendShared(request, reply, { body: feed.xml, type: ATOM, lastModified: feed.updated });
    },
  });

  app.route({
    method: 'GET',
    url: '/oppna-data',
    config: { page: true },
    schema: {
      operationId: 'openDataPage',
      summary: 'Öppna data: filerna, deras fält och licensen (HTML)',
      tags: PUBLIC,
      response: { 200: htmlPage('Sidan') },
    },
    handler: async (request, reply) =>
      sendView(reply, 200, <OpenDataPage context={publicContext(request)} files={Object.keys(CSV_FILES)} />),
  });

  app.route({
    method: 'GET',
    url: '/oppna-data/loften.json',
    config: { cors: SHARED_CORS },
    schema: {
      operationId: 'openData',
      summary: 'Öppna data som JSON: varje signerat löfte med åtaganden, rapporter och uppföljningar (CC0 1.0)',
      tags: PUBLIC,
      response: { 200: json('Alla signerade löften', OpenDataSchema), ...NOT_MODIFIED },
    },
    handler: async (request, reply) => {
      const data = await openData(db, deps.publicBaseUrl);
      return sendShared(request, reply, {
        body: JSON.stringify(data),
        type: 'application/json; charset=utf-8',
        lastModified: data.generatedAt,
      });
    },
  });

  for (const file of Object.keys(CSV_FILES) as CsvFile[]) {
    for (const [form, name, how] of [
      ['rfc4180', file, 'med kommatecken (RFC 4180)'],
      ['spreadsheet', `${file}-kalkylblad`, 'som ett kalkylprogram i Sverige öppnar den: semikolon och BOM'],
    ] as const) {
      app.route({
        method: 'GET',
        url: `/oppna-data/${name}.csv`,
        config: { cors: SHARED_CORS },
        schema: {
          operationId: `openDataCsv${name.replace(/(^|-)(\w)/g, (_, _dash: string, c: string) => c.toUpperCase())}`,
          summary: `Öppna data som CSV ${how}: ${file} (fälten beskrivs på /oppna-data; CC0 1.0)`,
          tags: PUBLIC,
          response: { 200: { description: 'Filen', content: { 'text/csv': { schema: z.string() } } }, ...NOT_MODIFIED },
        },
        handler: async (request, reply) => {
          const data = await openData(db, deps.publicBaseUrl);
          return sendShared(request, reply, {
            body: csvOf(data, file, form),
            type: 'text/csv; charset=utf-8',
            lastModified: data.generatedAt,
            filename: `${name}.csv`,
          });
        },
      });
    }
  }

  const pdf = (request: FastifyRequest, reply: FastifyReply, file: { bytes: Uint8Array; filename: string; lastModified: Date }) =>
    sendShared(request, reply, { body: Buffer.from(file.bytes), type: 'application/pdf', ...file });
  const pdfResponse = { description: 'PDF-filen', content: { 'application/pdf': { schema: z.string() } } };

  app.route({
    method: 'GET',
    url: '/loften/:id/loftet.pdf',
    config: { page: true, cors: SHARED_CORS },
    schema: {
      operationId: 'signedPromisePdf',
      summary: 'Det signerade löftet som PDF: texten, parterna, varje signatur med tid och fingeravtryck, och hur det kontrolleras',
      tags: PUBLIC,
      params: PromiseIdParamsSchema,
      response: { 200: pdfResponse, ...NOT_MODIFIED, 404: htmlPage('Finns inte, eller är inte signerat') },
    },
    handler: async (request, reply) => {
      const data = await signedPromise(request.params.id);
      return pdf(request, reply, {
        bytes: await signedPromisePdf(data, deps.publicBaseUrl),
        filename: `medborgarlofte-${data.municipalitySlug}-${data.periodDates.start}.pdf`,
        lastModified: data.signedInstant!,
      });
    },
  });

  app.route({
    method: 'GET',
    url: '/loften/:id/uppfoljningar/:index/uppfoljning.pdf',
    config: { page: true, cors: SHARED_CORS },
    schema: {
      operationId: 'followUpPdf',
      summary: 'En publicerad uppföljning som PDF',
      tags: PUBLIC,
      params: FollowUpParamsSchema,
      response: { 200: pdfResponse, ...NOT_MODIFIED, 404: htmlPage('Finns inte, eller är inte publicerad') },
    },
    handler: async (request, reply) => {
      const data = await signedPromise(request.params.id);
      const bytes = await followUpPdf(data, request.params.index, deps.publicBaseUrl);
      const followUp = data.followUps.find((f) => f.index === request.params.index);
      if (!bytes || !followUp) throw new HttpError('NOT_FOUND', 'Uppföljningen finns inte, eller är inte publicerad än.');
      return pdf(request, reply, {
        bytes,
        filename: `uppfoljning-${data.municipalitySlug}-${request.params.index}.pdf`,
        lastModified: followUp.publishedInstant,
      });
    },
  });

  app.route({
    method: 'GET',
    url: '/verifiera',
    config: { page: true },
    schema: {
      operationId: 'verifyPage',
      summary: 'Kontrollera en PDF, en text eller ett fingeravtryck mot de signerade löftena (HTML)',
      tags: PUBLIC,
      querystring: VerifyQuerySchema,
      response: { 200: htmlPage('Sidan'), 400: htmlPage('Fingeravtrycket har fel form') },
    },
    handler: async (request, reply) => {
      const context = publicContext(request);
      const form = { fingeravtryck: request.query.fingeravtryck };
      if (!form.fingeravtryck) return sendView(reply, 200, <VerifyPage context={context} form={form} />);
      const { problems, result } = await verify(db, form, context.t);
      return sendView(reply, checkedStatus(problems), <VerifyPage context={context} form={form} problems={problems} result={result} />);
    },
  });

  app.route({
    method: 'POST',
    url: '/verifiera',
    config: { page: true },
    schema: {
      operationId: 'verifyUpload',
      summary: 'Kontrollera: en PDF-fil (fil), en text (text) och/eller ett fingeravtryck (fingeravtryck), som multipart/form-data',
      tags: PUBLIC,
      consumes: ['multipart/form-data'],
      body: VerifyFormSchema,
      response: {
        200: htmlPage('Resultatet'),
        400: htmlPage('Formuläret behöver rättas'),
        413: htmlPage('Filen är för stor'),
        415: htmlPage('Inte multipart/form-data'),
      },
    },
    // The body is documented (and required) but read part by part from the stream, so the route's
    // validator leaves it alone.
    validatorCompiler: () => () => true,
    handler: async (request, reply) => {
      const context = publicContext(request);
      const form = await readVerifyForm(request);
      const { problems, result } = await verify(db, form, context.t);
      const shown = { text: form.text, fingeravtryck: form.fingeravtryck };
      return sendView(reply, checkedStatus(problems), <VerifyPage context={context} form={shown} problems={problems} result={result} />);
    },
  });

  app.route({
    method: 'GET',
    url: '/verifiera/handelser',
    config: { page: true },
    schema: {
      operationId: 'verifyTrailPage',
      summary: 'Kontrollera en nedladdad granskningslogg mot sig själv och kedjans huvud (HTML)',
      tags: PUBLIC,
      response: { 200: htmlPage('Sidan') },
    },
    handler: async (request, reply) => sendView(reply, 200, <TrailVerifyPage context={publicContext(request)} form={{}} />),
  });

  app.route({
    method: 'POST',
    url: '/verifiera/handelser',
    config: { page: true },
    schema: {
      operationId: 'verifyTrailUpload',
      summary: 'Kontrollera: granskningsloggen (fil, JSON) och kedjans huvud (huvud), som multipart/form-data',
      tags: PUBLIC,
      consumes: ['multipart/form-data'],
      body: VerifyTrailFormSchema,
      response: {
        200: htmlPage('Resultatet, också när kedjan är bruten'),
        400: htmlPage('Formuläret behöver rättas'),
        413: htmlPage('Filen är för stor'),
        415: htmlPage('Inte multipart/form-data'),
      },
    },
    validatorCompiler: () => () => true,
    handler: async (request, reply) => {
      const context = publicContext(request);
      const form = await readUploadForm(request, ['huvud']);
      const { problems, result } = checkTrail(form, context.t);
      return sendView(
        reply,
        checkedStatus(problems),
        <TrailVerifyPage context={context} form={{ huvud: form.huvud }} problems={problems} result={result} />,
      );
    },
  });
}
