// What the API asks of the workflows. Kept apart from HTTP so the tests drive the engine
// through exactly the calls the API makes.
import {
  isGrpcDeadlineError,
  WithStartWorkflowOperation,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  WorkflowUpdateStage,
  type Client,
  type WorkflowUpdateHandle,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { Actor } from '../domain/actor';
import type { PromiseContent } from '../domain/content';
import { promiseWorkflowId } from '../domain/identifiers';
import {
  addressCorrectedSignal,
  decideUpdate,
  launchRenewalUpdate,
  moveDeadlineUpdate,
  publishFollowUpUpdate,
  reportUpdate,
  resendRequestedSignal,
  resumeUpdate,
  reviseUpdate,
  reviewBankIdSignatureUpdate,
  startBankIdOrderUpdate,
  submitUpdate,
  withdrawUpdate,
  type DecisionCommand,
  type MoveDeadlineCommand,
  type PersonCommand,
  type PublishFollowUpCommand,
  type ReportCommand,
  type ReviewBankIdCommand,
  type StartBankIdOrderCommand,
  type ResendRequestedEvent,
} from '../workflows/messages';
import type { promiseLifecycleWorkflow } from '../workflows/promise-lifecycle';

export interface EngineClient {
  client: Client;
  taskQueue: string;
  /** Tests only: continue-as-new after this many history events, to exercise the hand-over. */
  historyLimit?: number;
  /** How long a command waits for a worker to take it, and then to carry it out (COMMAND_DEADLINE). */
  commandDeadlineMs?: number;
  /**
   * The time as the workflows see it, which a command's `notAfter` is measured in: the wall clock
   * unless given (the time-skipping test server's own time runs ahead of it).
   */
  workflowClock?: () => Promise<number>;
}

export const DEFAULT_COMMAND_DEADLINE_MS = 10_000;
/** How many deadlines the API waits for a taken command to be carried out. */
const RESULT_WAITS = 3;
/** Room for the clocks of the API and the Temporal server to differ. */
const CLOCK_MARGIN_MS = 2_000;

/**
 * A command that did not finish within its wait. Either no worker took it (`taken` false): then
 * the workflow will refuse it if it arrives later (its `notAfter` has passed), so nothing changed
 * and the same call can be made again; or a worker took it (`taken` true): it is in the workflow's
 * history and will be carried out.
 */
export class CommandDelayed extends Error {
  constructor(readonly taken: boolean) {
    super(taken ? 'taken, not yet carried out' : 'not taken');
    this.name = 'CommandDelayed';
  }
}

/** Whether a call failed because its deadline passed, not because the server said no. */
function deadlinePassed(error: unknown): boolean {
  return error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(error);
}

/**
 * Sends a command with a deadline: it must be taken (accepted into the workflow's history) by
 * `notAfter`, which the workflow itself enforces, and then carried out within a few such waits.
 */
async function withinDeadline<Ret>(engine: EngineClient, send: (notAfter: number) => Promise<WorkflowUpdateHandle<Ret>>): Promise<Ret> {
  const wait = engine.commandDeadlineMs ?? DEFAULT_COMMAND_DEADLINE_MS;
  const notAfter = (engine.workflowClock ? await engine.workflowClock() : Date.now()) + wait;
  let handle: WorkflowUpdateHandle<Ret>;
  try {
    handle = await engine.client.withDeadline(Date.now() + wait + CLOCK_MARGIN_MS, () => send(notAfter));
  } catch (error) {
    if (deadlinePassed(error)) throw new CommandDelayed(false);
    throw error;
  }
  try {
    // Taken means it will be done: carrying it out (e-mails, records) may take longer than taking it.
    return await engine.client.withDeadline(Date.now() + RESULT_WAITS * wait, () => handle.result());
  } catch (error) {
    if (deadlinePassed(error)) throw new CommandDelayed(true);
    throw error;
  }
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
function updateStartingIfNeeded<Ret, Command extends PersonCommand>(
  engine: EngineClient,
  promiseId: string,
  update: UpdateDefinition<Ret, [Command]>,
  command: Command,
  updateId?: string,
) {
  return whenNotBusy(() =>
    withinDeadline(engine, (notAfter) =>
      engine.client.workflow.startUpdateWithStart(update, {
        args: [{ ...command, notAfter }],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
        startWorkflowOperation: startOrJoin(engine, promiseId),
        ...(updateId ? { updateId } : {}),
      }),
    ),
  );
}

const promiseHandle = (engine: EngineClient, promiseId: string) => engine.client.workflow.getHandle(promiseWorkflowId(promiseId));

/**
 * An Update to the promise's running workflow. With an update id, the same call made again (a
 * client's retry) gets the first call's answer instead of acting twice.
 */
function updateRunning<Ret, Command extends PersonCommand>(
  engine: EngineClient,
  promiseId: string,
  update: UpdateDefinition<Ret, [Command]>,
  command: Command,
  updateId?: string,
) {
  return whenNotBusy(() =>
    withinDeadline(engine, (notAfter) =>
      promiseHandle(engine, promiseId).startUpdate(update, {
        args: [{ ...command, notAfter }],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
        ...(updateId ? { updateId } : {}),
      }),
    ),
  );
}

/**
 * Starts the promise's workflow if needed and submits it for signing. With an update id, the same
 * call made again (a client's retry after a lost answer) gets the first call's answer.
 */
export const submitForSigning = (engine: EngineClient, promiseId: string, actor: Actor, updateId?: string) =>
  updateStartingIfNeeded(engine, promiseId, submitUpdate, { actor }, updateId);

/** Withdraws a promise in any state before CLOSED (starting its workflow if it never had one). */
export const withdraw = (engine: EngineClient, promiseId: string, actor: Actor, reason: string) =>
  updateStartingIfNeeded(engine, promiseId, withdrawUpdate, { actor, reason });

/** Resumes a promise that needs attention: the step that failed is tried again. */
export const resume = (engine: EngineClient, promiseId: string, actor: Actor) =>
  updateStartingIfNeeded(engine, promiseId, resumeUpdate, { actor });

/** A new text while signing: earlier signatures are voided and a new round starts. */
export const reviseDuringSigning = (engine: EngineClient, promiseId: string, actor: Actor, content: PromiseContent) =>
  updateRunning(engine, promiseId, reviseUpdate, { actor, content });

/** An Update straight to a signing round's workflow; with an update id, a call made again acts once. */
function updateRound<Ret, Command extends PersonCommand>(
  engine: EngineClient,
  roundWorkflowId: string,
  update: UpdateDefinition<Ret, [Command]>,
  command: Command,
  updateId?: string,
) {
  return withinDeadline(engine, (notAfter) =>
    engine.client.workflow.getHandle(roundWorkflowId).startUpdate(update, {
      args: [{ ...command, notAfter }],
      waitForStage: WorkflowUpdateStage.ACCEPTED,
      ...(updateId ? { updateId } : {}),
    }),
  );
}

export const decide = (engine: EngineClient, roundWorkflowId: string, command: DecisionCommand) =>
  updateRound(engine, roundWorkflowId, decideUpdate, command);

/** An open round's deadline moved later, straight to the round's workflow (as a decision is). */
export const moveDeadline = (engine: EngineClient, roundWorkflowId: string, command: MoveDeadlineCommand) =>
  updateRound(engine, roundWorkflowId, moveDeadlineUpdate, command);

/** Starts a BankID order in the round; the order's id names the Update, so a form sent twice starts one order. */
export const startBankIdOrder = (engine: EngineClient, roundWorkflowId: string, command: StartBankIdOrderCommand) =>
  updateRound(engine, roundWorkflowId, startBankIdOrderUpdate, command, `bankid-${command.orderId}`);

/** The coordinator accepts or refuses a held BankID signature; the same answer sent twice is given once, another is refused. */
export const reviewBankIdSignature = (engine: EngineClient, roundWorkflowId: string, command: ReviewBankIdCommand) =>
  updateRound(engine, roundWorkflowId, reviewBankIdSignatureUpdate, command, `review-${command.orderId}-${command.accept}`);

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
