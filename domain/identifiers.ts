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

const DATE_REQUEST_KEY_PREFIX = 'date-request:';

/** The outbox key of the `sequence`th request to the coordinator for an occurrence's date still to be set. */
export const dateRequestKey = (occurrenceId: string, sequence: number) => `${DATE_REQUEST_KEY_PREFIX}${occurrenceId}:${sequence}`;

/** Whether an e-mail (and so its report link) went to the coordinator asking for a date. */
export const isDateRequestKey = (key: string) => key.startsWith(DATE_REQUEST_KEY_PREFIX);
