import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { decodeUrlEncoded, fieldsWithReplacement, INVALID_UTF8, jsonDepth, MAX_JSON_DEPTH } from '../domain/input-encoding';
import type { FieldProblem } from '../domain/problems';
import { HttpError } from './errors';

// The JSON and form bodies, read as bytes so that invalid UTF-8 is refused with the field it is
// in instead of being turned into U+FFFD (Fastify's parser and @fastify/formbody decode first and
// lose that), and a JSON body's depth checked before it is parsed or walked.

const tooDeep = () =>
  new HttpError('VALIDATION', `Innehållet är nästlat för djupt (högst ${MAX_JSON_DEPTH} nivåer).`, [
    { field: '(body)', problem: `är nästlat djupare än ${MAX_JSON_DEPTH} nivåer` },
  ]);

/** The fields of a body that hold invalid UTF-8, parsed with each broken sequence as U+FFFD. */
function brokenFields(text: string, parse: (text: string) => unknown): FieldProblem[] {
  const whole = [{ field: '(body)', problem: INVALID_UTF8 }];
  try {
    const problems = fieldsWithReplacement(parse(text));
    return problems.length > 0 ? problems : whole;
  } catch {
    return whole;
  }
}

const invalidUtf8 = (problems: FieldProblem[]) => new HttpError('VALIDATION', 'Innehållet är inte giltig UTF-8.', problems);

export function registerBodyParsers(app: FastifyInstance, bodyLimit: number) {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    const bytes = body as Buffer;
    const text = bytes.toString('utf8');
    if (jsonDepth(text) > MAX_JSON_DEPTH) return done(tooDeep(), undefined);
    if (!isUtf8(bytes)) return done(invalidUtf8(brokenFields(text, JSON.parse)), undefined);
    void parseJson(request, text, done);
  });

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => {
    const bytes = body as Buffer;
    const text = bytes.toString('utf8');
    if (!isUtf8(bytes)) return done(invalidUtf8(brokenFields(text, (t) => decodeUrlEncoded(t).fields)), undefined);
    const { fields, problems } = decodeUrlEncoded(text);
    if (problems.length > 0) return done(new HttpError('VALIDATION', 'Formuläret är inte giltig UTF-8.', problems), undefined);
    done(null, fields);
  });
}

/** The query string's problems: a %-sequence that is not UTF-8, by the field it is in. */
export const queryStringProblems = (url: string) => {
  const query = url.indexOf('?');
  return query === -1 ? [] : decodeUrlEncoded(url.slice(query + 1)).problems;
};
