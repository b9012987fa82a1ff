// What the API asks of the workflows. Kept apart from HTTP so the tests drive the engine
// through exactly the calls the API makes.
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import type { Actor } from '../domain/actor';
import type { PromiseContent } from '../domain/content';
import { promiseWorkflowId } from '../domain/identifiers';
import {
  decideUpdate,
  launchRenewalUpdate,
  publishFollowUpUpdate,
  reportUpdate,
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

function startOrJoin(engine: EngineClient, promiseId: string) {
  return new WithStartWorkflowOperation<typeof promiseLifecycleWorkflow>('promiseLifecycleWorkflow', {
    workflowId: promiseWorkflowId(promiseId),
    taskQueue: engine.taskQueue,
    args: [{ promiseId, historyLimit: engine.historyLimit }],
    // Submitting twice reaches the same workflow; a finished promise is never started again.
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
}

/** Starts the promise's workflow if needed and submits it for signing. */
export function submitForSigning(engine: EngineClient, promiseId: string, actor: Actor) {
  return engine.client.workflow.executeUpdateWithStart(submitUpdate, {
    args: [{ actor }],
    startWorkflowOperation: startOrJoin(engine, promiseId),
  });
}

/** Withdraws a promise in any state before CLOSED (starting its workflow if it never had one). */
export function withdraw(engine: EngineClient, promiseId: string, actor: Actor, reason: string) {
  return engine.client.workflow.executeUpdateWithStart(withdrawUpdate, {
    args: [{ actor, reason }],
    startWorkflowOperation: startOrJoin(engine, promiseId),
  });
}

/** A new text while signing: earlier signatures are voided and a new round starts. */
export function reviseDuringSigning(engine: EngineClient, promiseId: string, actor: Actor, content: PromiseContent) {
  return engine.client.workflow.getHandle(promiseWorkflowId(promiseId)).executeUpdate(reviseUpdate, {
    args: [{ actor, content }],
  });
}

export function decide(engine: EngineClient, roundWorkflowId: string, command: DecisionCommand) {
  return engine.client.workflow.getHandle(roundWorkflowId).executeUpdate(decideUpdate, { args: [command] });
}

const promiseHandle = (engine: EngineClient, promiseId: string) => engine.client.workflow.getHandle(promiseWorkflowId(promiseId));

export function reportActivity(engine: EngineClient, promiseId: string, command: ReportCommand) {
  return promiseHandle(engine, promiseId).executeUpdate(reportUpdate, { args: [command] });
}

export function publishFollowUp(engine: EngineClient, promiseId: string, command: PublishFollowUpCommand) {
  return promiseHandle(engine, promiseId).executeUpdate(publishFollowUpUpdate, { args: [command] });
}

export function launchRenewal(engine: EngineClient, promiseId: string, actor: Actor) {
  return promiseHandle(engine, promiseId).executeUpdate(launchRenewalUpdate, { args: [{ actor }] });
}
