// Deterministic workflow ids: submitting twice finds the same workflow, and the API can reach a
// signing round from the records alone.

export function promiseWorkflowId(promiseId: string): string {
  return `medborgarlofte-${promiseId}`;
}

export function signingRoundWorkflowId(promiseId: string, roundNumber: number): string {
  return `${promiseWorkflowId(promiseId)}-signering-${roundNumber}`;
}
