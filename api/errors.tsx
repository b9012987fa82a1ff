import {
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ERROR_STATUS, isErrorCode, type ErrorCode } from '../domain/error-codes';
import { DomainError } from '../domain/errors';
import { CommandDelayed } from './commands';
import type { FieldProblem } from '../domain/problems';
import { problemOf, type ZodIssue } from '../domain/validation';
import { isDatabaseUnavailable } from '../store/database-errors';
import { linkContext, publicContext } from './session';
import { ErrorPage } from './views/general';
import { sendView } from './views/layout';

// Every error leaves in one format, { error, message, details? } as JSON for the API and as a
// Swedish page for people, its status from the one list in domain/error-codes.ts. Stack traces
// stay in the log.

export class HttpError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldProblem[],
  ) {
    super(message);
    this.statusCode = ERROR_STATUS[code];
  }
}

const WHERE_SV: Record<string, string> = {
  body: 'anropets innehåll',
  params: 'sökvägen',
  querystring: 'frågesträngen',
  headers: 'anropets huvuden',
};

/** A route schema's refusal (Fastify's validation with the route's zod schema), each field named. */
function schemaRefusal(error: FastifyError): HttpError {
  const where = WHERE_SV[error.validationContext ?? 'body'] ?? 'anropet';
  const details = (error.validation ?? []).map((issue) => {
    const field = issue.instancePath.split('/').filter(Boolean).join('.') || '(body)';
    if (!issue.message) return { field, problem: 'ogiltigt värde' };
    // The zod issue as the type provider passes it on: its code, message and the rest in params.
    return problemOf({ ...issue.params, code: issue.keyword, message: issue.message, path: [] } as unknown as ZodIssue, field);
  });
  return new HttpError('VALIDATION', `Ogiltig indata i ${where}.`, details);
}

const UNAVAILABLE_SV = 'Tjänsten svarade inte i tid. Försök igen om en stund; ett anrop som redan kommit fram räknas bara en gång.';
const NOT_TAKEN_SV = 'Tjänsten kunde inte ta emot detta just nu, så ingenting ändrades. Försök igen om en stund.';
const PENDING_SV =
  'Det är mottaget och kommer att genomföras, men det tar längre tid än vanligt. Du behöver inte göra om det; titta igen om en stund.';
/** How long a client should wait before it tries a 503 again. */
const RETRY_AFTER_SECONDS = 30;

/** The first error in a cause chain that is of the given class. */
function causeOf<T>(error: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) if (cause instanceof type) return cause as T;
  return undefined;
}

/** Fastify's own refusals of a request, by its error code: our code and what to say. */
const FASTIFY_REFUSALS: Record<string, [ErrorCode, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['UNSUPPORTED_MEDIA_TYPE', 'Innehållstypen stöds inte; skicka application/json.'],
  FST_ERR_CTP_BODY_TOO_LARGE: ['PAYLOAD_TOO_LARGE', 'Innehållet är för stort.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['VALIDATION', 'Innehållet är tomt; skicka ett JSON-objekt, eller ingen Content-Type.'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['VALIDATION', 'Innehållet är inte giltig JSON.'],
  // @fastify/multipart: the verify page's upload.
  FST_REQ_FILE_TOO_LARGE: ['PAYLOAD_TOO_LARGE', 'Filen är för stor (högst 10 MB).'],
  FST_FILES_LIMIT: ['PAYLOAD_TOO_LARGE', 'Skicka en fil i taget.'],
  FST_FIELDS_LIMIT: ['PAYLOAD_TOO_LARGE', 'Formuläret har för många fält.'],
  FST_PARTS_LIMIT: ['PAYLOAD_TOO_LARGE', 'Formuläret har för många delar.'],
  FST_INVALID_MULTIPART_CONTENT_TYPE: ['UNSUPPORTED_MEDIA_TYPE', 'Skicka formuläret som multipart/form-data.'],
  // @fastify/csrf-protection: a form without its token, or from another page or an old session.
  FST_CSRF_MISSING_SECRET: [
    'FORBIDDEN',
    'Formuläret kom inte från den här webbplatsen, eller sidan är för gammal. Ladda om sidan och försök igen.',
  ],
  FST_CSRF_INVALID_TOKEN: [
    'FORBIDDEN',
    'Formuläret kom inte från den här webbplatsen, eller sidan är för gammal. Ladda om sidan och försök igen.',
  ],
};

/** Turns whatever was thrown into an HttpError, or undefined for a real fault. */
export function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) return schemaRefusal(error as FastifyError);
  if (error instanceof DomainError) return new HttpError(error.code, error.message);
  if (error instanceof WorkflowExecutionAlreadyStartedError) {
    return new HttpError('INVALID_STATE', 'Löftets arbetsflöde är redan avslutat och kan inte startas igen.');
  }
  if (error instanceof CommandDelayed)
    return error.taken ? new HttpError('PENDING', PENDING_SV) : new HttpError('UNAVAILABLE', NOT_TAKEN_SV);
  if (error instanceof WorkflowNotFoundError) {
    // The promise's workflow finished (closed or withdrawn) between the status check and the call.
    return new HttpError('INVALID_STATE', 'Löftets arbetsflöde är avslutat; det går inte att ändra något längre.');
  }
  if (error instanceof WorkflowUpdateFailedError) {
    // A rejected Update (the validator's or the handler's own ApplicationFailure, or an activity's
    // final one), or an activity that ran out of time: then nothing was changed.
    const rejection = causeOf(error, ApplicationFailure);
    if (rejection && isErrorCode(rejection.type)) return new HttpError(rejection.type, rejection.message);
    if (causeOf(error, ActivityFailure)) return new HttpError('UNAVAILABLE', UNAVAILABLE_SV);
  }
  // The database or Temporal did not answer: the same call a moment later can succeed.
  if (isDatabaseUnavailable(error) || error instanceof ServiceError || error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return new HttpError('UNAVAILABLE', UNAVAILABLE_SV);
  }
  const fastifyError = error as FastifyError;
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    const known = FASTIFY_REFUSALS[fastifyError instanceof SyntaxError ? 'FST_ERR_CTP_INVALID_JSON_BODY' : fastifyError.code];
    const [code, message] = known ?? [fastifyError.statusCode === 404 ? 'NOT_FOUND' : 'VALIDATION', 'Anropet kunde inte tolkas.'];
    return new HttpError(code, message);
  }
  return undefined;
}

/** People on pages get a page; the API and its clients get JSON. */
export function answersWithPage(request: FastifyRequest): boolean {
  if (request.routeOptions.config?.page) return true;
  const routed = request.routeOptions.url !== undefined;
  return !routed && !request.url.startsWith('/api/') && !request.url.startsWith('/openapi.json');
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: HttpError) {
  if (error.statusCode === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  if (answersWithPage(request)) {
    // A page behind a personal link keeps its key out of the language switch.
    const context = request.routeOptions.config?.link ? linkContext(request) : publicContext(request);
    // A form refused before its page could answer (too large, say) offers the form again, where its page has one.
    const { url } = request.routeOptions;
    const form =
      request.method === 'POST' && url && !request.routeOptions.config?.link && request.server.hasRoute({ method: 'GET', url })
        ? request.url.split('?')[0]
        : undefined;
    return sendView(
      reply,
      error.statusCode,
      <ErrorPage context={context} status={error.statusCode} message={error.message} details={error.details} form={form} />,
    );
  }
  return reply
    .status(error.statusCode)
    .send({ error: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) });
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const http = toHttpError(error);
  if (!http) {
    request.log.error({ err: error }, 'oväntat fel');
    return sendError(request, reply, new HttpError('INTERNAL', 'Ett oväntat fel inträffade. Försök igen senare.'));
  }
  return sendError(request, reply, http);
}
