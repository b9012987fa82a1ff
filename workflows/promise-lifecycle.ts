// The entity workflow of one promise period, id promiseWorkflowId(promiseId). Started by the
// first submit; it owns the promise from SIGNING on. While DRAFT the text belongs to the API,
// which edits the records directly; submitting freezes the current version under a row lock.
import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  executeChild,
  isCancellation,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ErrorCode } from '../domain/error-codes';
import { SYSTEM_ACTOR } from '../domain/actor';
import { canApply, isInYear, NOT_IN_YEAR_SV, transitionRefusal, type LifecycleEvent } from '../domain/lifecycle';
import type { RoundPlan } from '../store/signing';
import {
  launchRenewalUpdate,
  promiseStateQuery,
  publishFollowUpUpdate,
  reportUpdate,
  reviseUpdate,
  submitUpdate,
  withdrawUpdate,
  type LaunchRenewalCommand,
  type PromiseWorkflowState,
  type PublishFollowUpCommand,
  type ReportCommand,
  type ReviseCommand,
  type SubmitCommand,
  type WithdrawCommand,
} from './messages';
import { applyReport, markFollowUpRequested, markReminderSent, nextEvent, startYear, type YearState } from './year-plan';
import { signingRoundWorkflow, type SigningRoundOutcome } from './signing-round';

const activities = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export interface PromiseLifecycleInput {
  promiseId: string;
  /** What a previous run handed over through continue-as-new: plain JSON. */
  carried?: { state: PromiseWorkflowState; year: YearState };
  /** Continue as new past this many history events; otherwise when Temporal suggests it. */
  historyLimit?: number;
}

export async function promiseLifecycleWorkflow(input: PromiseLifecycleInput): Promise<PromiseWorkflowState> {
  const { promiseId } = input;
  const state: PromiseWorkflowState = input.carried?.state ?? { promiseId, status: 'DRAFT', versionNumber: 0, roundNumber: 0 };
  let year: YearState | undefined = input.carried?.year;
  /** Bumped by every handler that changes the year, so the timer loop re-plans. */
  let yearChanges = 0;
  let renewalInFlight: Promise<{ renewalId: string }> | undefined;
  let roundToRun: RoundPlan | undefined;
  let roundScope: CancellationScope | undefined;
  let revising = false;
  let revised = false;
  let withdrawal: WithdrawCommand | undefined;
  let roundClosing = false;

  // Annotated, so that TypeScript narrows after a call (a rejection never returns).
  const reject: (type: ErrorCode, message: string) => never = (type, message) => {
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

  const requireYear = (): YearState => {
    if (!year || withdrawal || !isInYear(state.status)) reject('INVALID_STATE', NOT_IN_YEAR_SV);
    return year!;
  };

  setHandler(
    reportUpdate,
    async (command: ReportCommand) => {
      const occurrence = requireYear().occurrences.find((o) => o.occurrenceId === command.occurrenceId)!;
      await activities.recordActivityReport(command);
      applyReport(occurrence, command.report, Date.now());
      yearChanges += 1;
      return { occurrenceId: occurrence.occurrenceId, open: occurrence.open, dueDate: occurrence.dueDate };
    },
    {
      validator: (command: ReportCommand) => {
        const occurrence = requireYear().occurrences.find((o) => o.occurrenceId === command.occurrenceId);
        if (!occurrence) reject('NOT_FOUND', 'Aktiviteten hör inte till det här löftet.');
        if (!occurrence.open && !command.correctsReportId) {
          reject('ALREADY_REPORTED', 'Aktiviteten är redan rapporterad. Skicka en rättelse som pekar på den rapport som ska rättas.');
        }
      },
    },
  );

  setHandler(
    publishFollowUpUpdate,
    async (command: PublishFollowUpCommand) => {
      const followUp = requireYear().followUps.find((f) => f.index === command.index)!;
      await activities.publishFollowUp({ promiseId, ...command });
      followUp.status = 'PUBLISHED';
      if (followUp.final) state.status = 'CLOSED';
      yearChanges += 1;
      return { status: state.status };
    },
    {
      validator: (command: PublishFollowUpCommand) => {
        const followUp = requireYear().followUps.find((f) => f.index === command.index);
        if (!followUp) reject('NOT_FOUND', `Uppföljning ${command.index} finns inte.`);
        if (followUp.status !== 'DRAFT') {
          reject('INVALID_STATE', followUp.status === 'PUBLISHED' ? 'Uppföljningen är redan publicerad.' : 'Uppföljningsperioden är inte slut än.');
        }
      },
    },
  );

  /** Creates the renewal once; a second launch, by hand or by the timer, gets the same one. */
  function launchRenewal(command: LaunchRenewalCommand): Promise<{ renewalId: string }> {
    renewalInFlight ??= activities.launchRenewal({ promiseId, actor: command.actor, scheduledFor: Date.now() }).then((result) => {
      year!.renewalId = result.renewalId;
      yearChanges += 1;
      return result;
    });
    return renewalInFlight;
  }
  setHandler(launchRenewalUpdate, launchRenewal, {
    validator: (_command: LaunchRenewalCommand) => {
      requireYear();
    },
  });

  /** The year: reminders, follow-ups and the renewal, each when due, until the promise closes. */
  async function runYear(): Promise<void> {
    if (!year) {
      const scheduled = await activities.scheduleOccurrences({ promiseId });
      year = startYear({ activatedAt: Date.now(), ...scheduled });
    }
    while (!withdrawal && state.status !== 'CLOSED') {
      const event = nextEvent(year);
      const seen = yearChanges;
      const stirred = () => yearChanges !== seen || withdrawal !== undefined || state.status === 'CLOSED';
      if (!event) {
        await condition(stirred);
        continue;
      }
      const wait = event.at - Date.now();
      if (wait > 0 && (await condition(stirred, wait))) continue;
      if (event.type === 'REMINDER') {
        const { occurrence, reminder } = event;
        await activities.sendOccurrenceReminder({
          occurrenceId: occurrence.occurrenceId,
          dueDate: occurrence.dueDate,
          kind: reminder.kind,
          sequence: reminder.sequence,
          scheduledFor: reminder.at,
        });
        markReminderSent(occurrence, reminder);
      } else if (event.type === 'FOLLOW_UP') {
        const { followUp } = event;
        const sequence = followUp.status === 'PENDING' ? 0 : followUp.remindersSent + 1;
        await activities.requestFollowUp({ promiseId, ...followUp, sequence, scheduledFor: event.at });
        if (followUp.final && state.status === 'ACTIVE') state.status = 'FOLLOW_UP';
        markFollowUpRequested(year, followUp, event.at);
      } else {
        await launchRenewal({ actor: SYSTEM_ACTOR });
      }
      if (historyIsLong()) {
        // Hand the year over to a fresh run before the history grows large; handlers finish first.
        await condition(allHandlersFinished);
        await continueAsNew<typeof promiseLifecycleWorkflow>({ promiseId, carried: { state, year }, historyLimit: input.historyLimit });
      }
    }
  }

  const historyIsLong = () =>
    workflowInfo().continueAsNewSuggested || (input.historyLimit !== undefined && workflowInfo().historyLength > input.historyLimit);

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

  while (state.status === 'DRAFT' || state.status === 'SIGNING') {
    await condition(() => roundToRun !== undefined || withdrawal !== undefined);
    const plan = roundToRun;
    roundToRun = undefined;
    if (plan) await runRound(plan);
    if (withdrawal) break;
  }
  if (!withdrawal && isInYear(state.status)) await runYear();
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
