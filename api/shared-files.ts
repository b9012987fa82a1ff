import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

// The files meant for others (open data, feeds, the public calendar, the signed PDFs): any web page
// may read them (CORS, and a resource policy that lets another site embed them), and a reader that
// has the current copy gets 304 (RFC 9110: If-None-Match first, else If-Modified-Since). Written
// here rather than with @fastify/etag, which hashes every answer of the server and does not answer
// If-Modified-Since.

/** The routes' CORS (by @fastify/cors, off everywhere else): anyone may read; the validators are visible. */
export const SHARED_CORS = { origin: '*', exposedHeaders: ['ETag', 'Last-Modified'] } as const;

/** The answer to a reader whose copy is current, as the routes document it. */
export const NOT_MODIFIED = {
  304: z.null().describe('Oförändrad sedan klientens kopia (If-None-Match eller If-Modified-Since); inget innehåll'),
};

/** How long a shared cache may serve a copy before it asks again (a feed reader polls anyway). */
const FRESH_SECONDS = 300;

const opaqueTag = (body: string | Buffer) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;

function isCurrent(request: FastifyRequest, etag: string, lastModified: Date): boolean {
  const noneMatch = request.headers['if-none-match'];
  if (noneMatch !== undefined) {
    return noneMatch.split(',').some((tag) => ['*', etag].includes(tag.trim().replace(/^W\//, '')));
  }
  const since = Date.parse(request.headers['if-modified-since'] ?? '');
  // HTTP dates have whole seconds.
  return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}

export function sendShared(
  request: FastifyRequest,
  reply: FastifyReply,
  file: { body: string | Buffer; type: string; lastModified: Date; filename?: string },
) {
  const etag = opaqueTag(file.body);
  reply
    .header('etag', etag)
    .header('last-modified', file.lastModified.toUTCString())
    .header('cache-control', `public, max-age=${FRESH_SECONDS}`)
    .header('cross-origin-resource-policy', 'cross-origin');
  if (isCurrent(request, etag, file.lastModified)) return reply.code(304).send();
  if (file.filename) reply.header('content-disposition', `inline; filename="${file.filename}"`);
  return reply.type(file.type).send(file.body);
}
