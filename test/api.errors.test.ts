import { ServiceError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, RetryState, TimeoutFailure } from '@temporalio/common';
import { Prisma } from '../prisma/generated/client';
import { toHttpError } from '../api/errors';
import { DomainError } from '../domain/errors';

// Whatever is thrown leaves with a status from the one list in domain/error-codes.ts: a caller's
// mistake a 4xx, a service that did not answer 503, never a 500 for either.

const status = (error: unknown) => toHttpError(error)?.statusCode;

test('the workflow’s own refusals keep their code and status', () => {
  const rejected = (type: string) =>
    new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type, message: 'nej', nonRetryable: true }));
  expect(status(rejected('ALREADY_REPORTED'))).toBe(409);
  expect(status(rejected('REASON_REQUIRED'))).toBe(400);
  expect(status(rejected('UNKNOWN_REQUEST'))).toBe(404);
  expect(status(new DomainError('GONE', 'borta'))).toBe(410);
});

test('an activity that ran out of time, Temporal or the database not answering: 503', () => {
  const timedOut = new ActivityFailure(
    'Activity task timed out',
    'recordDecision',
    '1',
    RetryState.TIMEOUT,
    undefined,
    new TimeoutFailure('timeout', undefined, 'SCHEDULE_TO_CLOSE'),
  );
  expect(toHttpError(new WorkflowUpdateFailedError('Workflow Update failed', timedOut))).toMatchObject({
    statusCode: 503,
    code: 'UNAVAILABLE',
  });
  expect(status(new ServiceError('14 UNAVAILABLE: No connection established'))).toBe(503);
  expect(status(new WorkflowUpdateRPCTimeoutOrCancelledError('timed out'))).toBe(503);
  const unreachable = new Prisma.PrismaClientKnownRequestError("Can't reach database server", { code: 'P1001', clientVersion: '6' });
  expect(status(unreachable)).toBe(503);
});

test('anything else is a fault of ours, left for the 500 handler and the log', () => {
  expect(toHttpError(new Error('oväntat'))).toBeUndefined();
});
