import {
  condition,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import type * as activities from './activities';

// Raw Temporal in the shape of a promise's signing: a parent started by an update (one activity)
// that starts the child round and answers with its id once it has started, a round that runs three
// activities (the requests) and then takes three updates (the signatures, one activity each), and
// three closing activities in the parent (the round closed, the status, the confirmations). No
// database, no e-mail, no HTTP: the floor the product stands on. The driver never asks for what is
// not there yet, so no call is wasted work for the server.

const { step } = proxyActivities<typeof activities>({ startToCloseTimeout: '10s' });

export const SIGNATURES = 3;
export const submitUpdate = defineUpdate<string>('submit');
export const decideUpdate = defineUpdate<void>('decide');

export const phaseQuery = defineQuery<'SIGNING' | 'YEAR'>('phase');

export const roundIdOf = (promiseWorkflowId: string) => `${promiseWorkflowId}-round`;

/** With `year`, the promise then waits out its year, as an active promise does (the memory measurement). */
export async function baselinePromise(options: { year?: boolean } = {}): Promise<void> {
  let phase: 'SIGNING' | 'YEAR' = 'SIGNING';
  setHandler(phaseQuery, () => phase);
  let round: ChildWorkflowHandle<typeof baselineRound> | undefined;
  setHandler(submitUpdate, async () => {
    await step('submit');
    round = await startChild(baselineRound, { workflowId: roundIdOf(workflowInfo().workflowId) });
    return round.workflowId;
  });
  await condition(() => round !== undefined);
  await round!.result();
  for (const name of ['close-round', 'status', 'confirmations']) await step(name);
  phase = 'YEAR';
  if (options.year) await condition(() => false, '365 days');
}

export async function baselineRound(): Promise<void> {
  let sent = false;
  let decided = 0;
  // Registered at once (an update with no handler at the end of a task is refused), acted on once the requests are out.
  setHandler(decideUpdate, async () => {
    await condition(() => sent);
    await step('decide');
    decided += 1;
  });
  for (let i = 0; i < SIGNATURES; i++) await step('request');
  sent = true;
  await condition(() => decided === SIGNATURES);
}
