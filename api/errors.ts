import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { DomainError } from '../domain/errors';
import { fieldProblems, type FieldProblem } from '../domain/validation';

// Every error leaves as JSON { error, message, details? } with a 4xx status where the caller can
// fix it. Stack traces stay in the log.

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: FieldProblem[],
  ) {
    super(message);
  }
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where = 'body'): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new HttpError(400, 'VALIDATION', `Ogiltig indata i ${where === 'body' ? 'anropets innehåll' : where}.`, fieldProblems(result.error));
  }
  return result.data;
}

const DOMAIN_STATUS = { NOT_FOUND: 404, CONFLICT: 409, INVALID: 400, GONE: 410 } as const;
const REJECTION_STATUS: Record<string, number> = { REASON_REQUIRED: 400, UNKNOWN_REQUEST: 404 };

/** Turns whatever was thrown into an HttpError, or undefined for a real fault. */
export function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof DomainError) return new HttpError(DOMAIN_STATUS[error.code], error.code, error.message);
  if (error instanceof WorkflowExecutionAlreadyStartedError) {
    return new HttpError(409, 'INVALID_STATE', 'Löftets arbetsflöde är redan avslutat och kan inte startas igen.');
  }
  if (error instanceof WorkflowNotFoundError) {
    // The promise's workflow finished (closed or withdrawn) between the status check and the call.
    return new HttpError(409, 'INVALID_STATE', 'Löftets arbetsflöde är avslutat; det går inte att ändra något längre.');
  }
  if (error instanceof WorkflowUpdateFailedError) {
    // A rejected Update: the validator's ApplicationFailure, or the handler's (via an activity).
    let cause: unknown = error.cause;
    while (cause && !(cause instanceof ApplicationFailure) && cause instanceof Error) cause = cause.cause;
    if (cause instanceof ApplicationFailure) {
      const code = cause.type ?? 'REJECTED';
      return new HttpError(REJECTION_STATUS[code] ?? DOMAIN_STATUS[code as keyof typeof DOMAIN_STATUS] ?? 409, code, cause.message);
    }
  }
  const fastifyError = error as FastifyError;
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    const message =
      fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fastifyError instanceof SyntaxError
        ? 'Innehållet är inte giltig JSON.'
        : fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'Innehållstypen stöds inte; skicka application/json.'
          : fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
            ? 'Innehållet är för stort.'
            : fastifyError.message;
    return new HttpError(fastifyError.statusCode, fastifyError.code ?? 'BAD_REQUEST', message);
  }
  return undefined;
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const http = toHttpError(error);
  if (!http) {
    request.log.error({ err: error }, 'oväntat fel');
    return reply.status(500).send({ error: 'INTERNAL', message: 'Ett oväntat fel inträffade. Försök igen senare.' });
  }
  return reply.status(http.statusCode).send({
    error: http.code,
    message: http.message,
    ...(http.details ? { details: http.details } : {}),
  });
}
