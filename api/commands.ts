// What the API asks of the workflows. Kept apart from HTTP so the tests drive the engine
// through exactly the calls the API makes.
import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { Actor } from '../domain/actor';
import type { PromiseContent } from '../domain/content';
import { promiseWorkflowId } from '../domain/identifiers';
import {
  addressCorrectedSignal,
  decideUpdate,
  launchRenewalUpdate,
  publishFollowUpUpdate,
  reportUpdate,
  resendRequestedSignal,
  resumeUpdate,
  reviseUpdate,
  submitUpdate,
  withdrawUpdate,
  type DecisionCommand,
  type PublishFollowUpCommand,
  type ReportCommand,
  type ResendRequestedEvent,
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

/**
 * An Update to the promise's workflow, starting it first if it is not running (a first submit, or
 * a run that failed or was terminated and carries on from its records).
 */
function updateStartingIfNeeded<Ret, Command>(
  engine: EngineClient,
  promiseId: string,
  update: UpdateDefinition<Ret, [Command]>,
  command: Command,
) {
  return whenNotBusy(() =>
    engine.client.workflow.executeUpdateWithStart(update, { args: [command], startWorkflowOperation: startOrJoin(engine, promiseId) }),
  );
}

const promiseHandle = (engine: EngineClient, promiseId: string) => engine.client.workflow.getHandle(promiseWorkflowId(promiseId));

/**
 * An Update to the promise's running workflow. With an update id, the same call made again (a
 * client's retry) gets the first call's answer instead of acting twice.
 */
function updateRunning<Ret, Command>(
  engine: EngineClient,
  promiseId: string,
  update: UpdateDefinition<Ret, [Command]>,
  command: Command,
  updateId?: string,
) {
  return whenNotBusy(() => promiseHandle(engine, promiseId).executeUpdate(update, { args: [command], ...(updateId ? { updateId } : {}) }));
}

/** Starts the promise's workflow if needed and submits it for signing. */
export const submitForSigning = (engine: EngineClient, promiseId: string, actor: Actor) =>
  updateStartingIfNeeded(engine, promiseId, submitUpdate, { actor });

/** Withdraws a promise in any state before CLOSED (starting its workflow if it never had one). */
export const withdraw = (engine: EngineClient, promiseId: string, actor: Actor, reason: string) =>
  updateStartingIfNeeded(engine, promiseId, withdrawUpdate, { actor, reason });

/** Resumes a promise that needs attention: the step that failed is tried again. */
export const resume = (engine: EngineClient, promiseId: string, actor: Actor) =>
  updateStartingIfNeeded(engine, promiseId, resumeUpdate, { actor });

/** A new text while signing: earlier signatures are voided and a new round starts. */
export const reviseDuringSigning = (engine: EngineClient, promiseId: string, actor: Actor, content: PromiseContent) =>
  updateRunning(engine, promiseId, reviseUpdate, { actor, content });

export function decide(engine: EngineClient, roundWorkflowId: string, command: DecisionCommand) {
  return engine.client.workflow.getHandle(roundWorkflowId).executeUpdate(decideUpdate, { args: [command] });
}

/** A report; its id names the Update, so a report sent again with the same id is made once. */
export const reportActivity = (engine: EngineClient, promiseId: string, command: ReportCommand) =>
  updateRunning(engine, promiseId, reportUpdate, command, `report-${command.reportId}`);

export const publishFollowUp = (engine: EngineClient, promiseId: string, command: PublishFollowUpCommand) =>
  updateRunning(engine, promiseId, publishFollowUpUpdate, command);

/** Tells the promise's workflow that an address was corrected, so what went to the old one goes out again. */
export function announceAddressCorrection(engine: EngineClient, promiseId: string, previous: string, email: string) {
  return promiseHandle(engine, promiseId).signal(addressCorrectedSignal, { previous, email });
}

/** Asks the promise's workflow to send a waiting signing request again. */
export function askToResend(engine: EngineClient, promiseId: string, event: ResendRequestedEvent) {
  return promiseHandle(engine, promiseId).signal(resendRequestedSignal, event);
}

export const launchRenewal = (engine: EngineClient, promiseId: string, actor: Actor) =>
  updateRunning(engine, promiseId, launchRenewalUpdate, { actor });
