import { ApplicationFailure } from '@temporalio/workflow';
import type { ErrorCode } from '../domain/error-codes';

// How a workflow's validators refuse a command: an ApplicationFailure whose type is one of the
// product's error codes, so the API answers with that code's status and message.

export function reject(type: ErrorCode, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

export const TOO_LATE_SV = 'Tjänsten svarade inte i tid, så ingenting ändrades. Försök igen om en stund.';

/**
 * A command that arrives after its caller stopped waiting (no worker was running, say) is refused
 * unapplied, so the answer the caller got ("nothing changed") stays true. Workflow time is the
 * workflow task's, so a worker that comes back later refuses what waited for it.
 */
export function refuseIfLate(command: { notAfter?: number }): void {
  if (command.notAfter !== undefined && Date.now() > command.notAfter) reject('UNAVAILABLE', TOO_LATE_SV);
}

/** A validator that first refuses a late command. */
export const onTime =
  <Command extends { notAfter?: number }>(validate: (command: Command) => void) =>
  (command: Command): void => {
    refuseIfLate(command);
    validate(command);
  };
