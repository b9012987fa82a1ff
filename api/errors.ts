import {
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ERROR_STATUS, isErrorCode, type ErrorCode } from '../domain/error-codes';
import { DomainError } from '../domain/errors';
import { fieldProblems, type FieldProblem } from '../domain/validation';
import { isDatabaseUnavailable } from '../store/database-errors';

// Every error leaves as JSON { error, message, details? }, its status from the one list in
// domain/error-codes.ts. Stack traces stay in the log.

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

export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where = 'body'): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new HttpError('VALIDATION', `Ogiltig indata i ${where === 'body' ? 'anropets innehåll' : where}.`, fieldProblems(result.error));
  }
  return result.data;
}

const UNAVAILABLE_SV = 'Tjänsten svarade inte i tid. Försök igen om en stund; ett anrop som redan kommit fram räknas bara en gång.';

/** The first error in a cause chain that is of the given class. */
function causeOf<T>(error: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) if (cause instanceof type) return cause as T;
  return undefined;
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
};
const FASTIFY_MESSAGES: Partial<Record<ErrorCode, string>> = {
  UNSUPPORTED_MEDIA_TYPE: 'Innehållstypen stöds inte; skicka application/json.',
  PAYLOAD_TOO_LARGE: 'Innehållet är för stort.',
};

/** Turns whatever was thrown into an HttpError, or undefined for a real fault. */
export function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof DomainError) return new HttpError(error.code, error.message);
  if (error instanceof WorkflowExecutionAlreadyStartedError) {
    return new HttpError('INVALID_STATE', 'Löftets arbetsflöde är redan avslutat och kan inte startas igen.');
  }
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
    const code = FASTIFY_CODES[fastifyError.code] ?? (fastifyError.statusCode === 404 ? 'NOT_FOUND' : 'VALIDATION');
    const invalidJson = fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fastifyError instanceof SyntaxError;
    return new HttpError(code, invalidJson ? 'Innehållet är inte giltig JSON.' : (FASTIFY_MESSAGES[code] ?? fastifyError.message));
  }
  return undefined;
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const http = toHttpError(error);
  if (!http) {
    request.log.error({ err: error }, 'oväntat fel');
    return reply.status(ERROR_STATUS.INTERNAL).send({ error: 'INTERNAL', message: 'Ett oväntat fel inträffade. Försök igen senare.' });
  }
  return reply.status(http.statusCode).send({
    error: http.code,
    message: http.message,
    ...(http.details ? { details: http.details } : {}),
  });
}
