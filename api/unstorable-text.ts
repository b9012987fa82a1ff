import type { FastifyInstance } from 'fastify';
import { unstorableTextProblems } from '../domain/text';
import { queryStringProblems } from './body-parsers';
import { HttpError } from './errors';

/**
 * Checked on every route before its schema reads the input: a NUL or a lone surrogate in the path,
 * the query or the body, or a query's %-sequence that is not UTF-8, is a 400 naming the field
 * (JSON for the API, a page for people).
 */
export function refuseUnstorableText(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    const problems = [
      ...queryStringProblems(request.url),
      ...unstorableTextProblems(request.params ?? {}),
      ...unstorableTextProblems(request.query ?? {}),
      ...unstorableTextProblems(request.body ?? {}),
    ];
    if (problems.length > 0) throw new HttpError('VALIDATION', 'Indata innehåller tecken som inte kan lagras.', problems);
  });
}
