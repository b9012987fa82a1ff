// What the API asks of the workflows. Kept apart from HTTP so the tests drive the engine
// through exactly the calls the API makes.
import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Actor } from '../domain/actor';
import type { PromiseContent } from '../domain/content';
import { promiseWorkflowId } from '../domain/identifiers';
import {
  addressCorrectedSignal,
  decideUpdate,
  launchRenewalUpdate,
  publishFollowUpUpdate,
  reportUpdate,
  resumeUpdate,
  reviseUpdate,
  submitUpdate,
  withdrawUpdate,
  type DecisionCommand,
  type PublishFollowUpCommand,
  type ReportCommand,
} from '../workflows/messages';
import type { promiseLifecycleWorkflow } from '../workflows/promise-lifecycle';

export interface EngineClient {
  client: Client;
  taskQueue: string;
  /** Tests only: continue-as-new after this many history events, to exercise the hand-over. */
  historyLimit?: number;
}

const BUSY_RETRY_MS = 200;
const BUSY_GIVE_UP_MS = 15_000;

/**
 * A promise between two steps (handing over to a new run, planning its year) answers BUSY for a
 * moment; the caller should not have to know, so the same call is made again until it goes through.
 */
async function whenNotBusy<T>(call: () => Promise<T>): Promise<T> {
  const giveUpAt = Date.now() + BUSY_GIVE_UP_MS;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      const busy = error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === 'BUSY';
      if (!busy || Date.now() > giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
    }
  }
}

function startOrJoin(engine: EngineClient, promiseId: string) {
  return new WithStartWorkflowOperation<typeof promiseLifecycleWorkflow>('promiseLifecycleWorkflow', {
    workflowId: promiseWorkflowId(promiseId),
    taskQueue: engine.taskQueue,
    args: [{ promiseId, historyLimit: engine.historyLimit }],
    // Submitting twice reaches the same workflow. A promise that ended (closed or withdrawn) is never
    // started again; one whose workflow failed or was terminated is, and carries on from its records.
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
  });
}

/** Starts the promise's workflow if needed and submits it for signing. */
export function submitForSigning(engine: EngineClient, promiseId: string, actor: Actor) {
  return whenNotBusy(() =>
    engine.client.workflow.executeUpdateWithStart(submitUpdate, { args: [{ actor }], startWorkflowOperation: startOrJoin(engine, promiseId) }),
  );
}

/** Withdraws a promise in any state before CLOSED (starting its workflow if it never had one). */
export function withdraw(engine: EngineClient, promiseId: string, actor: Actor, reason: string) {
  return whenNotBusy(() =>
    engine.client.workflow.executeUpdateWithStart(withdrawUpdate, { args: [{ actor, reason }], startWorkflowOperation: startOrJoin(engine, promiseId) }),
  );
}

/**
 * Resumes a promise that needs attention: the step that failed is tried again. A promise whose
 * workflow failed or was terminated gets a new run that carries on from its records.
 */
export function resume(engine: EngineClient, promiseId: string, actor: Actor) {
  return whenNotBusy(() =>
    engine.client.workflow.executeUpdateWithStart(resumeUpdate, { args: [{ actor }], startWorkflowOperation: startOrJoin(engine, promiseId) }),
  );
}

const promiseHandle = (engine: EngineClient, promiseId: string) => engine.client.workflow.getHandle(promiseWorkflowId(promiseId));

/** A new text while signing: earlier signatures are voided and a new round starts. */
export function reviseDuringSigning(engine: EngineClient, promiseId: string, actor: Actor, content: PromiseContent) {
  return whenNotBusy(() => promiseHandle(engine, promiseId).executeUpdate(reviseUpdate, { args: [{ actor, content }] }));
}

export function decide(engine: EngineClient, roundWorkflowId: string, command: DecisionCommand) {
  return engine.client.workflow.getHandle(roundWorkflowId).executeUpdate(decideUpdate, { args: [command] });
}

export function reportActivity(engine: EngineClient, promiseId: string, command: ReportCommand) {
  return whenNotBusy(() => promiseHandle(engine, promiseId).executeUpdate(reportUpdate, { args: [command] }));
}

export function publishFollowUp(engine: EngineClient, promiseId: string, command: PublishFollowUpCommand) {
  return whenNotBusy(() => promiseHandle(engine, promiseId).executeUpdate(publishFollowUpUpdate, { args: [command] }));
}

/** Tells the promise's workflow that an address was corrected, so what went to the old one goes out again. */
export function announceAddressCorrection(engine: EngineClient, promiseId: string, previous: string, email: string) {
  return promiseHandle(engine, promiseId).signal(addressCorrectedSignal, { previous, email });
}

export function launchRenewal(engine: EngineClient, promiseId: string, actor: Actor) {
  return whenNotBusy(() => promiseHandle(engine, promiseId).executeUpdate(launchRenewalUpdate, { args: [{ actor }] }));
}
