// Deterministic workflow ids: submitting twice finds the same workflow, and the API can reach a
// signing round from the records alone.

export function promiseWorkflowId(promiseId: string): string {
  return `medborgarlofte-${promiseId}`;
}

export function signingRoundWorkflowId(promiseId: string, roundNumber: number): string {
  return `${promiseWorkflowId(promiseId)}-signering-${roundNumber}`;
}

/** The promise a workflow id belongs to (its lifecycle or one of its signing rounds), if any. */
export function promiseIdOfWorkflow(workflowId: string): string | undefined {
  return /^medborgarlofte-([0-9a-f-]{36})(?:-|$)/.exec(workflowId)?.[1];
}

export const OCCURRENCE_REMINDER_KEY_PREFIX = 'occurrence:';

/** The start of the outbox keys of the reminders about an occurrence for one due date. */
export const occurrenceReminderKeyPrefix = (occurrenceId: string, dueDate: string) =>
  `${OCCURRENCE_REMINDER_KEY_PREFIX}${occurrenceId}:${dueDate}:`;

/** The occurrence a reminder's outbox key is about, if the key is a reminder's. */
export const occurrenceOfReminderKey = (key: string) => (key.startsWith(OCCURRENCE_REMINDER_KEY_PREFIX) ? key.split(':')[1] : undefined);

const DATE_REQUEST_KEY_PREFIX = 'date-request:';

/** The outbox key of the `sequence`th request to the coordinator for an occurrence's date still to be set. */
export const dateRequestKey = (occurrenceId: string, sequence: number) => `${DATE_REQUEST_KEY_PREFIX}${occurrenceId}:${sequence}`;

/** Whether an e-mail (and so its report link) went to the coordinator asking for a date. */
export const isDateRequestKey = (key: string) => key.startsWith(DATE_REQUEST_KEY_PREFIX);
