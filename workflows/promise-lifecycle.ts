// The entity workflow of one promise period, id promiseWorkflowId(promiseId). Started by the
// first submit; it owns the promise from SIGNING on. While DRAFT the text belongs to the API,
// which edits the records directly; submitting freezes the current version under a row lock.
import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  executeChild,
  isCancellation,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { SYSTEM_ACTOR } from '../domain/actor';
import { canApply, transitionRefusal, type LifecycleEvent } from '../domain/lifecycle';
import type { RoundPlan } from '../store/signing';
import {
  promiseStateQuery,
  reviseUpdate,
  submitUpdate,
  withdrawUpdate,
  type PromiseWorkflowState,
  type ReviseCommand,
  type SubmitCommand,
  type WithdrawCommand,
} from './messages';
import { signingRoundWorkflow, type SigningRoundOutcome } from './signing-round';

const activities = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export interface PromiseLifecycleInput {
  promiseId: string;
}

export async function promiseLifecycleWorkflow({ promiseId }: PromiseLifecycleInput): Promise<PromiseWorkflowState> {
  const state: PromiseWorkflowState = { promiseId, status: 'DRAFT', versionNumber: 0, roundNumber: 0 };
  let roundToRun: RoundPlan | undefined;
  let roundScope: CancellationScope | undefined;
  let revising = false;
  let revised = false;
  let withdrawal: WithdrawCommand | undefined;
  let roundClosing = false;

  const reject = (type: string, message: string): never => {
    throw ApplicationFailure.create({ type, message, nonRetryable: true });
  };
  const requireTransition = (event: LifecycleEvent) => {
    if (!canApply(state.status, event) || withdrawal) reject('INVALID_STATE', transitionRefusal(state.status, event));
  };

  setHandler(promiseStateQuery, () => state);

  setHandler(
    submitUpdate,
    async ({ actor }: SubmitCommand) => {
      // Claimed before the first await, so a second submit in the same moment is refused.
      state.status = 'SIGNING';
      const roundNumber = state.roundNumber + 1;
      try {
        roundToRun = await activities.beginSigningRound({ promiseId, roundNumber, actor, from: 'DRAFT' });
      } catch (error) {
        state.status = 'DRAFT';
        throw error;
      }
      state.roundNumber = roundNumber;
      state.versionNumber = roundToRun.versionNumber;
      state.statusReason = undefined;
      return { status: state.status, roundNumber, versionNumber: state.versionNumber };
    },
    { validator: (_command: SubmitCommand) => requireTransition('SUBMIT') },
  );

  setHandler(
    reviseUpdate,
    async ({ actor, content }: ReviseCommand) => {
      revising = true;
      try {
        const version = await activities.appendRevision({ promiseId, number: state.versionNumber + 1, content, actor });
        state.versionNumber = version.versionNumber;
        revised = true;
        roundScope?.cancel();
        return version;
      } finally {
        revising = false;
      }
    },
    {
      validator: (_command: ReviseCommand) => {
        requireTransition('REVISED');
        // A draft is edited by the API directly; the workflow revises only a round in progress.
        if (state.status !== 'SIGNING' || roundClosing) reject('INVALID_STATE', 'Texten kan bara ändras här medan signeringen pågår.');
        if (revising) reject('BUSY', 'En ändring av texten pågår redan; försök igen.');
      },
    },
  );

  setHandler(
    withdrawUpdate,
    async (command: WithdrawCommand) => {
      // The main loop carries it out between steps, so a withdrawal never interleaves with one.
      withdrawal = command;
      roundScope?.cancel();
      await condition(() => state.status === 'WITHDRAWN');
      return { status: state.status };
    },
    { validator: (_command: WithdrawCommand) => requireTransition('WITHDRAW') },
  );

  async function runRound(plan: RoundPlan): Promise<void> {
    let outcome: SigningRoundOutcome | undefined;
    roundScope = new CancellationScope();
    try {
      // A revision or withdrawal accepted before the round got going skips it altogether.
      if (!revised && !withdrawal) {
        outcome = await roundScope.run(() =>
          executeChild(signingRoundWorkflow, { workflowId: plan.workflowId, args: [{ plan }] }),
        );
      }
    } catch (error) {
      if (!isCancellation(error)) throw error;
    } finally {
      roundScope = undefined;
    }
    // A revision accepted just before the round ended still wins: let it finish, then decide.
    roundClosing = true;
    await condition(() => !revising);
    roundClosing = false;

    if (withdrawal) {
      await activities.closeSigningRound({ roundId: plan.roundId, status: 'WITHDRAWN', reason: withdrawal.reason });
      return;
    }
    if (revised) {
      // A new text voids what was signed: close this round and start the next on the new version.
      revised = false;
      await activities.closeSigningRound({ roundId: plan.roundId, status: 'SUPERSEDED', reason: `Ny version ${state.versionNumber}` });
      state.roundNumber += 1;
      roundToRun = await activities.beginSigningRound({ promiseId, roundNumber: state.roundNumber, actor: SYSTEM_ACTOR, from: 'SIGNING' });
      return;
    }
    if (!outcome) throw ApplicationFailure.nonRetryable('Signeringsomgången avbröts utan orsak.');

    const key = `round:${promiseId}:${plan.roundNumber}`;
    if (outcome.kind === 'ALL_SIGNED') {
      await activities.closeSigningRound({ roundId: plan.roundId, status: 'COMPLETED' });
      await activities.recordStatus({ promiseId, status: 'ACTIVE', action: 'ACTIVATED', actor: SYSTEM_ACTOR, key });
      state.status = 'ACTIVE';
      await activities.sendActivationConfirmations({ roundId: plan.roundId });
      return;
    }
    const reason =
      outcome.kind === 'DECLINED'
        ? `Avböjt av ${outcome.signatoryName}: ${outcome.reason}`
        : 'Tiden för signering gick ut innan alla hade signerat.';
    await activities.closeSigningRound({ roundId: plan.roundId, status: outcome.kind, reason });
    await activities.recordStatus({ promiseId, status: 'DRAFT', reason, action: `RETURNED_TO_DRAFT_${outcome.kind}`, actor: SYSTEM_ACTOR, key });
    state.status = 'DRAFT';
    state.statusReason = reason;
    await activities.notifyCoordinator({ roundId: plan.roundId, notice: outcome.kind, deadline: 0 });
  }

  for (;;) {
    await condition(() => roundToRun !== undefined || withdrawal !== undefined);
    const plan = roundToRun;
    roundToRun = undefined;
    if (plan) await runRound(plan);
    if (withdrawal) break;
    if (state.status === 'ACTIVE') {
      // The year after signing (activities, follow-up, renewal) builds on this point.
      await condition(() => withdrawal !== undefined);
      break;
    }
  }
  if (withdrawal) {
    const { actor, reason } = withdrawal;
    await activities.recordStatus({ promiseId, status: 'WITHDRAWN', reason, action: 'WITHDRAWN', actor, key: `withdrawn:${promiseId}` });
    state.status = 'WITHDRAWN';
    state.statusReason = reason;
    await activities.notifyWithdrawal({ promiseId, reason });
  }
  await condition(allHandlersFinished);
  return state;
}
