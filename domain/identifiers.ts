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
