// What the API asks of the workflows. Kept apart from HTTP so the tests drive the engine
// through exactly the calls the API makes.
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import type { Actor } from '../domain/actor';
import type { PromiseContent } from '../domain/content';
import { promiseWorkflowId } from '../domain/identifiers';
import { decideUpdate, reviseUpdate, submitUpdate, withdrawUpdate, type DecisionCommand } from '../workflows/messages';
import type { promiseLifecycleWorkflow } from '../workflows/promise-lifecycle';

export interface EngineClient {
  client: Client;
  taskQueue: string;
}

function startOrJoin(engine: EngineClient, promiseId: string) {
  return new WithStartWorkflowOperation<typeof promiseLifecycleWorkflow>('promiseLifecycleWorkflow', {
    workflowId: promiseWorkflowId(promiseId),
    taskQueue: engine.taskQueue,
    args: [{ promiseId }],
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
