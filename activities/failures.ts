import { ApplicationFailure } from '@temporalio/activity';
import type { ErrorCode } from '../domain/error-codes';
import { DomainError } from '../domain/errors';
import { unstorableTextMessage } from '../domain/text';
import { databaseRefusal } from '../store/database-errors';

// The activities' failure policy, in one place. A failure is PERMANENT when trying again cannot
// help: a domain rule said no, or the database refused the data itself. Those become
// non-retryable ApplicationFailures, so the workflow hears at once and handles them. Anything else
// (the database or the relay unreachable, a timeout, a deadlock) is TRANSIENT and is retried
// within the bounded schedule the workflow chose for that activity (workflows/activity-stubs.ts).
// A relay's permanent answer for one recipient is not a failure at all: the outbox records the
// address as undeliverable and the activity completes (activities/outbox.ts).

/** Why retrying cannot help, or undefined when it might. */
export function permanentReason(error: unknown): { type: ErrorCode; message: string } | undefined {
  if (error instanceof DomainError) return { type: error.code, message: error.message };
  return databaseRefusal(error);
}

/** SMTP steps at which a 5xx is about this recipient or this message, not about the relay itself. */
const RECIPIENT_STEPS = ['RCPT TO', 'DATA'];

/**
 * The relay's own words when it refused this recipient or message for good (a 5xx at RCPT TO or
 * DATA, e.g. "550 5.1.1 User unknown"); undefined for anything worth trying again: a 4xx, the
 * connection, the relay refusing our login or sender (an operator can fix those).
 */
export function permanentRelayRefusal(error: unknown): string | undefined {
  const smtp = error as { responseCode?: unknown; command?: unknown; response?: unknown; message?: unknown };
  if (typeof smtp?.responseCode !== 'number' || smtp.responseCode < 500 || smtp.responseCode > 599) return undefined;
  if (typeof smtp.command !== 'string' || !RECIPIENT_STEPS.includes(smtp.command)) return undefined;
  return String(smtp.response ?? smtp.message).slice(0, 500);
}

type AnyActivity = (...args: never[]) => Promise<unknown>;

/**
 * Every activity under the policy: input with unstorable text is refused before any I/O, and
 * permanent failures leave as non-retryable ApplicationFailures of a known type.
 */
export function withFailurePolicy<T extends Record<string, AnyActivity>>(activities: T): T {
  const wrapped = Object.entries(activities).map(([name, activity]) => [
    name,
    async (...args: never[]) => {
      // Activities take one object argument (Temporal's style), so paths name its fields.
      const unstorable = unstorableTextMessage(args[0]);
      if (unstorable) throw ApplicationFailure.nonRetryable(unstorable, 'INVALID');
      try {
        return await activity(...args);
      } catch (error) {
        if (error instanceof ApplicationFailure) throw error;
        const permanent = permanentReason(error);
        if (permanent) throw ApplicationFailure.nonRetryable(permanent.message, permanent.type);
        throw error;
      }
    },
  ]);
  return Object.fromEntries(wrapped) as T;
}
