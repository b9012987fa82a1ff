import type { FastifyReply, FastifyRequest } from 'fastify';
import { unstorableTextProblems } from '../domain/text';
import { HttpError } from './errors';
import { html, problemSummary, sendPage } from './pages/html';

/**
 * Checked on every route before anything else reads the input: a NUL or a lone surrogate in the
 * path, the query or the body is a 400 naming the field (JSON for the API, a page for forms).
 */
export function refuseUnstorableText(answersWithPage: boolean) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const problems = [
      ...unstorableTextProblems(request.params ?? {}),
      ...unstorableTextProblems(request.query ?? {}),
      ...unstorableTextProblems(request.body ?? {}),
    ];
    if (problems.length === 0) return;
    const message = 'Indata innehåller tecken som inte kan lagras.';
    if (!answersWithPage) throw new HttpError('VALIDATION', message, problems);
    return sendPage(
      reply,
      400,
      'Formuläret behöver rättas',
      html`<h1>Formuläret behöver rättas</h1>${problemSummary(message, problems)}`,
    );
  };
}
