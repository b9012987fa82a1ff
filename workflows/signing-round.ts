// One signing round: requests out, reminders, a warning before the deadline, escalation to the
// coordinator, and an outcome. A child of the promise workflow, since a round has its own
// lifetime: a revision of the text cancels it and starts the next.
import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { reminderTimes, roundMilestones } from '../domain/signing-timeline';
import { unstorableTextMessage } from '../domain/text';
import type { RoundPlan } from '../store/signing';
import { interactive, mail } from './activity-stubs';
import { trySending } from './attention';
import { onTime, reject } from './refusals';
import { decideUpdate, signingRoundStateQuery, type DecisionCommand, type DecisionResult, type SigningRoundState } from './messages';

export interface SigningRoundInput {
  plan: RoundPlan;
  /** When the round first started, for a round run again after a fault: its deadline stays. */
  startedAt?: number;
}

export type SigningRoundOutcome =
  { kind: 'ALL_SIGNED' } | { kind: 'DECLINED'; signatoryName: string; reason: string } | { kind: 'EXPIRED' };

export async function signingRoundWorkflow({ plan, startedAt = Date.now() }: SigningRoundInput): Promise<SigningRoundOutcome> {
  const milestones = roundMilestones(plan.settings, startedAt);
  const deadline = milestones[milestones.length - 1]!.at;
  const groups = [...new Set(plan.requests.map((r) => r.group))].sort((a, b) => a - b);
  const state: SigningRoundState = { openGroups: [], decisions: { ...plan.decided }, remindersSent: 0 };
  const inFlight = new Set<string>();
  // A decline already on record (the round run again after a fault) ends the round at once.
  const declinedBefore = plan.requests.find((r) => plan.decided?.[r.requestId] === 'DECLINED');
  let declined: { signatoryName: string; reason: string } | undefined = declinedBefore && {
    signatoryName: declinedBefore.signatoryName,
    reason: plan.declineReason ?? '',
  };
  let expired = false;
  let finished = false;

  const undecided = (group?: number) =>
    plan.requests.filter(
      (r) => state.openGroups.includes(r.group) && (group === undefined || r.group === group) && !state.decisions[r.requestId],
    );

  setHandler(signingRoundStateQuery, () => state);
  setHandler(
    decideUpdate,
    async (command: DecisionCommand) => {
      const request = plan.requests.find((r) => r.requestId === command.signingRequestId)!;
      const decision: DecisionResult['decision'] = command.decision === 'SIGN' ? 'SIGNED' : 'DECLINED';
      inFlight.add(request.requestId);
      try {
        await interactive.recordDecision({
          requestId: request.requestId,
          decision,
          reason: command.reason?.trim() || undefined,
          documentSha256: command.documentSha256,
          actor: command.actor,
        });
      } finally {
        inFlight.delete(request.requestId);
      }
      state.decisions[request.requestId] = decision;
      if (decision === 'DECLINED') declined ??= { signatoryName: request.signatoryName, reason: command.reason!.trim() };
      return { decision, remaining: plan.requests.filter((r) => !state.decisions[r.requestId]).length };
    },
    {
      validator: onTime((command: DecisionCommand) => {
        const unstorable = unstorableTextMessage(command);
        if (unstorable) reject('VALIDATION', unstorable);
        const request = plan.requests.find((r) => r.requestId === command.signingRequestId);
        if (!request) reject('UNKNOWN_REQUEST', 'Begäran hör inte till den här signeringsomgången.');
        if (finished || declined || expired) reject('ROUND_CLOSED', 'Signeringsomgången är redan avslutad.');
        if (state.decisions[request.requestId] || inFlight.has(request.requestId)) {
          reject('ALREADY_DECIDED', 'Du har redan lämnat ditt svar i den här omgången.');
        }
        if (!state.openGroups.includes(request.group)) {
          reject('GROUP_NOT_OPEN', 'Din tur att signera har inte kommit än: tidigare grupper signerar först.');
        }
        if (command.documentSha256 !== plan.documentSha256) {
          reject('STALE_VERSION', 'Texten har ändrats sedan du fick den. Signera den aktuella versionen.');
        }
        if (command.decision === 'DECLINE' && !command.reason?.trim()) {
          reject('REASON_REQUIRED', 'Ange ett skäl när du avböjer.');
        }
      }),
    },
  );

  // Everything timed, in one queue: reminders per group, then the round's milestones.
  const timers: { at: number; fire: () => Promise<unknown> }[] = [];

  const sendToUndecided = (kind: 'REMINDER' | 'DEADLINE_WARNING', sequence: number, group?: number) =>
    Promise.all(
      undecided(group).map((r) =>
        trySending('påminnelse om signatur', () => mail.sendSigningEmail({ requestId: r.requestId, kind, sequence, deadline })),
      ),
    );

  async function openGroup(group: number) {
    state.openGroups.push(group);
    const groupStartedAt = Date.now();
    await Promise.all(
      plan.requests
        .filter((r) => r.group === group)
        .map((r) =>
          trySending('begäran om signatur', () =>
            mail.sendSigningEmail({ requestId: r.requestId, kind: 'REQUEST', sequence: 0, deadline }),
          ),
        ),
    );
    reminderTimes(plan.settings, groupStartedAt, startedAt).forEach((at, index) =>
      timers.push({
        at,
        fire: async () => {
          state.remindersSent += undecided(group).length;
          await sendToUndecided('REMINDER', index + 1, group);
        },
      }),
    );
  }

  for (const milestone of milestones) {
    timers.push({
      at: milestone.at,
      fire: async () => {
        if (milestone.kind === 'DEADLINE') expired = true;
        else if (milestone.kind === 'DEADLINE_WARNING') await sendToUndecided('DEADLINE_WARNING', 0);
        else if (undecided().length > 0) {
          await trySending('eskalering till samordnaren', () =>
            mail.notifyCoordinator({ roundId: plan.roundId, notice: 'ESCALATION', deadline }),
          );
        }
      },
    });
  }

  let groupIndex = 0;
  await openGroup(groups[groupIndex]!);
  let outcome: SigningRoundOutcome;
  for (;;) {
    if (declined) {
      outcome = { kind: 'DECLINED', ...declined };
      break;
    }
    if (undecided().length === 0 && inFlight.size === 0) {
      if (groupIndex + 1 < groups.length) {
        await openGroup(groups[++groupIndex]!);
        continue;
      }
      outcome = { kind: 'ALL_SIGNED' };
      break;
    }
    if (expired) {
      outcome = { kind: 'EXPIRED' };
      break;
    }
    timers.sort((a, b) => a.at - b.at);
    const next = timers[0]!;
    const decidedBefore = Object.keys(state.decisions).length;
    const wait = next.at - Date.now();
    const woken = wait > 0 && (await condition(() => Object.keys(state.decisions).length !== decidedBefore || !!declined, wait));
    if (!woken) {
      timers.shift();
      await next.fire();
    }
  }
  finished = true;
  await condition(allHandlersFinished);
  return outcome;
}
